"""Backups, asked in turn: named with a request, holding no place and seen by no one until their turn;
asked at once when the request ends without a match, skipped when they have no room, and the mentee told
at each step. The rules' table is in tests/rules/test_request_rules.py; this is the portal doing them."""
import json
import re
from datetime import date, datetime, timedelta

import pytest

from portal.models import Email, MentorProfile, MentorRequest, Relationship, User
from portal.privacy import erasure
from portal.register import availability
from portal.requests import mentor_requests
from portal.rules import workdays
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.web import errors, signed_in, text, words

WHEN = "2026-11-23T10:00"  # a Monday


@pytest.fixture
def people(app):
    with app.app_context(), at(WHEN):
        jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
        mentors = [make_mentor(f"{first.lower()}@example.org", f"{first} {last}")
                   for first, last in (("Priya", "Shah"), ("Tom", "Lee"), ("Grace", "Adeyemi"))]
    return jo, *mentors


def ask(web, first, *backups, note=NOTE, **extra):
    """Ask `first`, naming `backups` (mentors, or (mentor, note)) in order."""
    form = {"note": note, **extra}
    for n, backup in enumerate(backups, start=1):
        mentor, backup_note = backup if isinstance(backup, tuple) else (backup, "")
        form.update({f"backup_{n}": str(mentor.id), f"backup_{n}_note": backup_note})
    return web.submit(f"/mentors/{first.id}/request", form)


def row(mentor) -> MentorRequest:
    return MentorRequest.get(MentorRequest.mentor == mentor.id)


def places(mentor) -> int:
    return MentorProfile.get_by_id(mentor.id).places_taken


def emails_to(address: str) -> list[Email]:
    return list(Email.select().where(Email.to_address == address).order_by(Email.id))


def test_only_the_mentor_asked_first_holds_a_place_and_sees_the_request(app, people):
    jo, priya, tom, grace = people
    web = signed_in(app, "jo@example.org")
    with at(WHEN):
        response = ask(web, priya, (tom, "Tom, I saw you were out of programme too."), grace)
    assert response.status_code == 302
    assert [(r.mentor_id, r.status, r.choice) for r in MentorRequest.select().order_by(MentorRequest.choice)] == [
        (priya.id, "pending", 1), (tom.id, "backup", 2), (grace.id, "backup", 3)]
    assert row(tom).note == "Tom, I saw you were out of programme too." and row(grace).note == NOTE
    assert (places(priya), places(tom), places(grace)) == (1, 0, 0)
    assert [e.subject for e in emails_to("priya@example.org")] == ["Jo would like you as their mentor"]
    assert not emails_to("tom@example.org") and not emails_to("grace@example.org")

    tom_web = signed_in(app, "tom@example.org")
    assert "None just now" in words(tom_web.get("/mentoring"))
    assert tom_web.get(f"/requests/{row(tom).id}/answer").status_code == 403  # not theirs to see yet
    assert tom_web.submit(f"/requests/{row(tom).id}/answer", {"action": "accept"}).status_code == 403
    exported = json.loads(tom_web.get("/account/data.json").get_data(as_text=True))
    assert exported["mentor"]["requests_received"] == []
    page = words(web.get("/mentoring"))
    assert "Your backups If Priya cannot take you on, we ask these mentors in turn" in page
    assert page.index("Tom Lee") < page.index("Grace Adeyemi")


def test_a_decline_asks_the_next_backup_at_once_with_a_fresh_deadline(app, people):
    jo, priya, tom, grace = people
    with at(WHEN):
        ask(signed_in(app, "jo@example.org"), priya, tom, grace)
    with at("2026-11-25T15:00"):  # Wednesday
        signed_in(app, "priya@example.org").submit(f"/requests/{row(priya).id}/answer",
                                                   {"action": "decline", "message": "My rota is full, sorry."})
    asked = row(tom)
    assert (row(priya).status, asked.status, row(grace).status) == ("declined", "pending", "backup")
    assert asked.created_at == datetime(2026, 11, 25, 15, 0)
    assert asked.deadline == workdays.deadline(datetime(2026, 11, 25, 15, 0), 5) == datetime(2026, 12, 2, 23, 59)
    assert (places(priya), places(tom), places(grace)) == (0, 1, 0)
    [to_tom] = emails_to("tom@example.org")
    assert to_tom.subject == "Jo would like you as their mentor" and NOTE in to_tom.text_body
    assert "Wednesday 2 December 2026" in to_tom.text_body
    told = emails_to("jo@example.org")[-1]
    assert told.subject == "We have asked your backup, Tom"
    for said in ("Priya cannot be your mentor just now", "My rota is full, sorry.",
                 "we have asked your backup, Tom, who will answer by the end of Wednesday 2 December 2026"):
        assert said in " ".join(told.text_body.split()), said
    # Tom's page shows the day he was asked: nothing says he was not the first choice.
    answer = words(signed_in(app, "tom@example.org").get(f"/requests/{asked.id}/answer"))
    assert "Asked on Wednesday 25 November 2026" in answer
    for giveaway in ("backup", "second", "choice", "Priya"):
        assert giveaway not in answer and giveaway not in to_tom.text_body, giveaway


def test_when_the_deadline_passes_the_next_backup_is_asked(app, people):
    jo, priya, tom, grace = people
    with at(WHEN):
        ask(signed_in(app, "jo@example.org"), priya, tom)
    deadline = row(priya).deadline
    with app.app_context():
        assert mentor_requests.expire_due(deadline + timedelta(minutes=1)) == 1
    assert (row(priya).status, row(tom).status) == ("expired", "pending")
    assert row(tom).deadline == workdays.deadline(deadline + timedelta(minutes=1), 5)
    told = emails_to("jo@example.org")[-1]
    assert "Priya did not answer in time" in told.text_body and told.subject == "We have asked your backup, Tom"


def test_a_backup_with_no_room_is_skipped_and_the_mentee_told(app, people):
    jo, priya, tom, grace = people
    with at(WHEN):
        ask(signed_in(app, "jo@example.org"), priya, tom, grace)
    MentorProfile.update(capacity=1, places_taken=1).where(MentorProfile.id == tom.id).execute()  # full since
    with app.app_context(), at("2026-11-24T09:00"):
        mentor_requests.decide(row(priya), "decline", User.get(User.email == "priya@example.org"), "mentor")
    assert (row(tom).status, row(grace).status) == ("skipped", "pending")
    assert (places(tom), places(grace)) == (1, 1)
    told = " ".join(emails_to("jo@example.org")[-1].text_body.split())
    assert "Tom had no room when their turn came, so we passed over them" in told
    assert "we have asked your backup, Grace" in told
    assert not emails_to("tom@example.org")
    assert "Tom Lee, 23 November 2026: skipped, as the mentor had no room" in words(
        signed_in(app, "jo@example.org").get("/mentoring"))


@pytest.mark.parametrize("away", ["paused", "on leave", "off the register"])
def test_when_all_backups_are_gone_the_mentee_is_told_kindly_and_chooses_again(app, people, away):
    jo, priya, tom, grace = people
    admin = User.get(User.is_admin)
    with at(WHEN):
        ask(signed_in(app, "jo@example.org"), priya, tom, grace)
    with app.app_context(), at(WHEN):
        MentorProfile.update(capacity=1, places_taken=1).where(MentorProfile.id == grace.id).execute()
        if away == "paused":
            availability.set_availability(tom, admin, paused=True)
        elif away == "on leave":
            availability.set_availability(tom, admin, leave_from=date(2026, 11, 23), leave_until=date(2026, 12, 20))
        else:
            availability.set_listed(tom, admin, False)
        mentor_requests.decide(row(priya), "decline", admin, "admin")
    assert [row(m).status for m in (priya, tom, grace)] == ["declined", "skipped", "skipped"]
    assert mentor_requests.waiting_request(jo.mentee) is None
    told = emails_to("jo@example.org")[-1]
    assert told.subject == "None of your choices can take you on just now"
    body = " ".join(told.text_body.split())
    assert "Tom and Grace had no room when their turn came" in body
    assert "That is about their time, not about you. Please choose again" in body
    assert "http://portal.test/mentors/" in body
    # Back to choosing: they can ask someone now.
    web = signed_in(app, "jo@example.org")
    with at("2026-11-24T09:00"):
        assert "Ask Priya to be my mentor" in words(web.get(f"/mentors/{priya.id}"))


def test_a_match_or_a_withdrawal_drops_the_backups_and_asks_no_one(app, people):
    jo, priya, tom, grace = people
    web = signed_in(app, "jo@example.org")
    with at(WHEN):
        ask(web, priya, tom, grace)
        web.submit(f"/requests/{row(priya).id}/cancel")
    assert [row(m).status for m in (priya, tom, grace)] == ["cancelled", "dropped", "dropped"]
    assert not emails_to("tom@example.org") and (places(priya), places(tom)) == (0, 0)
    MentorRequest.delete().execute()
    with at(WHEN):
        ask(web, priya, tom)
        signed_in(app, "priya@example.org").submit(f"/requests/{row(priya).id}/answer", {"action": "accept"})
    assert (row(priya).status, row(tom).status) == ("accepted", "dropped")
    assert Relationship.get().mentor_id == priya.id and not emails_to("tom@example.org")
    assert "Tom" not in words(web.get("/mentoring"))  # a backup not needed is not an earlier request


def test_the_mentee_changes_or_drops_their_backups_while_waiting(app, people):
    jo, priya, tom, grace = people
    web = signed_in(app, "jo@example.org")
    with at(WHEN):
        ask(web, priya, tom)
    waiting = row(priya)
    page = text(web.get(f"/requests/{waiting.id}/backups"))
    assert re.search(rf'<option value="{tom.id}" selected\s*>', page)
    assert web.submit(f"/requests/{waiting.id}/backups", {"backup_1": str(grace.id), "backup_1_note": "Hello Grace",
                                                          "backup_2": ""}).status_code == 302
    assert (row(tom).status, row(grace).status, row(grace).choice, row(grace).note) == (
        "dropped", "backup", 2, "Hello Grace")
    web.submit(f"/requests/{waiting.id}/backups", {"backup_1": "", "backup_2": ""})
    assert mentor_requests.backups_of(jo.mentee.id) == []
    assert "You have not named any backups" in words(web.get("/mentoring"))
    with app.app_context(), at("2026-11-24T09:00"):
        mentor_requests.decide(waiting, "decline", User.get(User.email == "priya@example.org"), "mentor")
    assert emails_to("jo@example.org")[-1].subject == "Priya cannot be your mentor just now"  # no backups left


def test_backups_cannot_change_once_the_request_has_moved_on(app, people):
    jo, priya, tom, grace = people
    web = signed_in(app, "jo@example.org")
    with at(WHEN):
        ask(web, priya, tom)
    waiting = row(priya)
    with app.app_context(), at(WHEN):
        mentor_requests.decide(waiting, "decline", User.get(User.email == "priya@example.org"), "mentor")
    moved_on = web.submit(f"/requests/{waiting.id}/backups", {"backup_1": str(grace.id)})
    assert moved_on.headers["Location"] == "/mentoring"
    assert row(tom).status == "pending" and MentorRequest.get_or_none(MentorRequest.mentor == grace.id) is None
    with app.app_context(), pytest.raises(mentor_requests.RequestRefused, match="already been declined"):
        mentor_requests.change_backups(User.get_by_id(jo.id), waiting, [(grace, "")])
    with app.app_context(), at(WHEN), pytest.raises(mentor_requests.RequestRefused, match="Only the mentee who asked"):
        mentor_requests.change_backups(make_user("kim@example.org", "Kim Park", mentee=True), row(tom), [])


@pytest.mark.parametrize("backups, extra, field, message", [
    (["first"], {}, "backup_1", "someone other than the mentor you are asking"),
    (["tom", "tom"], {}, "backup_2", "You have named this mentor already"),
    (["paused"], {}, "backup_1", "not taking requests just now"),
    (["tom", "grace"], {"backup_3": "1"}, "backup_2", "You can name up to 2 backups"),
    ([], {"backup_1": "<script>"}, "backup_1", "Choose a backup from the list"),
    ([], {"backup_1": "99999"}, "backup_1", "not taking requests just now"),
    ([("tom", "x" * 1001)], {}, "backup_1_note", "1,000 characters or fewer"),
])
def test_a_backup_that_cannot_be_one_is_explained_and_the_form_kept(app, people, backups, extra, field, message):
    jo, priya, tom, grace = people
    paused = make_mentor("pat@example.org", "Pat Paused")
    MentorProfile.update(paused=True).where(MentorProfile.id == paused.id).execute()
    by_name = {"first": priya, "tom": tom, "grace": grace, "paused": paused}
    named = [(by_name[b[0]], b[1]) if isinstance(b, tuple) else by_name[b] for b in backups]
    web = signed_in(app, "jo@example.org")
    response = ask(web, priya, *named, note="Still my note, as I typed it.", **extra)
    assert response.status_code == 400
    assert message in errors(response)[field]
    assert "Still my note, as I typed it." in text(response)
    kept = (named[0][0] if isinstance(named[0], tuple) else named[0]) if named else None
    if kept in (tom, grace):  # one the list offers
        assert re.search(rf'<option value="{kept.id}" selected\s*>', text(response))  # the choice shown as it was made
    assert not MentorRequest.select().exists() and places(priya) == 0


def test_a_mentor_going_away_passes_the_request_on(app, people):
    jo, priya, tom, grace = people
    with at(WHEN):
        ask(signed_in(app, "jo@example.org"), priya, tom)
    with app.app_context(), at(WHEN):
        availability.set_availability(priya, User.get(User.is_admin), paused=True)
    assert (row(priya).status, row(tom).status) == ("closed", "pending")
    told = emails_to("jo@example.org")[-1]
    assert "Priya is not taking mentees just now, so your request to them has closed" in " ".join(
        told.text_body.split())


def test_a_mentor_whose_data_is_erased_leaves_every_backup_list(app, people):
    jo, priya, tom, grace = people
    with at(WHEN):
        ask(signed_in(app, "jo@example.org"), priya, tom, grace)
    with app.app_context(), at(WHEN):
        erasure.erase(User.get(User.email == "tom@example.org"), User.get(User.is_admin))
        assert row(tom).status == "dropped" and row(tom).note == ""
        assert [b.mentor_id for b in mentor_requests.backups_of(jo.mentee.id)] == [grace.id]
        mentor_requests.decide(row(priya), "decline", User.get(User.email == "priya@example.org"), "mentor")
    assert row(grace).status == "pending"
    assert "Erased" not in emails_to("jo@example.org")[-1].text_body


def test_the_mentees_own_copy_of_their_data_lists_their_backups(app, people):
    jo, priya, tom, grace = people
    web = signed_in(app, "jo@example.org")
    with at(WHEN):
        ask(web, priya, tom)
    requests = json.loads(web.get("/account/data.json").get_data(as_text=True))["mentee"]["requests"]
    assert [(r["mentor"], r["status"], r["your_choice"]) for r in requests] == [
        ("Priya Shah", "pending", "first"), ("Tom Lee", "backup", "backup 1")]
