"""The mentor register: an admin creates a mentor from their bio, the mentor edits it, the admin sees
what changed; headshots; capacity, pause and leave."""
import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image

from portal.core import clock
from portal.models import AuditEvent, MentorOption, MentorProfile, ProfileChange, StoredPhoto, User
from portal.register import availability, profiles
from portal.requests import mentor_requests
from tests.support.factories import MENTOR_VALUES, PASSWORD, make_mentor, make_user
from tests.support.forms import PRIYA_FORM
from tests.support.mentoring import NOTE
from tests.support.photos import jpeg_with_gps, picture
from tests.support.servers import text_of
from tests.support.web import Web, errors, text, typed_date, version_in, words

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
                       ("platform", "teams"), ("platform", "zoom"), ("location", "leeds"), ("location", "harrogate")}
    assert AuditEvent.get(AuditEvent.action == "created_mentor").object_id == mentor.id
    run_jobs()
    assert "/invitation/" in text_of(mailbox.wait_for("priya@example.org", "You are invited"))

    page = text(admin_web.get(f"/admin/mentors/{mentor.id}"))
    assert "Priya Shah" in page and "07700 900123" in page and "Invitation not yet accepted" in page


def test_the_mentor_edits_their_profile_and_the_admin_sees_what_changed(app, admin_web):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    admin_web.logout()
    admin_web.login("priya@example.org", PASSWORD)
    edit = admin_web.get("/mentor/profile/edit")
    assert 'value="Priya Shah"' in text(edit) and "I wish I had had someone to talk to." in text(edit)
    form = {**BIO, "why_mentor": "Because it helped me.", "slots": ["tue-morning"], "platforms": ["teams"],
            **version_in(edit)}
    del form["email"], form["capacity"], form["send_invitation"]
    with clock.travel(timedelta(hours=2)):
        saved = admin_web.submit("/mentor/profile/edit", form, content_type="multipart/form-data")
    assert saved.status_code == 302, errors(saved)
    change = ProfileChange.get(ProfileChange.mentor == mentor)
    assert change.changes["why_mentor"] == ["I wish I had had someone to talk to.", "Because it helped me."]
    assert change.changes["slots"] == [["mon-evening", "sat-morning"], ["tue-morning"]]
    assert change.changed_by.email == "priya@example.org"
    again = admin_web.submit("/mentor/profile/edit", {**form, **version_in(admin_web.get("/mentor/profile/edit"))},
                             content_type="multipart/form-data", follow_redirects=True)
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
    anchor = field
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


def shown_in(page) -> dict:
    """The availability form's note of what it showed, to send back with the form."""
    found = re.search(r'name="shown" type="hidden" value="([^"]*)"', text(page))
    return {"shown": found.group(1)} if found else {}


def test_capacity_pause_and_leave(web):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    web.login("priya@example.org", PASSWORD)
    shown = shown_in(web.get("/mentor/availability"))
    bad = web.submit("/mentor/availability", {"capacity": "2", "leave_from": "2027-02-10", "leave_until": "2027-02-01",
                                              **shown})
    assert "same as or after the first day" in errors(bad)["leave_until"]
    assert typed_date(bad, "leave_from") == "10 2 2027"
    half = web.submit("/mentor/availability", {"capacity": "2", "leave_from": "2027-02-10", **shown})
    assert "both the first and the last day" in errors(half)["leave_until"]
    nonsense = web.submit("/mentor/availability", {"capacity": "two", **shown})
    assert "whole number" in errors(nonsense)["capacity"]

    MentorProfile.update(places_taken=2).where(MentorProfile.id == mentor.id).execute()
    below = web.submit("/mentor/availability", {"capacity": "1", **shown})
    assert "cannot be lower than 2" in errors(below)["capacity"]

    saved = web.submit("/mentor/availability", {"capacity": "3", "paused": "y", "leave_from": "2027-02-01",
                                                "leave_until": "2027-02-10", **shown})
    assert saved.status_code == 302
    mentor = MentorProfile.get_by_id(mentor.id)
    assert (mentor.capacity, mentor.paused, str(mentor.leave_from), str(mentor.leave_until)) == (
        3, True, "2027-02-01", "2027-02-10")
    assert ProfileChange.get().changes["capacity"] == [2, 3]
    assert "You are paused" in text(web.get("/mentor/profile"))


@pytest.mark.parametrize("who", ["the mentor", "an admin"])
def test_saving_availability_changes_only_what_was_changed_on_the_page(app, admin_web, who):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=2)
    page, url = admin_web, f"/admin/mentors/{mentor.id}/availability"
    if who == "the mentor":
        page, url = Web(app.test_client()), "/mentor/availability"
        page.login("priya@example.org", PASSWORD)
    opened = page.get(url)
    # Meanwhile another admin pauses the mentor and records leave.
    availability.set_availability(mentor, User.get(User.is_admin), paused=True, leave_from=date(2027, 3, 1),
                             leave_until=date(2027, 3, 5))
    saved = page.submit(url, {"capacity": "4", **shown_in(opened)})  # the page as it was: not paused, no leave
    assert saved.status_code == 302, errors(saved)
    now = MentorProfile.get_by_id(mentor.id)
    assert (now.capacity, now.paused, now.leave_from, now.leave_until) == (4, True, date(2027, 3, 1), date(2027, 3, 5))
    assert ProfileChange.select().order_by(ProfileChange.id.desc()).get().changes == {"capacity": [2, 4]}


@pytest.mark.parametrize("shown", [None, "", "nonsense", "99999999999;0;;", "2;0;2027-02-30;", "2;0;;;"])
def test_a_tampered_availability_form_comes_back_with_a_message(web, shown):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=2)
    web.login("priya@example.org", PASSWORD)
    data = {"capacity": "4"} | ({} if shown is None else {"shown": shown})
    response = web.submit("/mentor/availability", data)
    assert response.status_code == 400
    assert "Check the details below and save again" in words(response)
    assert MentorProfile.get_by_id(mentor.id).capacity == 2
    again = web.submit("/mentor/availability", {**data, **shown_in(response)})
    assert again.status_code == 302, errors(again)
    assert MentorProfile.get_by_id(mentor.id).capacity == 4


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


def test_saving_a_profile_leaves_places_capacity_pause_leave_and_listing_alone(app, app_context):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    admin = User.get(User.is_admin)
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)

    opened = MentorProfile.get_by_id(mentor.id)  # read by a save before what follows happened
    mentor_requests.make_request(jo, mentor, NOTE)
    availability.set_availability(mentor, admin, capacity=3, paused=False, leave_from=None, leave_until=None)
    profiles.update(opened, admin, values={**MENTOR_VALUES, "specialty": "Neonatal surgery"})
    saved = MentorProfile.get_by_id(mentor.id)
    assert (saved.specialty, saved.places_taken, saved.capacity) == ("Neonatal surgery", 1, 3)

    opened = MentorProfile.get_by_id(mentor.id)
    availability.set_availability(mentor, admin, capacity=3, paused=True, leave_from=date(2027, 3, 1),
                             leave_until=date(2027, 3, 31))
    availability.set_listed(mentor, admin, False)
    profiles.update(opened, admin, values={**MENTOR_VALUES, "specialty": "Neonatal surgery",
                                          "interests": "Choir singing"})
    saved = MentorProfile.get_by_id(mentor.id)
    assert (saved.interests, saved.paused, saved.listed, saved.leave_from, saved.places_taken) == (
        "Choir singing", True, False, date(2027, 3, 1), 0)
    last = ProfileChange.select().order_by(ProfileChange.id.desc()).get()
    assert last.changes == {"interests": ["Fell walking", "Choir singing"]}


@pytest.mark.parametrize("second", ["another admin", "the mentor"])
def test_a_save_from_a_form_opened_before_someone_elses_save_shows_what_changed(app, admin_web, second):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    make_user("ben@example.org", "Ben Admin", admin=True)
    ben = Web(app.test_client())
    ben.login("ben@example.org", PASSWORD)
    late, url = admin_web, f"/admin/mentors/{mentor.id}/edit"
    if second == "the mentor":
        late, url = Web(app.test_client()), "/mentor/profile/edit"
        late.login("priya@example.org", PASSWORD)
    opened = late.get(url)

    ben_url = f"/admin/mentors/{mentor.id}/edit"
    first = ben.submit(ben_url, {**PRIYA_FORM, "specialty": "Neonatal surgery", **version_in(ben.get(ben_url))})
    assert first.status_code == 302, errors(first)

    stale = late.submit(url, {**PRIYA_FORM, "interests": "Choir singing", **version_in(opened)})
    assert stale.status_code == 409
    page = words(stale)
    assert "Someone else saved this profile after you opened it" in page
    # Only what changed, with its new value: the interests are theirs to save.
    assert ("Changed since you opened the form: Specialty: Neonatal surgery Your own changes are still in the "
            "form below") in page
    assert "Choir singing" in text(stale)  # what they typed is kept
    saved = MentorProfile.get_by_id(mentor.id)
    assert (saved.specialty, saved.interests) == ("Neonatal surgery", "Fell walking")
    [change] = ProfileChange.select()
    assert change.changes == {"specialty": ["Neonatology", "Neonatal surgery"]}
    assert change.changed_by.email == "ben@example.org"

    # Having seen it, they save again from the form as it came back: now on top of Ben's change.
    again = late.submit(url, {**PRIYA_FORM, "specialty": "Neonatal surgery", "interests": "Choir singing",
                              **version_in(stale)})
    assert again.status_code == 302, errors(again)
    saved = MentorProfile.get_by_id(mentor.id)
    assert (saved.specialty, saved.interests) == ("Neonatal surgery", "Choir singing")
    assert ProfileChange.select().count() == 2


@pytest.mark.parametrize("version", ["abc", "", "1.5", "-1", "99999", "9" * 40, None])
def test_a_tampered_form_version_gets_the_form_back_with_a_message(admin_web, version):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    url = f"/admin/mentors/{mentor.id}/edit"
    data = {**PRIYA_FORM, "interests": "Choir singing"} | ({} if version is None else {"version": version})
    response = admin_web.submit(url, data)
    assert response.status_code in (400, 409)
    assert "Check the details below and save again" in words(response)
    assert "Choir singing" in text(response)
    assert MentorProfile.get_by_id(mentor.id).interests == "Fell walking"
    assert not ProfileChange.select().exists()
    again = admin_web.submit(url, {**data, **version_in(response)})
    assert again.status_code == 302, errors(again)
    assert MentorProfile.get_by_id(mentor.id).interests == "Choir singing"


def test_a_replaced_headshot_is_no_longer_served(admin_web):
    admin_web.submit("/admin/mentors/new", with_photo(BIO), content_type="multipart/form-data")
    mentor = MentorProfile.get()
    first = mentor.photo
    admin_web.submit("/admin/mentors/new", with_photo({**BIO, "email": "kai@example.org", "name": "Kai Osei"},
                                                      picture()), content_type="multipart/form-data")
    shared = MentorProfile.get(MentorProfile.photo.is_null(False) & (MentorProfile.id != mentor.id)).photo
    form = {**BIO, "send_invitation": ""}
    del form["email"]
    edit = f"/admin/mentors/{mentor.id}/edit"
    saved = admin_web.submit(edit, with_photo({**form, **version_in(admin_web.get(edit))}, picture()),
                             content_type="multipart/form-data")
    assert saved.status_code == 302, errors(saved)
    assert MentorProfile.get_by_id(mentor.id).photo == shared  # the same picture as Kai's
    assert admin_web.get(f"/photos/{first}/card.webp").status_code == 404
    assert admin_web.get(f"/photos/{first}/profile.webp").status_code == 404
    assert not StoredPhoto.select().where(StoredPhoto.key == first).exists()

    admin_web.submit(edit, with_photo({**form, **version_in(admin_web.get(edit))}), content_type="multipart/form-data")
    assert admin_web.get(f"/photos/{shared}/card.webp").status_code == 200  # Kai still uses it


def test_capacity_is_not_saved_below_places_taken_meanwhile(app, app_context):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=3)
    MentorProfile.update(places_taken=2).where(MentorProfile.id == mentor.id).execute()  # taken meanwhile
    assert availability.set_availability(mentor, mentor.user, capacity=1, paused=False, leave_from=None,
                                    leave_until=None) is None
    assert MentorProfile.get_by_id(mentor.id).capacity == 3
