"""A mentee's day without friction (issue 13): what they stumbled on, walked through again."""
import re

import pytest

from portal.models import MentorRequest
from portal.requests import mentor_requests
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE
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
