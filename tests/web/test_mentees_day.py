"""A mentee's day without friction (issue 13): what they stumbled on, walked through again."""
import re

import pytest

from portal.models import MentorProfile, MentorRequest, WaitlistEntry
from portal.requests import mentor_requests, waitlist
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.servers import text_of
from tests.support.web import signed_in, text, words


@pytest.fixture
def people(app):
    mentee = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    mentor = make_mentor("priya@example.org", "Priya Shah")
    return mentee, mentor


def test_after_a_decline_the_mentors_note_and_the_next_step_are_on_the_page(app, people):
    mentee, mentor = people
    with app.app_context():
        mentor_requests.decide(mentor_requests.make_request(mentee, mentor, NOTE), "decline", mentor.user, "mentor",
                               "My rota is full until March. Tom Lee knows returning after leave well.")
    jo = signed_in(app, "jo@example.org")
    for path in ("/mentoring", "/"):
        page = words(jo.get(path))
        assert "Priya cannot be your mentor just now" in page, path
        assert "My rota is full until March. Tom Lee knows returning after leave well." in page, path
        assert "Choose another mentor" in page and "You have not asked a mentor yet" not in page, path


def test_a_request_closed_unanswered_says_so_and_offers_the_next_step(app, people):
    mentee, mentor = people
    with app.app_context():
        mentor_requests.make_request(mentee, mentor, NOTE)
    MentorRequest.update(status="expired").execute()
    page = words(signed_in(app, "jo@example.org").get("/"))
    assert "Priya did not answer in time, so your request was closed" in page and "Choose another mentor" in page


def test_cancelling_a_request_asks_first(app, people):
    mentee, mentor = people
    with app.app_context():
        mentor_requests.make_request(mentee, mentor, NOTE)
    jo = signed_in(app, "jo@example.org")
    mine = jo.get("/mentoring")
    link = re.search(r'href="(/requests/\d+/cancel)">Cancel my request', text(mine)).group(1)
    question = jo.get(link)
    assert "Cancel your request to Priya Shah?" in words(question) and "Keep it" in words(question)
    assert MentorRequest.get().status == "pending"  # looking changes nothing
    jo.submit(link)
    assert MentorRequest.get().status == "cancelled"
    again = jo.get(link, follow_redirects=True)
    assert "already been cancelled by the mentee" in words(again)


def test_a_full_mentors_page_says_so_and_offers_the_waiting_list_while_a_request_waits(app, people):
    mentee, mentor = people
    full = make_mentor("tom@example.org", "Tom Lee", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == full.id).execute()
    with app.app_context():
        mentor_requests.make_request(mentee, mentor, NOTE)
    jo = signed_in(app, "jo@example.org")
    page = words(jo.get(f"/mentors/{full.id}"))
    assert "places are all taken just now" in page and "you can join this mentor's waiting list meanwhile" in page
    assert "Join the waiting list" in page
    joined = jo.submit(f"/mentors/{full.id}/waitlist", follow_redirects=True)
    assert "You are on Tom's waiting list" in words(joined), words(joined)[-1500:]
    for path in ("/", "/mentoring"):
        assert "You are number 1 on Tom Lee's waiting list" in words(jo.get(path)).replace(" 's", "'s"), path


def test_matched_elsewhere_a_mentee_leaves_the_waiting_list_and_is_told(app, people, run_jobs, mailbox):
    mentee, mentor = people
    full = make_mentor("tom@example.org", "Tom Lee", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == full.id).execute()
    with app.app_context():
        waitlist.join(mentee.mentee, MentorProfile.get_by_id(full.id))
        mentor_requests.decide(mentor_requests.make_request(mentee, mentor, NOTE), "accept", mentor.user, "mentor")
    assert WaitlistEntry.get().status == "left"
    run_jobs()
    told = text_of(mailbox.wait_for("jo@example.org", "You have left a waiting list"))
    assert "Tom Lee" in told and "Priya Shah is your mentor" in told
    assert "waiting list" not in words(signed_in(app, "jo@example.org").get("/"))
