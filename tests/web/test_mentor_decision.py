"""The mentor's side of a decision: stopping new requests in the same press as an answer, asking the
mentee one question first, and how quickly they usually answer."""
from datetime import date, datetime, timedelta

import pytest
from flask import g

from jobs.sweeps import end_pauses, purge_old_records
from portal.models import Email, MentorProfile, MentorRequest, ProfileChange, User, WaitlistEntry
from portal.requests import mentor_requests, waitlist
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.web import Web, errors, signed_in, text, typed_date, words

WHEN = "2026-11-23T10:00"  # a Monday


@pytest.fixture
def people(app):
    with app.app_context(), at(WHEN):
        jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
        kim = make_user("kim@example.org", "Kim Park", mentee=True)
        priya = make_mentor("priya@example.org", "Priya Shah", capacity=2, contact_details="07700 900123")
        first = mentor_requests.make_request(jo, priya, NOTE)
        second = mentor_requests.make_request(kim, priya, "Kim's note.")
    return priya, first, second


def emails_to(address: str) -> list[Email]:
    return list(Email.select().where(Email.to_address == address).order_by(Email.id))


def link_for(mentor_request) -> str:
    """The answer link as emailed to the mentor for this request."""
    body = Email.get(Email.dedupe_key == f"request-new:{mentor_request.id}").text_body
    return body[body.index("/respond/"):].split()[0]


def test_declining_from_the_email_link_can_stop_new_requests_until_a_day(app, people):
    priya, first, second = people
    with app.app_context(), at(WHEN):
        waiting = make_user("sam@example.org", "Sam Waiting", mentee=True)
    scanner = Web(app.test_client())
    link = link_for(first)
    with at("2026-11-24T09:00"):
        page = scanner.get(link)
        assert "Full for now? Stop new requests for a while" in text(page)
        answered = scanner.submit(link, {"action": "decline", "pause_until": "2027-01-10"})
    assert answered.status_code == 200
    assert "You are taking no new requests until the end of Sunday 10 January 2027" in words(answered)
    mentor = MentorProfile.get_by_id(priya.id)
    assert (mentor.paused, mentor.paused_until) == (True, date(2027, 1, 10))
    assert ProfileChange.select().where(ProfileChange.mentor == priya.id).order_by(ProfileChange.id.desc()).get(
        ).changes == {"paused": [False, True], "paused_until": [None, "2027-01-10"]}
    # As for any paused mentor: the other request waiting for her closes and Kim is told; she is hidden.
    assert MentorRequest.get_by_id(first.id).status == "declined"
    assert MentorRequest.get_by_id(second.id).status == "closed"
    assert emails_to("kim@example.org")[-1].subject == "Priya is not taking mentees just now"
    assert mentor.places_taken == 0
    with at("2026-11-24T09:30"):
        assert "Priya" not in words(signed_in(app, "sam@example.org").get("/mentors/"))
    # Nobody on her waiting list is offered the place she freed.
    with app.app_context():
        WaitlistEntry.create(mentor=priya.id, mentee=waiting.mentee.id)
        assert waitlist.offer_free_places(priya.id) == 0


def test_accepting_in_the_portal_can_stop_new_requests_too(app, people):
    priya, first, second = people
    with at("2026-11-24T09:00"):
        signed_in(app, "priya@example.org").submit(f"/requests/{first.id}/answer",
                                                   {"action": "accept", "pause_until": "2026-12-31"})
    assert MentorRequest.get_by_id(first.id).status == "accepted"
    assert MentorProfile.get_by_id(priya.id).paused_until == date(2026, 12, 31)
    assert MentorRequest.get_by_id(second.id).status == "closed"
    assert MentorProfile.get_by_id(priya.id).places_taken == 1  # Jo's mentoring


@pytest.mark.parametrize("until, message", [
    ("2026-11-24", "The date must be after today"),
    ("2026-01-01", "The date must be after today"),
    ("2028-01-01", "within a year of today"),
    ("31/02/2027", "Enter a real date"),
])
def test_a_pause_date_that_cannot_be_is_explained_and_nothing_is_answered(app, people, until, message):
    priya, first, second = people
    with at("2026-11-24T09:00"):
        response = signed_in(app, "priya@example.org").submit(
            f"/requests/{first.id}/answer", {"action": "decline", "message": "Sorry.", "pause_until": until})
    assert response.status_code == 400 and message in errors(response)["pause_until"]
    # A real date comes back in its three boxes; one that cannot be comes back as it was typed.
    year, month, day = until.split("-") if "-" in until else ("", "", "")
    assert (typed_date(response, "pause_until") == f"{int(day)} {int(month)} {year}" if year
            else f'value="{until}"' in text(response)) and "Sorry." in text(response)
    assert MentorRequest.get_by_id(first.id).status == "pending" and not MentorProfile.get_by_id(priya.id).paused


def test_the_team_answering_for_a_mentor_cannot_pause_them(app, people):
    priya, first, second = people
    admin = signed_in(app, "register@example.org")
    assert "Stop new requests" not in text(admin.get(f"/requests/{first.id}/answer"))
    with at("2026-11-24T09:00"):
        admin.submit(f"/requests/{first.id}/answer", {"action": "decline", "pause_until": "2026-12-31"})
    assert MentorRequest.get_by_id(first.id).status == "declined" and not MentorProfile.get_by_id(priya.id).paused


def test_the_pause_ends_after_its_last_day_and_the_mentor_is_told(app, people):
    priya, first, second = people
    with app.app_context(), at("2026-11-24T09:00"):
        mentor_requests.decide(first, "decline", User.get(User.email == "priya@example.org"), "mentor",
                               pause_until=date(2026, 12, 4))
        waiting = make_user("sam@example.org", "Sam Waiting", mentee=True)
    WaitlistEntry.create(mentor=priya.id, mentee=waiting.mentee.id)  # joined while she was full, say
    with app.app_context():
        assert end_pauses(datetime(2026, 12, 4, 20, 0)) == 0  # still its last day
        assert end_pauses(datetime(2026, 12, 5, 8, 0)) == 1
        assert end_pauses(datetime(2026, 12, 5, 8, 1)) == 0  # once
    mentor = MentorProfile.get_by_id(priya.id)
    assert (mentor.paused, mentor.paused_until) == (False, None)
    assert emails_to("priya@example.org")[-1].subject == "Your pause has ended: mentees can find you again"
    assert WaitlistEntry.get().status == "offered"  # the free place goes to the waiting list


def test_unpausing_by_hand_ends_a_pause_set_until_a_day(app, people):
    priya, first, second = people
    with app.app_context(), at("2026-11-24T09:00"):
        mentor_requests.decide(first, "decline", User.get(User.email == "priya@example.org"), "mentor",
                               pause_until=date(2026, 12, 4))
    web = signed_in(app, "priya@example.org")
    with at("2026-11-24T10:00"):
        assert "taking no new requests until the end of Friday 4 December 2026" in words(web.get("/mentor/profile"))
        assert web.submit_page("/mentor/availability", {"capacity": "2"}).status_code == 302
    assert (MentorProfile.get_by_id(priya.id).paused, MentorProfile.get_by_id(priya.id).paused_until) == (False, None)


@pytest.mark.parametrize("where", ["portal", "email link"])
def test_a_mentor_asks_one_question_first_and_sees_the_reply(app, people, where):
    with at("2026-11-24T09:00"):  # before the deadline, throughout
        priya, first, second = people
        mentor = signed_in(app, "priya@example.org") if where == "portal" else Web(app.test_client())
        url = f"/requests/{first.id}/answer" if where == "portal" else link_for(first)
        asked = mentor.submit(url, {"action": "question", "question": "Would evenings after 7pm suit you?"})
        assert asked.status_code == 302 and asked.headers["Location"].endswith(url)
        page = words(mentor.get(url))
        assert "Your question has gone to Jo" in page and "Jo answered Not yet" in page
        assert "Ask Jo a question first" not in page  # one question only
        request = MentorRequest.get_by_id(first.id)
        assert (request.status, request.deadline) == ("pending", first.deadline)  # the deadline does not move
        told = emails_to("jo@example.org")[-1]
        assert told.subject == "Priya has a question before answering"
        assert "Would evenings after 7pm suit you?" in told.text_body and "07700 900123" not in told.text_body
        assert "priya@example.org" not in told.text_body

        jo = signed_in(app, "jo@example.org")
        assert "Before answering, Priya asked: Would evenings after 7pm suit you?" in words(jo.get("/mentoring"))
        too_long = jo.submit(f"/requests/{first.id}/reply", {"reply": "y" * 1001})
        assert too_long.status_code == 400 and "1,000 characters or fewer" in errors(too_long)["reply"]
        assert "y" * 1001 in text(too_long)
        assert jo.submit(f"/requests/{first.id}/reply", {"reply": "Yes, after bedtime is perfect."}).status_code == 302
        assert "You answered: Yes, after bedtime is perfect." in words(jo.get("/mentoring"))
        again = jo.submit(f"/requests/{first.id}/reply", {"reply": "Also weekends."})
        assert "You have already answered this question" in errors(again)["reply"]
        assert MentorRequest.get_by_id(first.id).reply == "Yes, after bedtime is perfect."

        reply = emails_to("priya@example.org")[-1]
        assert reply.subject == "Jo has answered your question" and "Yes, after bedtime is perfect." in reply.text_body
        assert "jo@example.org" not in reply.text_body and "/respond/" in reply.text_body
        assert "Jo answered Yes, after bedtime is perfect." in words(mentor.get(url))
        # Asking has not used up the link: the answer still works from it.
        assert "You are Jo's mentor" in words(mentor.submit(url, {"action": "accept"}))


def test_a_second_question_or_one_too_late_is_refused(app, people):
    priya, first, second = people
    web = signed_in(app, "priya@example.org")
    url = f"/requests/{first.id}/answer"
    with at("2026-11-24T09:00"):
        empty = web.submit(url, {"action": "question", "question": "  "})
        too_long = web.submit(url, {"action": "question", "question": "q" * 301})
    assert empty.status_code == 400 and "Write your question" in errors(empty)["question"]
    assert "300 characters or fewer" in errors(too_long)["question"] and "q" * 301 in text(too_long)
    with app.app_context(), at("2026-11-24T09:00"):
        mentor_requests.ask_question(first, User.get(User.email == "priya@example.org"), "Evenings?")
        with pytest.raises(mentor_requests.RequestRefused, match="already asked a question"):
            mentor_requests.ask_question(first, User.get(User.email == "priya@example.org"), "Weekends?")
        mentor_requests.decide(second, "decline", User.get(User.email == "priya@example.org"), "mentor")
        with pytest.raises(mentor_requests.RequestRefused, match="already been declined"):
            mentor_requests.ask_question(second, User.get(User.email == "priya@example.org"), "Evenings?")
        with pytest.raises(mentor_requests.RequestRefused, match="already been declined"):
            mentor_requests.reply_to_question(second, User.get(User.email == "kim@example.org"), "Yes")


def test_a_question_and_its_reply_are_request_words_purged_and_erased_with_the_note(app, people):
    priya, first, second = people
    with app.app_context(), at("2026-11-24T09:00"):
        mentor_requests.ask_question(first, User.get(User.email == "priya@example.org"), "Evenings?")
        mentor_requests.reply_to_question(first, User.get(User.email == "jo@example.org"), "Yes please")
        mentor_requests.decide(first, "decline", User.get(User.email == "priya@example.org"), "mentor")
    data = signed_in(app, "jo@example.org").get("/account/data.json").get_json()
    assert (data["mentee"]["requests"][0]["their_question"], data["mentee"]["requests"][0]["your_reply"]) == (
        "Evenings?", "Yes please")
    with app.app_context():
        purge_old_records(datetime(2027, 6, 1))
    purged = MentorRequest.get_by_id(first.id)
    assert (purged.note, purged.question, purged.reply) == ("", "", "")


def answered(app, mentor, mentee_email, asked: str, days_later: int, by="mentor"):
    """A request to `mentor` asked at `asked` and answered `days_later` calendar days on."""
    when = datetime.fromisoformat(asked)
    with app.app_context(), at(asked):
        user = make_user(mentee_email, "Some Mentee", mentee=True)
        request = mentor_requests.make_request(user, mentor, NOTE)
    with app.app_context(), at((when + timedelta(days=days_later)).isoformat()):
        who = User.get(User.email == "priya@example.org") if by == "mentor" else User.get(User.is_admin)
        mentor_requests.decide(request, "decline", who, by)


def test_usually_answers_within_shows_once_there_are_three_answers(app):
    with app.app_context():
        priya = make_mentor("priya@example.org", "Priya Shah", capacity=5)
        make_user("jo@example.org", "Jo Bloggs", mentee=True)
    # Answered in 0, 2 (a Monday asked, answered Wednesday) and 3 working days; one the team answered
    # and one from long ago do not count.
    answered(app, priya, "a@example.org", "2026-10-05T09:00", 0)
    answered(app, priya, "b@example.org", "2026-10-12T09:00", 2)
    own = signed_in(app, "priya@example.org")
    with at("2026-11-30T09:00"):
        assert "Once you have answered 3 requests" in words(own.get("/mentor/profile"))
    answered(app, priya, "c@example.org", "2026-10-19T09:00", 3)
    answered(app, priya, "d@example.org", "2026-10-26T09:00", 4, by="admin")
    answered(app, priya, "e@example.org", "2025-06-02T09:00", 1)
    jo = signed_in(app, "jo@example.org")
    with at("2026-11-30T09:00"):
        assert "Usually answers within 2 working days" in words(jo.get("/mentors/"))
        assert "Usually answers within 2 working days" in words(jo.get(f"/mentors/{priya.id}"))
        assert "Mentees see that you usually answer within 2 working days" in words(own.get("/mentor/profile"))
    with at("2027-11-01T09:00"):  # a year on, the answers are too old to say
        assert "Usually answers" not in words(jo.get("/mentors/"))


def test_the_answer_page_is_shown_without_looking_up_who_is_logged_in_until_pressed(app, people):
    """Mail scanners and mentors signed in or not see the same page: drawn as for someone logged out, so
    the login's query is not run (the press itself is answered as the mentor the link was sent to)."""
    priya, first, _ = people
    link = link_for(first)
    signed_in_mentor = signed_in(app, "priya@example.org")
    with signed_in_mentor.client, at("2026-11-24T09:00"):
        page = signed_in_mentor.get(link)
        assert "_login_user" in g and not g._login_user.is_authenticated
    assert "Accept Jo" in text(page) and "Log in" in words(page)
    with signed_in_mentor.client:
        assert signed_in_mentor.get("/account/").status_code == 200  # still signed in
        assert g._login_user.email == "priya@example.org"
    with at("2026-11-24T09:00"):
        assert signed_in_mentor.submit(link, {"action": "accept"}).status_code == 200
    assert MentorRequest.get_by_id(first.id).status == "accepted"
