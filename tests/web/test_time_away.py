"""Kinds of time away as tags: a mentor's, set by them or the team, and in the CSV import; a mentee's, their
sign-up reason and what they add; each kept, shown, copied and erased like the rest of a profile."""
import json

import pytest

from portal.models import ImportBatch, MenteeProfile, MentorOption, MentorProfile, ProfileChange, User
from portal.privacy import erasure
from portal.register import imports
from portal.register.imports import EXAMPLE
from tests.support.factories import make_mentor, make_user
from tests.support.forms import PRIYA_FORM, csv_bytes
from tests.support.web import errors, signed_in, version_in, words


def tags_of(mentor_id: int) -> list[str]:
    return sorted(o.value for o in MentorOption.select().where((MentorOption.mentor == mentor_id)
                                                               & (MentorOption.kind == "away")))


@pytest.mark.parametrize("who", ["the mentor", "the team"])
def test_a_mentors_time_away_is_edited_by_them_or_the_team(app, who):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    web = signed_in(app, "priya@example.org" if who == "the mentor" else "register@example.org")
    url = "/mentor/profile/edit" if who == "the mentor" else f"/admin/mentors/{mentor.id}/edit"
    assert "Kinds of time away you are happy for mentees to find you by" in words(web.get(url))
    saved = web.submit(url, {**PRIYA_FORM, "time_away": ["parental_leave", "phased_return"], **version_in(web.get(url))})
    assert saved.status_code == 302
    assert tags_of(mentor.id) == ["parental_leave", "phased_return"]
    change = ProfileChange.select().order_by(ProfileChange.id.desc()).get()
    assert change.changes == {"time_away": [[], ["parental_leave", "phased_return"]]}
    shown = words(signed_in(app, "priya@example.org").get("/mentor/profile"))
    assert "Time away Parental leave A phased return" in shown
    tampered = web.submit(url, {**PRIYA_FORM, "time_away": ["holiday"], **version_in(web.get(url))})
    assert tampered.status_code == 200 and "is not a valid choice" in errors(tampered)["time_away"]
    assert tags_of(mentor.id) == ["parental_leave", "phased_return"]


def run_import(app, rows, columns=imports.COLUMNS) -> ImportBatch:
    admin = User.get(User.is_admin)
    batch = ImportBatch.create(created_by=admin, filename="mentors.csv", data=csv_bytes(rows, columns),
                               total_rows=len(rows), status="queued")
    with app.app_context():
        assert imports.run(batch.id) == "done", ImportBatch.get_by_id(batch.id).error
    return ImportBatch.get_by_id(batch.id)


def test_the_import_takes_time_away_by_key_or_label_and_a_file_without_it_changes_none(app):
    make_user("ada@example.org", "Ada Admin", admin=True)
    rows = [{**EXAMPLE, "email": "a@example.org", "name": "Ann A", "time_away": "parental_leave; A phased return"},
            {**EXAMPLE, "email": "b@example.org", "name": "Bob B",
             "time_away": "Out of programme (research, experience, training or a career break)"}]
    run_import(app, rows)
    ann, bob = (MentorProfile.get(MentorProfile.user == User.get(User.email == e)) for e in ("a@example.org",
                                                                                               "b@example.org"))
    assert tags_of(ann.id) == ["parental_leave", "phased_return"] and tags_of(bob.id) == ["out_of_programme"]
    older = [c for c in imports.COLUMNS if c != "time_away"]  # a file made from the template before the column
    run_import(app, [{**rows[0], "interests": "Choir"}], older)
    assert tags_of(ann.id) == ["parental_leave", "phased_return"]
    assert MentorProfile.get_by_id(ann.id).interests == "Choir"
    with app.test_request_context():  # a row is checked with the profile form, as the admin's upload is
        checked = imports.check(csv_bytes([{**rows[0], "time_away": "holiday"}]))
    assert checked.problems[0].messages[0].startswith("time_away: “holiday” is not a code we know. Use any of "
                                                      "parental_leave, sick_leave,")


def test_a_mentees_preferences_are_in_their_copy_and_gone_when_erased(app):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True, reason="sick_leave")
    web = signed_in(app, "jo@example.org")
    web.submit("/account/matching", {"time_away": ["adjustments"], "meet_mode": "online", "usual_days": ["tue"],
                                     "can_reach": "Wakefield"})
    mentee = json.loads(web.get("/account/data.json").get_data(as_text=True))["mentee"]
    assert (mentee["reason"], mentee["away_tags"], mentee["meet_mode"], mentee["usual_days"], mentee["can_reach"]) == (
        "sick_leave", ["adjustments"], "online", ["tue"], "Wakefield")
    make_user("ada@example.org", "Ada Admin", admin=True)
    with app.app_context():
        erasure.erase(User.get_by_id(jo.id), User.get(User.email == "ada@example.org"))
    erased = MenteeProfile.get()
    assert (erased.away_tags, erased.meet_mode, erased.usual_days, erased.can_reach) == ([], "", [], "")
    assert erased.reason == "sick_leave"  # the broad reason stays, as the scheme's counts need it


def test_a_mentors_tags_go_when_their_data_is_erased(app):
    mentor = make_mentor("priya@example.org", "Priya Shah", time_away=["caring"])
    make_user("ada@example.org", "Ada Admin", admin=True)
    with app.app_context():
        erasure.erase(User.get_by_id(mentor.user_id), User.get(User.email == "ada@example.org"))
    assert tags_of(mentor.id) == [] and MentorProfile.get_by_id(mentor.id).paused_until is None
