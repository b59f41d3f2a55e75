"""The mentor register: an admin creates a mentor from their bio, the mentor edits it, the admin sees
what changed; headshots; capacity, pause and leave."""
import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from portal import clock
from portal.models import AuditEvent, MentorOption, MentorProfile, ProfileChange, StoredPhoto, User
from tests.rules.test_photos import jpeg_with_gps, picture
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.servers import text_of
from tests.support.web import errors, text

BIO = {
    "name": "Priya Shah", "email": "priya@example.org", "grade": "ST5", "school": "Paediatrics",
    "specialty": "Neonatology", "trust": "Leeds Teaching Hospitals NHS Trust", "gender": "Woman",
    "pronouns": "she/her", "experience_rtt": "Phased return after leave.", "experience_away": "Parental leave.",
    "why_mentor": "To be the person I needed.", "slots": ["mon-evening", "sat-morning"],
    "availability_notes": "Not in August", "meets_online": "y", "platforms": ["teams", "zoom"],
    "meets_in_person": "y", "locations": "Leeds, harrogate", "interests": "Baking",
    "contact_details": "07700 900123", "capacity": "2", "send_invitation": "y",
}


@pytest.fixture
def admin_web(web):
    make_user("admin@example.org", "Ada Admin", admin=True)
    web.login("admin@example.org", PASSWORD)
    return web


def with_photo(form, data=None, filename="me.jpg"):
    return {**form, "photo": (io.BytesIO(data if data is not None else jpeg_with_gps()), filename)}


def test_an_admin_creates_a_mentor_with_every_field_and_invites_them(admin_web, run_jobs, mailbox):
    response = admin_web.submit("/admin/mentors/new", with_photo(BIO), content_type="multipart/form-data")
    assert response.status_code == 302, errors(response)
    mentor = MentorProfile.select().join(User).where(User.email == "priya@example.org").get()
    for field in ("grade", "school", "specialty", "trust", "gender", "pronouns", "experience_rtt", "experience_away",
                  "why_mentor", "availability_notes", "interests", "contact_details"):
        assert getattr(mentor, field) == BIO[field], field
    assert mentor.meets_online and mentor.meets_in_person and mentor.locations == "Leeds, harrogate"
    assert mentor.capacity == 2 and mentor.photo
    options = {(o.kind, o.value) for o in MentorOption.select().where(MentorOption.mentor == mentor)}
    assert options == {("slot", "mon-evening"), ("slot", "sat-morning"), ("day", "mon"), ("day", "sat"),
                       ("platform", "teams"), ("platform", "zoom"), ("place", "leeds"), ("place", "harrogate")}
    assert AuditEvent.get(AuditEvent.action == "created_mentor").object_id == mentor.id
    run_jobs()
    assert "/invitation/" in text_of(mailbox.wait_for("priya@example.org", "You are invited"))

    page = text(admin_web.get(f"/admin/mentors/{mentor.id}"))
    assert "Priya Shah" in page and "07700 900123" in page and "Invitation not yet accepted" in page


def test_the_mentor_edits_their_profile_and_the_admin_sees_what_changed(app, admin_web):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    admin_web.logout()
    admin_web.login("priya@example.org", PASSWORD)
    edit = text(admin_web.get("/mentor/profile/edit"))
    assert 'value="Priya Shah"' in edit and "I wish I had had someone to talk to." in edit
    form = {**BIO, "why_mentor": "Because it helped me.", "slots": ["tue-morning"], "platforms": ["teams"]}
    del form["email"], form["capacity"], form["send_invitation"]
    with clock.travel(timedelta(hours=2)):
        saved = admin_web.submit("/mentor/profile/edit", form, content_type="multipart/form-data")
    assert saved.status_code == 302, errors(saved)
    change = ProfileChange.get(ProfileChange.mentor == mentor)
    assert change.changes["why_mentor"] == ["I wish I had had someone to talk to.", "Because it helped me."]
    assert change.changes["slots"] == [["mon-evening", "sat-morning"], ["tue-morning"]]
    assert change.changed_by.email == "priya@example.org"
    again = admin_web.submit("/mentor/profile/edit", form, content_type="multipart/form-data", follow_redirects=True)
    assert "Nothing had changed" in text(again)
    assert ProfileChange.select().count() == 1

    admin_web.logout()
    admin_web.login("admin@example.org", PASSWORD)
    page = text(admin_web.get(f"/admin/mentors/{mentor.id}"))
    assert timedelta(hours=2) - (change.changed_at - clock.now()) < timedelta(minutes=1)  # when it was saved
    assert f"<strong>{app.jinja_env.filters['date_time'](change.changed_at)}</strong>, by Priya Shah" in page
    assert "Why they mentor: I wish I had had someone to talk to. → Because it helped me." in page


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter your full name"),
    ("email", "not-an-email", "correct format"),
    ("grade", "", "Choose a grade"),
    ("why_mentor", "", "Say why you became a peer mentor"),
    ("why_mentor", "w" * 1001, "1,000 characters or fewer"),
    ("experience_rtt", "e" * 1501, "1,500 characters or fewer"),
    ("contact_details", "", "Say how your mentees can contact you"),
    ("platforms", [], "Choose at least one platform"),
    ("locations", "", "Say where you could meet face to face"),
    ("slots", ["someday-evening"], "is not a valid choice"),
    ("capacity", "lots", "Enter a whole number from 0 to 10"),
    ("capacity", "11", "Enter a whole number from 0 to 10"),
])
def test_bad_bio_input_is_explained_and_kept(admin_web, field, value, message):
    form = {**BIO, field: value}
    response = admin_web.submit("/admin/mentors/new", form, content_type="multipart/form-data")
    found = errors(response)
    anchor = f"{field}-0" if field in ("platforms", "slots") else field
    assert message in found.get(anchor, ""), found
    assert "Neonatology" in text(response) or field == "specialty"
    assert not MentorProfile.select().exists()


def test_no_way_to_meet_is_explained(admin_web):
    form = {k: v for k, v in BIO.items() if k not in ("meets_online", "meets_in_person")}
    assert "Choose at least one way to meet" in errors(admin_web.submit("/admin/mentors/new", form))["meets_online"]


@pytest.mark.parametrize("data, filename, message", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "face.svg", "must be a JPEG, PNG or WebP"),
    (picture("PNG"), "face.jpg", "really a PNG"),
    (picture("PNG", size=(40_000, 10)), "wide.png", "40,000 by 10 pixels"),
    (b"\xff" * (5 * 1024 * 1024 + 10), "big.jpg", "5 MB or smaller"),
])
def test_a_refused_photo_keeps_the_rest_of_the_form(admin_web, data, filename, message):
    response = admin_web.submit("/admin/mentors/new", with_photo(BIO, data, filename),
                                content_type="multipart/form-data")
    assert message in errors(response)["photo"]
    page = text(response)
    assert "To be the person I needed." in page and 'value="Priya Shah"' in page
    assert not MentorProfile.select().exists()


def test_a_good_photo_is_kept_while_other_mistakes_are_put_right(admin_web):
    first = admin_web.submit("/admin/mentors/new", with_photo({**BIO, "why_mentor": ""}),
                             content_type="multipart/form-data")
    assert "Say why you became a peer mentor" in errors(first)["why_mentor"]
    assert "This photo is ready" in text(first)
    pending = re.search(r'name="photo_pending" type="hidden" value="([^"]+)"', text(first)).group(1)
    second = admin_web.submit("/admin/mentors/new", {**BIO, "photo_pending": pending},
                              content_type="multipart/form-data")
    assert second.status_code == 302
    assert MentorProfile.get().photo == StoredPhoto.get().key
    forged = admin_web.submit("/admin/mentors/new", {**BIO, "email": "x@example.org", "photo_pending": "forged"},
                              content_type="multipart/form-data")
    assert forged.status_code == 302
    assert MentorProfile.get(MentorProfile.id != MentorProfile.get().id).photo is None


def test_photos_are_served_without_metadata_and_cached(app, admin_web):
    admin_web.submit("/admin/mentors/new", with_photo(BIO), content_type="multipart/form-data")
    key = MentorProfile.get().photo
    for size, side in (("card", 240), ("profile", 480)):
        response = admin_web.get(f"/photos/{key}/{size}.webp")
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        image = Image.open(io.BytesIO(response.data))
        assert image.size == (side, side)
        assert not image.getexif() and "exif" not in image.info and b"PhoneMaker" not in response.data
        again = admin_web.get(f"/photos/{key}/{size}.webp", headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    assert admin_web.get("/photos/nope/card.webp").status_code == 404
    assert admin_web.get(f"/photos/{key}/huge.webp").status_code == 404
    assert app.test_client().get(f"/photos/{key}/card.webp").status_code == 302  # signed-in people only


def test_capacity_pause_and_leave(web):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    web.login("priya@example.org", PASSWORD)
    bad = web.submit("/mentor/availability", {"capacity": "2", "leave_from": "2027-02-10", "leave_until": "2027-02-01"})
    assert "same as or after the first day" in errors(bad)["leave_until"]
    assert 'value="2027-02-10"' in text(bad)
    half = web.submit("/mentor/availability", {"capacity": "2", "leave_from": "2027-02-10"})
    assert "both the first and the last day" in errors(half)["leave_until"]
    nonsense = web.submit("/mentor/availability", {"capacity": "two"})
    assert "whole number" in errors(nonsense)["capacity"]

    MentorProfile.update(places_taken=2).where(MentorProfile.id == mentor.id).execute()
    below = web.submit("/mentor/availability", {"capacity": "1"})
    assert "cannot be lower than 2" in errors(below)["capacity"]

    saved = web.submit("/mentor/availability", {"capacity": "3", "paused": "y", "leave_from": "2027-02-01",
                                                "leave_until": "2027-02-10"})
    assert saved.status_code == 302
    mentor = MentorProfile.get_by_id(mentor.id)
    assert (mentor.capacity, mentor.paused, str(mentor.leave_from), str(mentor.leave_until)) == (
        3, True, "2027-02-01", "2027-02-10")
    assert ProfileChange.get().changes["capacity"] == [2, 3]
    assert "You are paused" in text(web.get("/mentor/profile"))


def test_admins_take_mentors_off_the_register_and_back(admin_web):
    mentor = make_mentor()
    admin_web.submit(f"/admin/mentors/{mentor.id}/listing", {"listed": "no"})
    assert not MentorProfile.get_by_id(mentor.id).listed
    assert "Off the register" in text(admin_web.get(f"/admin/mentors/{mentor.id}"))
    assert "Mo Mentor" in text(admin_web.get("/admin/mentors?state=unlisted"))
    assert "Mo Mentor" not in text(admin_web.get("/admin/mentors?state=listed"))
    admin_web.submit(f"/admin/mentors/{mentor.id}/listing", {"listed": "yes"})
    assert MentorProfile.get_by_id(mentor.id).listed
    assert [e.action for e in AuditEvent.select().where(AuditEvent.object_type == "mentorprofile")
            .order_by(AuditEvent.id)][-2:] == ["unlisted_mentor", "listed_mentor"]


def test_creating_a_mentor_for_an_existing_mentee_adds_the_role(admin_web):
    mentee = make_user("mo@example.org", "Mo Mentee", mentee=True)
    response = admin_web.submit("/admin/mentors/new", {**BIO, "email": "mo@example.org", "send_invitation": ""})
    assert response.status_code == 302
    assert User.get_by_id(mentee.id).mentor is not None
    again = admin_web.submit("/admin/mentors/new", {**BIO, "email": "mo@example.org"})
    assert "already a mentor" in errors(again)["email"]


def test_a_replaced_headshot_is_no_longer_served(admin_web):
    admin_web.submit("/admin/mentors/new", with_photo(BIO), content_type="multipart/form-data")
    mentor = MentorProfile.get()
    first = mentor.photo
    admin_web.submit("/admin/mentors/new", with_photo({**BIO, "email": "kai@example.org", "name": "Kai Osei"},
                                                      picture()), content_type="multipart/form-data")
    shared = MentorProfile.get(MentorProfile.photo.is_null(False) & (MentorProfile.id != mentor.id)).photo
    form = {**BIO, "send_invitation": ""}
    del form["email"]
    saved = admin_web.submit(f"/admin/mentors/{mentor.id}/edit", with_photo(form, picture()),
                             content_type="multipart/form-data")
    assert saved.status_code == 302, errors(saved)
    assert MentorProfile.get_by_id(mentor.id).photo == shared  # the same picture as Kai's
    assert admin_web.get(f"/photos/{first}/card.webp").status_code == 404
    assert admin_web.get(f"/photos/{first}/profile.webp").status_code == 404
    assert not StoredPhoto.select().where(StoredPhoto.key == first).exists()

    admin_web.submit(f"/admin/mentors/{mentor.id}/edit", with_photo(form), content_type="multipart/form-data")
    assert admin_web.get(f"/photos/{shared}/card.webp").status_code == 200  # Kai still uses it
