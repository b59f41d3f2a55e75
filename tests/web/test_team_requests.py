"""The team acting on requests for people, each step in the audit log: a deadline moved, a request
withdrawn or passed to another mentor, a direct match, and a mentor's waiting list kept."""
from datetime import date

import pytest

from portal.core import clock
from portal.models import ActionLink, AuditEvent, Email, MentorProfile, MentorRequest, Relationship, WaitlistEntry
from portal.requests import mentor_requests, team, waitlist
from portal.requests.emails import DECISION
from tests.support.clock import at
from tests.support.factories import make_mentee_profile, make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.web import errors, signed_in, text, words


def audited(action) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action))


def emails_to(address) -> list[str]:
    return [e.subject for e in Email.select().where(Email.to_address == address).order_by(Email.id)]


@pytest.fixture
def waiting(app):
    """Jo asked Priya on Wednesday 25 November 2026; Ada is on the team."""
    make_user("ada@example.org", "Ada Admin", admin=True)
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    with app.app_context(), at("2026-11-25T10:00"):
        return mentor_requests.make_request(jo, priya, NOTE)


def test_the_team_gives_a_mentor_longer_and_their_emailed_link_lasts_as_long(app, waiting):
    team = signed_in(app, "ada@example.org")
    with at("2026-11-26T10:00"):
        page = words(team.get(f"/admin/requests/{waiting.id}"))
        assert "Waiting for an answer until the end of" in page and "Move the deadline" in page
        early = team.submit(f"/admin/requests/{waiting.id}/extend",
                            {"until[day]": "26", "until[month]": "11", "until[year]": "2026"})
        assert errors(early)["until"] == "The new date must be after the present deadline"
        moved = team.submit(f"/admin/requests/{waiting.id}/extend",
                            {"until[day]": "11", "until[month]": "12", "until[year]": "2026"}, follow_redirects=True)
    assert "Priya now has until the end of" in words(moved)
    deadline = MentorRequest.get_by_id(waiting.id).deadline
    assert clock.to_london(deadline).date() == date(2026, 12, 11)
    link = ActionLink.get((ActionLink.purpose == DECISION) & (ActionLink.target_id == waiting.id))
    assert link.expires_at == deadline
    assert audited("extended_request")[0].detail == "until 2026-12-11"


def test_the_team_withdraws_a_request_after_asking(app, waiting):
    team = signed_in(app, "ada@example.org")
    with at("2026-11-26T10:00"):
        question = words(team.get(f"/admin/requests/{waiting.id}/withdraw"))
        assert "Withdraw Jo Bloggs's request?" in question
        assert MentorRequest.get_by_id(waiting.id).status == "pending"
        team.submit(f"/admin/requests/{waiting.id}/withdraw")
    assert MentorRequest.get_by_id(waiting.id).status == "cancelled"
    assert MentorProfile.get(MentorProfile.user == MentorRequest.get_by_id(waiting.id).mentor.user_id).places_taken == 0
    assert "Jo has withdrawn their request" in emails_to("priya@example.org")
    assert audited("withdrawn_request")


def test_the_team_passes_a_request_to_a_mentor_the_mentee_agreed_to(app, waiting):
    make_mentor("tom@example.org", "Tom Lee")
    team = signed_in(app, "ada@example.org")
    with at("2026-11-26T10:00"):
        unsure = team.submit(f"/admin/requests/{waiting.id}/pass", {"mentor_email": "tom@example.org"})
        assert errors(unsure)["agreed"] == "Tick to confirm they agreed"
        nobody = team.submit(f"/admin/requests/{waiting.id}/pass", {"mentor_email": "no@example.org", "agreed": "y"})
        assert "No mentor on the register" in errors(nobody)["mentor_email"]
        team.submit(f"/admin/requests/{waiting.id}/pass", {"mentor_email": "tom@example.org", "agreed": "y"})
    assert MentorRequest.get_by_id(waiting.id).status == "cancelled"
    passed = MentorRequest.get(MentorRequest.status == "pending")
    assert passed.mentor.user.email == "tom@example.org" and passed.note == NOTE
    assert "Jo would like you as their mentor" in emails_to("tom@example.org")
    assert "Jo has withdrawn their request" in emails_to("priya@example.org")
    assert audited("passed_request") and audited("passed_request_to")[0].object_id == passed.id


def test_the_team_matches_a_mentee_directly(app):
    make_user("ada@example.org", "Ada Admin", admin=True)
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    make_mentor("priya@example.org", "Priya Shah", capacity=1)
    team = signed_in(app, "ada@example.org")
    assert "Match a mentee to a mentor directly" in words(team.get("/admin/"))
    form = {"mentee_email": "jo@example.org", "mentor_email": "priya@example.org",
            "note": "Agreed with both by phone on 3 December.", "agreed": "y"}
    unsure = team.submit("/admin/match", {**form, "agreed": ""})
    assert errors(unsure)["agreed"] == "Tick to confirm they agreed" and Relationship.select().count() == 0
    done = team.submit("/admin/match", form, follow_redirects=True)
    assert "Jo Bloggs and Priya Shah are matched" in words(done)
    relationship = Relationship.get()
    assert relationship.status == "active" and relationship.mentor_request.decided_by == "admin"
    assert MentorProfile.get().places_taken == 1
    assert "Your mentor is Priya Shah" in words(signed_in(app, "jo@example.org").get("/mentoring"))
    assert audited("matched_directly")
    again = team.submit("/admin/match", form)
    assert "already has a mentor" in errors(again)["mentee_email"]


def test_a_direct_match_needs_a_free_place(app):
    make_user("ada@example.org", "Ada Admin", admin=True)
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == priya.id).execute()
    refused = signed_in(app, "ada@example.org").submit("/admin/match", {
        "mentee_email": "jo@example.org", "mentor_email": "priya@example.org", "note": "By phone.", "agreed": "y"})
    assert "has no free place" in errors(refused)["mentee_email"] and Relationship.select().count() == 0


def test_the_team_sees_and_keeps_a_mentors_waiting_list(app):
    make_user("ada@example.org", "Ada Admin", admin=True)
    priya = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == priya.id).execute()
    with app.app_context():
        for email, name in (("jo@example.org", "Jo Bloggs"), ("sam@example.org", "Sam Hill")):
            waitlist.join(make_user(email, name, mentee=True).mentee, MentorProfile.get_by_id(priya.id))
    team = signed_in(app, "ada@example.org")
    def queue():
        page = words(team.get(f"/admin/mentors/{priya.id}"))
        return page[page.index("Waiting list"):page.index("Training and supervision")]

    assert queue().index("Jo Bloggs") < queue().index("Sam Hill") and "Take off the list" in queue()
    first = WaitlistEntry.select().order_by(WaitlistEntry.id).first()
    assert "Take Jo Bloggs off Priya Shah's waiting list?" in words(team.get(f"/admin/waitlist/{first.id}/remove"))
    team.submit(f"/admin/waitlist/{first.id}/remove")
    assert WaitlistEntry.get_by_id(first.id).status == "left"
    assert "Jo Bloggs" not in queue() and "Sam Hill" in queue()
    with app.app_context():
        assert waitlist.lists_of(WaitlistEntry.get(WaitlistEntry.status == "waiting").mentee)[0].place == 1


def test_a_direct_match_refuses_someone_with_themselves_or_a_mentor_without_a_login(app):
    make_user("ada@example.org", "Ada Admin", admin=True)
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    make_mentee_profile(make_mentor("sam@example.org", "Sam Hill").user)  # a mentor who is a mentee too
    make_mentor("pat@example.org", "Pat Person", password=False)
    team = signed_in(app, "ada@example.org")
    form = {"note": "By phone.", "agreed": "y"}
    itself = team.submit("/admin/match", {**form, "mentee_email": "sam@example.org", "mentor_email": "sam@example.org"})
    assert "cannot be matched with themselves" in errors(itself)["mentee_email"]
    no_login = team.submit("/admin/match", {**form, "mentee_email": "jo@example.org", "mentor_email": "pat@example.org"})
    assert "has not set up their login yet" in errors(no_login)["mentee_email"]
    assert Relationship.select().count() == 0


def test_moving_a_deadline_brings_back_a_reminder_before_it(app, waiting):
    MentorRequest.update(next_reminder_at=None, reminders_sent=1).execute()  # the last reminder had gone
    with app.app_context(), at("2026-11-26T10:00"):
        team.extend(MentorRequest.get_by_id(waiting.id), make_user("bo@example.org", "Bo Admin", admin=True),
                    date(2026, 12, 11))
    reminder = MentorRequest.get_by_id(waiting.id).next_reminder_at
    assert reminder is not None and clock.to_london(reminder).date() < date(2026, 12, 11)


def test_a_place_freed_skips_a_mentee_waiting_for_another_answer_who_keeps_their_turn(app, waiting):
    tom = make_mentor("tom@example.org", "Tom Lee", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == tom.id).execute()
    with app.app_context():
        jo = waiting.mentee
        waitlist.join(jo, MentorProfile.get_by_id(tom.id))  # Jo waits for Priya's answer meanwhile
        sam = make_user("sam@example.org", "Sam Hill", mentee=True).mentee
        waitlist.join(sam, MentorProfile.get_by_id(tom.id))
        MentorProfile.update(places_taken=0).where(MentorProfile.id == tom.id).execute()
        waitlist.offer_free_places(tom.id)
    assert {e.mentee_id: e.status for e in WaitlistEntry.select()} == {jo.id: "waiting", sam.id: "offered"}


def test_leaving_a_list_gives_back_a_place_offered_since_the_entry_was_read(app):
    priya = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == priya.id).execute()
    with app.app_context():
        jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
        entry = waitlist.join(jo.mentee, MentorProfile.get_by_id(priya.id))  # read as waiting
        WaitlistEntry.update(status="offered").execute()  # offered a place meanwhile (the place held: 1 taken)
        assert waitlist.leave(entry, jo)
    assert MentorProfile.get_by_id(priya.id).places_taken == 0
