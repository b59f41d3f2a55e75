"""A mentor's day without friction (issue 13): what mentors stumbled on, walked through again."""
from portal.accounts import invitations
from portal.core import clock
from portal.models import InboxItem, MentorProfile, User
from portal.register import availability
from tests.support.factories import PASSWORD, make_user
from tests.support.forms import PRIYA_FORM
from tests.support.web import Web, version_in, words


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
