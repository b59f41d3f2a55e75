"""Mentees and mentors brought together: a request's note, the mentor's emailed link, a matched pair."""
import re

from portal.requests import mentor_requests
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.servers import text_of

NOTE = "Coming back to ST3 after a year of parental leave, and nervous about nights."


def decision_link(mailbox, address="priya@example.org") -> str:
    message = mailbox.wait_for(address, "would like you as their mentor")
    return re.search(r"http://portal\.test(/respond/\S+)", text_of(message)).group(1)


def make_pair(app, n, *, accept=True, when="2026-11-02T10:00"):
    """Mentee n asks mentor n at `when`, both having joined then (so reports count them in that month)."""
    with app.app_context(), at(when):
        mentee = make_user(f"mentee{n}@example.org", f"Mentee Number{n}", mentee=True)
        mentor = make_mentor(f"mentor{n}@example.org", f"Mentor Number{n}")
        mentor_request = mentor_requests.make_request(mentee, mentor, NOTE)
        if accept:
            mentor_requests.decide(mentor_request, "accept", mentor.user, "mentor")
    return mentee, mentor, mentor_request
