"""A mentor's day without friction (issue 13): what mentors stumbled on, walked through again."""
import io
import re
from datetime import timedelta

from portal.accounts import invitations
from portal.core import clock
from portal.models import InboxItem, MentorProfile, ProfileChange, StoredPhoto, User
from portal.register import availability
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.forms import PRIYA_FORM
from tests.support.photos import picture
from tests.support.web import Web, signed_in, text, version_in, words


def invited_mentor(app):
    admin = make_user("admin@example.org", "Ada Admin", admin=True)
    with app.app_context():
        user = invitations.invite(admin, "Priya Shah", "priya@example.org", "mentor")
    User.update(password_hash=User.get_by_id(admin.id).password_hash, email_confirmed_at=clock.now()).where(
        User.id == user.id).execute()
    web = Web(app.test_client())
    web.login("priya@example.org", PASSWORD)
    return admin, web


def test_a_new_mentor_is_told_the_team_lists_them_once_their_profile_is_complete(app):
    admin, priya = invited_mentor(app)
    page = words(priya.get("/mentor/profile"))
    assert "The team will put you on the register once your profile is complete" in page
    assert "taken you off the register" not in page
    assert InboxItem.select().count() == 0

    edit = priya.get("/mentor/profile/edit")
    saved = priya.submit("/mentor/profile/edit", {**PRIYA_FORM, **version_in(edit)}, follow_redirects=True,
                         content_type="multipart/form-data")
    assert "The team has been told and will put you on the register" in words(saved)
    item = InboxItem.get()
    assert (item.kind, item.user_id, item.status) == ("profile_ready", User.get(User.email == "priya@example.org").id,
                                                      "open")
    assert "Your profile is complete and the team has been told" in words(priya.get("/mentor/profile"))

    with app.app_context():
        availability.set_listed(MentorProfile.get(), admin, True)
    assert InboxItem.get_by_id(item.id).status == "closed"  # done, so off the team's list
    assert "Mentees can find you in the directory" in words(priya.get("/mentor/profile"))


def leave_mentor(app, **dates):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    MentorProfile.update(**dates).where(MentorProfile.id == mentor.id).execute()
    return mentor, signed_in(app, "priya@example.org")


def test_leave_is_one_panel_with_both_days_asked_for_and_a_way_back_early(app):
    today = clock.today_london()
    mentor, priya = leave_mentor(app, leave_from=today - timedelta(days=3), leave_until=today + timedelta(days=20))
    page = words(priya.get("/mentor/availability"))
    assert "First day of leave (optional)" not in page and "First day of leave" in page
    assert "You are on leave from" in page and "I'm back early" in page
    back = priya.submit("/mentor/leave/end", follow_redirects=True)
    assert "mentees can find you in the directory again" in words(back)
    assert MentorProfile.get_by_id(mentor.id).leave_from is None
    # The profile's history keeps the dates the leave had.
    assert ProfileChange.select().where(ProfileChange.mentor == mentor.id).count() == 1


def test_booked_leave_is_on_the_profile_and_can_be_cancelled(app):
    today = clock.today_london()
    mentor, priya = leave_mentor(app, leave_from=today + timedelta(days=10), leave_until=today + timedelta(days=20))
    assert "is booked: mentees will not find you then" in words(priya.get("/mentor/profile"))
    assert "Cancel this leave" in words(priya.get("/mentor/availability"))
    priya.submit("/mentor/leave/end")
    assert MentorProfile.get_by_id(mentor.id).leave_until is None


def test_saving_capacity_says_what_was_saved(app):
    mentor, priya = leave_mentor(app)
    page = priya.get("/mentor/availability")
    shown = re.search(r'name="shown" type="hidden" value="([^"]*)"', text(page)).group(1)
    saved = priya.submit("/mentor/availability", {"capacity": "3", "shown": shown}, follow_redirects=True)
    assert "Your capacity, pause and leave are saved" in words(saved) and "availability is saved" not in words(saved)


def test_a_mentor_removes_their_photo(app):
    mentor, priya = leave_mentor(app)
    edit = priya.get("/mentor/profile/edit")
    assert "Remove the photo" not in words(edit)  # nothing to remove yet
    priya.submit("/mentor/profile/edit", {**PRIYA_FORM, **version_in(edit), "photo": (io.BytesIO(picture()), "me.jpg")},
                 content_type="multipart/form-data")
    key = MentorProfile.get_by_id(mentor.id).photo
    assert key and StoredPhoto.get_or_none(StoredPhoto.key == key)
    edit = priya.get("/mentor/profile/edit")
    assert "Remove the photo" in words(edit)
    removed = priya.submit("/mentor/profile/edit", {**PRIYA_FORM, **version_in(edit), "remove_photo": "y"},
                           content_type="multipart/form-data")
    assert removed.status_code == 302
    assert MentorProfile.get_by_id(mentor.id).photo is None
    assert StoredPhoto.get_or_none(StoredPhoto.key == key) is None  # the picture itself is gone too
    assert ProfileChange.select().order_by(ProfileChange.id.desc()).get().changes["photo"] == ["changed", "removed"]


def test_joining_as_a_mentee_starts_from_the_mentors_own_training_details(app):
    mentor, priya = leave_mentor(app)
    page = text(priya.get("/account/join-as-mentee"))
    chosen = [" ".join(option.split()) for option in re.findall(r"<option[^>]*selected[^>]*>", page)]
    assert chosen == ['<option value="ST5" selected >', '<option value="Paediatrics" selected >']
    assert 'value="Neonatology"' in page and 'value="Leeds Teaching Hospitals NHS Trust"' in page
