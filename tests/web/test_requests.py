"""A mentee asks a mentor; the mentor answers from the email link or in the portal; cancelling,
closing, withdrawing; deactivated mentees and reactivation."""
import json
import re
from datetime import datetime, timedelta

import pytest

from jobs.sweeps import purge_old_records
from portal.core import clock
from portal.core.queue import enqueue
from portal.models import AuditEvent, Email, InboxItem, MenteeProfile, MentorProfile, MentorRequest, Relationship, User
from portal.privacy import erasure
from portal.requests import mentor_requests
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE, decision_link
from tests.support.servers import text_of
from tests.support.web import Web, errors, signed_in, text, words


@pytest.fixture
def people(app):
    mentee = make_user("jo@example.org", "Jo Bloggs", mentee=True, grade="ST3", specialty="Respiratory medicine")
    mentor = make_mentor("priya@example.org", "Priya Shah", contact_details="07700 900123")
    return mentee, mentor


def ask(web, mentor, note=NOTE):
    return web.submit(f"/mentors/{mentor.id}/request", {"note": note})


def test_the_mentor_is_emailed_everything_needed_to_answer(app, people, run_jobs, mailbox):
    mentee, mentor = people
    jo = signed_in(app, "jo@example.org")
    with at("2026-12-23T16:00"):
        response = ask(jo, mentor)
    assert response.headers["Location"] == "/mentoring"
    mentor_request = MentorRequest.get()
    assert (mentor_request.status, mentor_request.note) == ("pending", NOTE)
    assert mentor_request.deadline == datetime(2027, 1, 4, 23, 59)
    assert MentorProfile.get_by_id(mentor.id).places_taken == 1
    page = words(jo.get("/mentoring"))
    assert "You asked Priya Shah on Wednesday 23 December 2026" in page
    assert "answer by the end of Monday 4 January 2027" in page

    run_jobs()
    message = text_of(mailbox.wait_for("priya@example.org", "Jo would like you as their mentor"))
    for expected in ("Jo (ST3, Respiratory medicine)", NOTE, "by the end of Monday 4 January 2027", "/respond/"):
        assert expected in message
    assert "Bloggs" not in message and "jo@example.org" not in message  # first name only until they accept


def test_opening_the_link_changes_nothing_and_only_a_button_answers(app, people, run_jobs, mailbox):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    run_jobs()
    link = decision_link(mailbox)
    scanner = Web(app.test_client())  # a mail scanner, or the mentor, not logged in
    for _ in range(3):
        page = scanner.get(link)
        assert page.status_code == 200 and "Accept Jo" in text(page) and NOTE in words(page)
    assert MentorRequest.get().status == "pending"

    accepted = scanner.submit(link, {"action": "accept"})
    assert "You are Jo's mentor" in words(accepted)
    assert "jo@example.org" not in text(accepted)  # a link can be forwarded: contact details go by email
    mentor_request = MentorRequest.get()
    assert (mentor_request.status, mentor_request.decided_by) == ("accepted", "mentor")
    relationship = Relationship.get()
    assert (relationship.mentee_id, relationship.mentor_id, relationship.status) == (mentee.mentee.id, mentor.id,
                                                                                    "active")
    assert MenteeProfile.get_by_id(mentee.mentee.id).matched_at is not None
    assert MentorProfile.get_by_id(mentor.id).places_taken == 1

    run_jobs()
    to_mentee = text_of(mailbox.wait_for("jo@example.org", "Priya will be your mentor"))
    assert "07700 900123" in to_mentee and "priya@example.org" in to_mentee
    assert "jo@example.org" in text_of(mailbox.wait_for("priya@example.org", "You are now Jo's mentor"))

    # Used: the link now says what happened, and a second press changes nothing.
    again = scanner.get(link)
    assert "You are Jo's mentor" in words(again)
    second = scanner.submit(link, {"action": "decline"})
    assert Relationship.select().count() == 1 and MentorRequest.get().status == "accepted"
    assert "You are Jo's mentor" in words(second)


def test_matched_people_see_each_others_contact_details(app, people):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    priya = signed_in(app, "priya@example.org")
    mentor_request = MentorRequest.get()
    assert "07700 900123" not in text(signed_in(app, "jo@example.org").get(f"/mentors/{mentor.id}"))
    priya.submit(f"/requests/{mentor_request.id}/answer", {"action": "accept"})
    relationship = Relationship.get()
    jo = signed_in(app, "jo@example.org")
    assert "07700 900123" in text(jo.get(f"/mentoring/{relationship.id}"))
    assert "07700 900123" in text(jo.get(f"/mentors/{mentor.id}"))
    assert "jo@example.org" in text(priya.get(f"/mentoring/{relationship.id}"))
    stranger = make_user("sam@example.org", "Sam Stranger", mentee=True)
    assert signed_in(app, stranger.email).get(f"/mentoring/{relationship.id}").status_code == 403

    # Once the mentoring ends, the contact details are no longer shown.
    Relationship.update(status="withdrawn", closed_at=clock.now()).execute()
    assert "07700 900123" not in text(jo.get(f"/mentoring/{relationship.id}"))
    assert "07700 900123" not in text(jo.get(f"/mentors/{mentor.id}"))
    assert "jo@example.org" not in text(priya.get(f"/mentoring/{relationship.id}"))


def test_a_decline_carries_a_kind_message_and_sends_the_mentee_back_to_the_directory(app, people, run_jobs,
                                                                                    mailbox):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    priya = signed_in(app, "priya@example.org")
    mentor_request = MentorRequest.get()
    page = priya.get(f"/requests/{mentor_request.id}/answer")
    assert NOTE in words(page)
    too_long = priya.submit(f"/requests/{mentor_request.id}/answer", {"action": "decline", "message": "x" * 501})
    assert "500 characters or fewer" in errors(too_long)["message"]
    assert 'x' * 501 in text(too_long)
    assert MentorRequest.get().status == "pending"
    priya.submit(f"/requests/{mentor_request.id}/answer", {"action": "decline",
                                                    "message": "My rota is full until March, sorry."})
    assert MentorRequest.get().status == "declined"
    assert MentorProfile.get_by_id(mentor.id).places_taken == 0
    run_jobs()
    message = text_of(mailbox.wait_for("jo@example.org", "Priya cannot be your mentor just now"))
    assert "My rota is full until March, sorry." in message and "http://portal.test/mentors/" in message


WELCOME = "Welcome! I am free most Monday evenings, so let us start there."


@pytest.mark.parametrize("where", ["portal", "email link"])
def test_the_mentors_message_goes_with_an_acceptance_too(app, people, run_jobs, mailbox, where):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    if where == "portal":
        web, url = signed_in(app, "priya@example.org"), f"/requests/{MentorRequest.get().id}/answer"
    else:
        run_jobs()
        web, url = Web(app.test_client()), decision_link(mailbox)
    # One form: what is written in the box goes with whichever button is pressed.
    [form] = [f for f in re.findall(r"<form\b.*?</form>", text(web.get(url)), re.S) if 'value="accept"' in f]
    assert 'name="message"' in form and 'value="decline"' in form
    too_long = web.submit(url, {"action": "accept", "message": "x" * 501})
    assert "500 characters or fewer" in errors(too_long)["message"]
    assert MentorRequest.get().status == "pending"

    accepted = web.submit(url, {"action": "accept", "message": WELCOME})
    assert "You are Jo's mentor" in words(accepted) and "with your message" in words(accepted)
    run_jobs()
    assert WELCOME in text_of(mailbox.wait_for("jo@example.org", "Priya will be your mentor"))
    assert WELCOME in Email.get(Email.subject == "Priya will be your mentor").html_body
    assert f"Priya wrote: {WELCOME}" in words(signed_in(app, "jo@example.org").get("/mentoring"))


@pytest.mark.parametrize("how", ["the retention purge", "erasure"])
def test_an_acceptance_message_goes_when_the_request_words_go(app, people, run_jobs, how):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    signed_in(app, "priya@example.org").submit(f"/requests/{MentorRequest.get().id}/answer",
                                               {"action": "accept", "message": WELCOME})
    jo = signed_in(app, "jo@example.org")
    assert json.loads(text(jo.get("/account/data.json")))["mentee"]["requests"][0]["their_message"] == WELCOME
    if how == "the retention purge":
        with app.app_context():
            enqueue(purge_old_records, MentorRequest.get().decided_at + timedelta(days=91))
        run_jobs()
        assert "Priya wrote" not in words(jo.get("/mentoring"))
    else:
        with app.app_context():
            erasure.erase(User.get(User.email == "jo@example.org"), User.get(User.is_admin))
    assert MentorRequest.get().decline_message == ""


def test_the_mentee_cancels_a_waiting_request(app, people, run_jobs, mailbox):
    mentee, mentor = people
    jo = signed_in(app, "jo@example.org")
    ask(jo, mentor)
    mentor_request = MentorRequest.get()
    jo.submit(f"/requests/{mentor_request.id}/cancel")
    assert MentorRequest.get().status == "cancelled"
    assert MentorProfile.get_by_id(mentor.id).places_taken == 0
    again = jo.submit(f"/requests/{mentor_request.id}/cancel", follow_redirects=True)
    assert "already been cancelled by the mentee" in words(again)
    run_jobs()
    assert mailbox.wait_for("priya@example.org", "Jo has withdrawn their request")
    other = make_mentor("tom@example.org", "Tom Lee")
    assert ask(jo, other).status_code == 302  # free to ask someone else


@pytest.mark.parametrize("situation, words_shown", [
    ("self", "cannot ask yourself"),
    ("full", "join their waiting list"),
    ("paused", "not taking mentees just now"),
    ("leave", "not taking mentees just now"),
    ("second", "one mentor at a time"),
    ("matched", "already have a mentor"),
    ("deactivated", "account is paused"),
    ("unconfirmed", "Confirm your email address first"),
    ("empty note", "Say briefly what you would like to talk about"),
    ("long note", "1,000 characters or fewer"),
])
def test_requests_that_cannot_be_made_are_explained(app, people, situation, words_shown):
    mentee, mentor = people
    note = NOTE
    if situation == "self":
        MentorProfile.create(user=mentee, capacity=1)  # Jo mentors too
        mentor = MentorProfile.get(MentorProfile.user == mentee)
        User.update(password_hash=User.get_by_id(mentor.user_id).password_hash).execute()
    elif situation == "full":
        MentorProfile.update(capacity=1, places_taken=1).where(MentorProfile.id == mentor.id).execute()
    elif situation == "paused":
        MentorProfile.update(paused=True).where(MentorProfile.id == mentor.id).execute()
    elif situation == "leave":
        today = clock.today_london()
        MentorProfile.update(leave_from=today, leave_until=today).where(MentorProfile.id == mentor.id).execute()
    elif situation in ("second", "matched"):
        first = make_mentor("tom@example.org", "Tom Lee")
        ask(signed_in(app, "jo@example.org"), first)
        if situation == "matched":
            signed_in(app, "tom@example.org").submit(f"/requests/{MentorRequest.get().id}/answer", {"action": "accept"})
    elif situation == "deactivated":
        MenteeProfile.update(deactivated_at=clock.now()).execute()
    elif situation == "unconfirmed":
        User.update(email_confirmed_at=None).where(User.id == mentee.id).execute()
    elif situation == "empty note":
        note = "  "
    elif situation == "long note":
        note = "n" * 1001
    before = MentorRequest.select().count()
    response = ask(signed_in(app, "jo@example.org"), mentor, note)
    assert response.status_code in (400, 403, 404)
    assert words_shown in words(response)
    assert MentorRequest.select().count() == before
    if situation == "long note":
        assert "n" * 1001 in text(response)  # kept, to shorten


def test_answers_that_come_too_late_are_explained(app, people, run_jobs, mailbox):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    run_jobs()
    link = decision_link(mailbox)
    mentor_request = MentorRequest.get()
    with clock.travel(mentor_request.deadline - clock.now()):
        expired_link = Web(app.test_client()).get(link)
        assert "This link has expired" in words(expired_link) or "run out of time" in words(expired_link)
        in_portal = signed_in(app, "priya@example.org").submit(f"/requests/{mentor_request.id}/answer", {"action": "accept"})
        assert in_portal.status_code == 409 and "run out of time" in words(in_portal)
    assert MentorRequest.get().status == "pending" and not Relationship.select().exists()


def test_accepting_after_declining_changes_nothing(app, people):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    priya = signed_in(app, "priya@example.org")
    mentor_request = MentorRequest.get()
    priya.submit(f"/requests/{mentor_request.id}/answer", {"action": "decline"})
    late = priya.submit(f"/requests/{mentor_request.id}/answer", {"action": "accept"})
    assert late.status_code == 409 and "already been declined" in words(late)
    assert not Relationship.select().exists()


def test_pressing_the_emailed_link_again_after_accepting_is_a_conflict(app, people, run_jobs, mailbox):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    run_jobs()
    link = decision_link(mailbox)
    first, second = Web(app.test_client()), Web(app.test_client())  # say, the phone and the laptop
    first.get(link)
    second.get(link)
    assert first.submit(link, {"action": "accept"}).status_code == 200
    again = second.submit(link, {"action": "decline"})
    assert again.status_code == 409 and "You are Jo's mentor" in words(again)
    assert MentorRequest.get().status == "accepted" and Relationship.select().count() == 1
    assert Web(app.test_client()).get(link).status_code == 200  # looking at a spent link is no conflict


@pytest.mark.parametrize("token", ["nonsense", "Mw.forged-signature", "x" * 200])
def test_a_forged_or_tampered_link_is_refused_kindly(app, people, run_jobs, mailbox, token):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    run_jobs()
    real = decision_link(mailbox).rsplit("/", 1)[1]
    client = Web(app.test_client())
    for bad in (token, real[:-2] + ("ab" if real[-2:] != "ab" else "cd")):
        page = client.get(f"/respond/{bad}")
        assert page.status_code == 404 and "This link does not work" in words(page)
        assert client.submit(f"/respond/{bad}", {"action": "accept"}).status_code == 404
    assert MentorRequest.get().status == "pending"


def test_only_the_mentor_asked_or_an_admin_can_answer(app, people):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    mentor_request = MentorRequest.get()
    make_mentor("tom@example.org", "Tom Lee")
    assert signed_in(app, "tom@example.org").submit(f"/requests/{mentor_request.id}/answer",
                                                    {"action": "accept"}).status_code == 403
    assert signed_in(app, "jo@example.org").get(f"/requests/{mentor_request.id}/answer").status_code == 403
    make_user("ada@example.org", "Ada Admin", admin=True)
    signed_in(app, "ada@example.org").submit(f"/requests/{mentor_request.id}/answer", {"action": "accept"})
    assert MentorRequest.get().decided_by == "admin"


@pytest.mark.parametrize("change", ["leave", "pause", "unlist"])
def test_a_mentor_going_away_closes_waiting_requests(app, people, run_jobs, mailbox, change):
    mentee, mentor = people
    ask(signed_in(app, "jo@example.org"), mentor)
    today = clock.today_london()
    if change == "unlist":
        make_user("ada@example.org", "Ada Admin", admin=True)
        signed_in(app, "ada@example.org").submit(f"/admin/mentors/{mentor.id}/listing", {"listed": "no"})
    else:
        form = {"capacity": "2"}
        form.update({"paused": "y"} if change == "pause" else
                    {"leave_from": today.isoformat(), "leave_until": today.replace(day=28).isoformat()
                     if today.day < 28 else today.isoformat()})
        assert signed_in(app, "priya@example.org").submit_page("/mentor/availability", form).status_code == 302
    assert MentorRequest.get().status == "closed"
    assert MentorProfile.get_by_id(mentor.id).places_taken == 0
    run_jobs()
    message = text_of(mailbox.wait_for("jo@example.org", "Priya is not taking mentees just now"))
    assert "http://portal.test/mentors/" in message


def test_leave_booked_before_a_deadline_closes_the_request(app, people):
    mentee, mentor = people
    with at("2026-12-01T10:00"):
        ask(signed_in(app, "jo@example.org"), mentor)
        mentor_request = MentorRequest.get()
        assert mentor_request.deadline == datetime(2026, 12, 8, 23, 59)
        signed_in(app, "priya@example.org").submit_page("/mentor/availability", {
            "capacity": "2", "leave_from": "2026-12-07", "leave_until": "2026-12-20"})
    assert MentorRequest.get().status == "closed"


def test_withdrawal_through_the_team(app, people, run_jobs, mailbox):
    mentee, mentor = people
    jo = signed_in(app, "jo@example.org")
    ask(jo, mentor)
    signed_in(app, "priya@example.org").submit(f"/requests/{MentorRequest.get().id}/answer", {"action": "accept"})
    relationship = Relationship.get()
    jo.submit(f"/mentoring/{relationship.id}/withdraw", {"reason": "We did not click, and that is fine."})
    item = InboxItem.get(InboxItem.kind == "withdrawal")
    assert item.details == {"relationship": relationship.id, "asked_by": "mentee"}
    assert Relationship.get().status == "active"  # nothing changes until an admin confirms
    assert "did not click" not in text(signed_in(app, "priya@example.org").get(f"/mentoring/{relationship.id}"))

    make_user("ada@example.org", "Ada Admin", admin=True)
    ada = signed_in(app, "ada@example.org")
    detail = words(ada.get(f"/admin/inbox/{item.id}"))
    assert "We did not click, and that is fine." in detail and "Jo Bloggs (mentee) with Priya Shah" in detail
    ada.submit(f"/admin/inbox/{item.id}/withdraw")
    assert Relationship.get().status == "withdrawn"
    assert InboxItem.get_by_id(item.id).status == "closed"
    assert MentorProfile.get_by_id(mentor.id).places_taken == 0
    assert AuditEvent.get(AuditEvent.action == "withdrew_relationship").actor.email == "ada@example.org"
    run_jobs()
    assert "still count towards your allowance" in text_of(mailbox.wait_for("jo@example.org", "Your mentoring has ended"))
    assert mailbox.wait_for("priya@example.org", "Your mentoring has ended")
    again = ada.submit(f"/admin/inbox/{item.id}/withdraw", follow_redirects=True)
    assert again.status_code == 200
    tom = make_mentor("tom@example.org", "Tom Lee")
    assert ask(jo, tom).status_code == 302  # free to choose another mentor


def test_the_mentor_can_ask_for_a_withdrawal_too_and_asking_twice_raises_one_item(app, people):
    mentee, mentor = people
    jo = signed_in(app, "jo@example.org")
    ask(jo, mentor)
    priya = signed_in(app, "priya@example.org")
    priya.submit(f"/requests/{MentorRequest.get().id}/answer", {"action": "accept"})
    relationship = Relationship.get()
    for _ in range(2):
        asked = priya.submit(f"/mentoring/{relationship.id}/withdraw", {"reason": "I am moving abroad."},
                             follow_redirects=True)
        assert asked.status_code == 200
    item = InboxItem.get(InboxItem.kind == "withdrawal")
    assert InboxItem.select().where(InboxItem.kind == "withdrawal").count() == 1
    assert item.details == {"relationship": relationship.id, "asked_by": "mentor"} and item.user.email == "priya@example.org"
    assert "moving abroad" not in text(jo.get(f"/mentoring/{relationship.id}"))  # the reason is for the team
    make_user("sam@example.org", "Sam Stranger", mentee=True)
    stranger = signed_in(app, "sam@example.org").submit(f"/mentoring/{relationship.id}/withdraw", {"reason": "x"})
    assert stranger.status_code in (403, 404)
    assert InboxItem.select().where(InboxItem.kind == "withdrawal").count() == 1
    assert Relationship.get().status == "active"


def test_a_long_withdrawal_reason_is_explained_and_kept(app):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    with app.app_context():
        mentor_requests.decide(mentor_requests.make_request(jo, priya, NOTE), "accept", priya.user, "mentor")
    web = signed_in(app, "jo@example.org")
    relationship = Relationship.get()
    response = web.submit(f"/mentoring/{relationship.id}/withdraw", {"reason": "r" * 1001})
    assert response.status_code == 400
    assert "1,000 characters or fewer" in errors(response)["reason"]
    assert "r" * 1001 in text(response)
    assert not InboxItem.select().where(InboxItem.kind == "withdrawal").exists()


def test_a_deactivated_mentee_can_ask_to_be_reopened(app, people, run_jobs, mailbox):
    mentee, mentor = people
    MenteeProfile.update(deactivated_at=clock.now()).execute()
    jo = signed_in(app, "jo@example.org")
    home = words(jo.get("/"))
    assert "Your mentee account was paused" in home
    assert jo.get("/mentors/").status_code == 403
    jo.submit("/reactivation")
    jo.submit("/reactivation")
    item = InboxItem.get(InboxItem.kind == "reactivation")
    assert InboxItem.select().count() == 1

    make_user("ada@example.org", "Ada Admin", admin=True)
    ada = signed_in(app, "ada@example.org")
    before = clock.now()
    ada.submit(f"/admin/inbox/{item.id}/reactivate")
    profile = MenteeProfile.get()
    assert profile.deactivated_at is None and profile.period_started_at >= before
    assert InboxItem.get_by_id(item.id).status == "closed"
    run_jobs()
    assert mailbox.wait_for("jo@example.org", "Your mentee account is open again")
    assert jo.get("/mentors/").status_code == 200

    item2 = InboxItem.create(kind="reactivation", name="Jo Bloggs", email="jo@example.org", user=mentee)
    already = ada.submit(f"/admin/inbox/{item2.id}/reactivate", follow_redirects=True)
    assert "already open: nothing to do" in words(already)


def test_a_mentor_who_has_not_set_up_their_login_cannot_be_asked_by_id(app):
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    mentor = make_mentor("new@example.org", "New Mentor", password=False)
    mel = signed_in(app, "mel@example.org")
    assert mel.get(f"/mentors/{mentor.id}").status_code == 404
    response = mel.submit(f"/mentors/{mentor.id}/request", {"note": NOTE})
    assert "not taking mentees just now" in words(response)
    assert not MentorRequest.select().exists()
    assert MentorProfile.get_by_id(mentor.id).places_taken == 0
