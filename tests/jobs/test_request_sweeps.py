"""Time passing, through the sweeps' clock rather than by sleeping: reminders, the deadline,
deactivating mentees; each sweep acting once however often and however many workers run it."""
import threading
from datetime import datetime, timedelta

import pytest

from jobs.sweeps import deactivate_idle_mentees, expire_requests, remind_mentors
from portal.core.queue import enqueue
from portal.models import AuditEvent, Email, MenteeProfile, MentorProfile, MentorRequest, User
from portal.requests import idle, mentor_requests
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.jobs import work
from tests.support.mentoring import NOTE, decision_link
from tests.support.servers import text_of
from tests.support.web import Web, words


@pytest.fixture
def request_made(app_context):
    """Jo asked Priya on Wednesday 23 December 2026 at 4pm: due by the end of Monday 4 January."""
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    with at("2026-12-23T16:00"):
        mentor_request = mentor_requests.make_request(jo, priya, NOTE)
    assert mentor_request.deadline == datetime(2027, 1, 4, 23, 59)
    return mentor_request


def sweep(job, moment: str, times: int = 1):
    for _ in range(times):
        enqueue(job, datetime.fromisoformat(moment))


def test_reminders_two_working_days_before_and_on_the_last_morning(app, request_made, mailbox):
    sweep(remind_mentors, "2026-12-30T08:59", times=2)
    work(app)
    assert len(mailbox.to("priya@example.org")) == 1  # only the request itself so far
    sweep(remind_mentors, "2026-12-30T09:00", times=3)
    work(app)
    first = mailbox.wait_for("priya@example.org", "A reminder: a request is waiting")
    assert "by the end of Monday 4 January 2027" in text_of(first) and "/respond/" in text_of(first)
    sweep(remind_mentors, "2027-01-04T09:00", times=3)
    work(app)
    assert mailbox.wait_for("priya@example.org", "Today is the last day to answer a request")
    assert len(mailbox.to("priya@example.org")) == 3
    assert MentorRequest.get().reminders_sent == 2 and MentorRequest.get().next_reminder_at is None


def test_a_reminders_link_answers_the_request_and_so_does_the_first_emails(app, request_made, mailbox):
    work(app)
    first_link = decision_link(mailbox)
    sweep(remind_mentors, "2026-12-30T09:00")
    work(app)
    with at("2026-12-30T10:00"):
        page = Web(app.test_client()).get(first_link)
    assert "Accept Jo" in words(page)


def test_at_the_deadline_the_request_is_rejected_for_the_team(app, request_made, mailbox):
    sweep(expire_requests, "2027-01-04T23:58:59")
    work(app)
    assert MentorRequest.get().status == "pending"
    sweep(expire_requests, "2027-01-04T23:59", times=2)
    work(app)
    mentor_request = MentorRequest.get()
    assert (mentor_request.status, mentor_request.decided_by) == ("expired", "system")
    assert MentorProfile.get().places_taken == 0
    to_mentee = text_of(mailbox.wait_for("jo@example.org", "Your request has closed"))
    assert "nothing about you" in to_mentee and "http://portal.test/mentors/" in to_mentee
    assert mailbox.wait_for("priya@example.org", "A request to you has closed")
    assert len(mailbox.to("jo@example.org")) == 1 and len(mailbox.to("priya@example.org")) == 2
    event = AuditEvent.get(AuditEvent.action == "request_expired")
    assert event.actor is None and event.object_id == mentor_request.id


def test_two_workers_sweeping_at_once_send_nothing_twice(app, request_made, mailbox):
    due = datetime(2027, 1, 4, 23, 59)
    barrier = threading.Barrier(4)
    results = []

    def worker():
        with app.app_context():
            barrier.wait()
            results.append(mentor_requests.expire_due(due) + mentor_requests.remind_due(due))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    work(app)
    assert MentorRequest.get().status == "expired"
    assert sum(results) >= 1
    assert len(mailbox.to("jo@example.org")) == 1
    assert AuditEvent.select().where(AuditEvent.action == "request_expired").count() == 1


def test_a_mentee_is_warned_then_deactivated_after_three_months(app, app_context, mailbox):
    with at("2026-09-01T10:00"):
        make_user("jo@example.org", "Jo Bloggs", mentee=True)
    # Due 1 December 2026 at 10:00; warned on 17 and 29 November.
    for moment, expected in [("2026-11-17T09:59", 0), ("2026-11-17T10:00", 1), ("2026-11-20T10:00", 1),
                             ("2026-11-29T10:00", 2), ("2026-11-30T23:00", 2)]:
        sweep(deactivate_idle_mentees, moment, times=2)
        work(app)
        assert MenteeProfile.get().deactivation_warnings == expected, moment
    assert len(mailbox.to("jo@example.org")) == 2
    assert "Tuesday 1 December 2026" in text_of(mailbox.wait_for("jo@example.org", "Choose a mentor"))
    assert MenteeProfile.get().deactivated_at is None
    sweep(deactivate_idle_mentees, "2026-12-01T10:00", times=2)
    work(app)
    assert MenteeProfile.get().deactivated_at == datetime(2026, 12, 1, 10, 0)
    assert mailbox.wait_for("jo@example.org", "Your mentee account has been paused")
    assert len(mailbox.to("jo@example.org")) == 3
    assert AuditEvent.get(AuditEvent.action == "deactivated_mentee").actor is None


def test_a_waiting_request_counts_as_having_chosen(app, app_context, mailbox):
    with at("2026-09-01T10:00"):
        jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    with at("2026-11-25T10:00"):
        mentor_request = mentor_requests.make_request(jo, priya, NOTE)
    sweep(deactivate_idle_mentees, "2026-12-01T10:00")
    work(app)
    assert MenteeProfile.get().deactivated_at is None
    # Declined after a week of waiting: that week does not count, so the deadline moves a week on.
    with at("2026-12-02T10:00"):
        mentor_requests.decide(mentor_request, "decline", priya.user, "mentor")
    assert MenteeProfile.get().period_started_at == datetime(2026, 9, 8, 10, 0)
    sweep(deactivate_idle_mentees, "2026-12-07T10:00")
    work(app)
    assert MenteeProfile.get().deactivated_at is None
    sweep(deactivate_idle_mentees, "2026-12-08T10:00")
    work(app)
    assert MenteeProfile.get().deactivated_at is not None


def test_matched_mentees_are_never_deactivated(app, app_context):
    with at("2026-01-01T10:00"):
        make_user("jo@example.org", "Jo Bloggs", mentee=True)
    MenteeProfile.update(matched_at=datetime(2026, 2, 1)).execute()
    sweep(deactivate_idle_mentees, "2026-12-01T10:00")
    work(app)
    assert MenteeProfile.get().deactivated_at is None and MenteeProfile.get().deactivation_warnings == 0


def test_the_deadline_command_answers_when_a_request_runs_out(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["scheme", "deadline", "2026-12-23T16:00"]).output.strip() == \
        "2027-01-04T23:59:00+00:00"
    assert runner.invoke(args=["scheme", "deadline", "2026-06-26T10:00"]).output.strip() == \
        "2026-07-03T23:59:00+01:00"
    assert runner.invoke(args=["scheme", "deadline", "2026-12-23T16:00", "--days", "1"]).output.strip() == \
        "2026-12-24T23:59:00+00:00"
    bad = runner.invoke(args=["scheme", "deadline", "next tuesday"])
    assert bad.exit_code != 0 and "is not a date and time" in bad.output


def test_a_mentor_whose_leave_begins_has_their_waiting_requests_closed(app, request_made, mailbox):
    from jobs.sweeps import close_requests_for_away_mentors
    MentorProfile.update(leave_from=datetime(2026, 12, 28).date(), leave_until=datetime(2027, 1, 10).date()).execute()
    sweep(close_requests_for_away_mentors, "2026-12-27T12:00")
    work(app)
    assert MentorRequest.get().status == "pending"
    sweep(close_requests_for_away_mentors, "2026-12-28T00:30", times=2)
    work(app)
    assert MentorRequest.get().status == "closed"
    assert mailbox.wait_for("jo@example.org", "Priya is not taking mentees just now")
    assert len(mailbox.to("jo@example.org")) == 1


def test_deadlines_far_from_now_are_not_touched(app, request_made):
    """Made on 23 December: on Christmas Eve nothing is due, and a year before nothing could be."""
    christmas_eve = datetime(2026, 12, 24, 12, 0)
    assert mentor_requests.expire_due(christmas_eve) == 0
    assert mentor_requests.remind_due(christmas_eve - timedelta(days=400)) == 0


def test_a_request_sent_from_a_page_opened_before_the_deactivation_is_refused(app, app_context):
    with at("2026-09-01T10:00"):
        jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    signed_in = User.with_roles(jo.id)  # as the request's page loaded her, before the sweep ran
    assert signed_in.mentee.deactivated_at is None
    assert idle.deactivate_idle_mentees(datetime(2026, 12, 1, 10, 0)) == 1
    with pytest.raises(mentor_requests.RequestRefused, match="Your mentee account is paused"):
        mentor_requests.make_request(signed_in, priya, NOTE)
    assert not MentorRequest.select().exists()
    assert MentorProfile.get_by_id(priya.id).places_taken == 0
    assert not Email.select().where(Email.to_address == "priya@example.org").exists()


def test_mentees_already_warned_do_not_crowd_out_those_due_a_warning(app, app_context):
    """The sweep takes a limited number of mentees a run: those already warned, with nothing due, must
    not fill it and leave later ones unwarned (a bench with 10,000 due found 9,000 never warned)."""
    for n in range(4):  # warned once already, the second warning not due yet
        with at("2026-09-01T10:00"):
            make_user(f"warned{n}@example.org", f"Warned Number{n}", mentee=True, deactivation_warnings=1)
    for n in range(2):  # a week later: their first warning falls due on 17 November
        with at("2026-09-03T10:00"):
            make_user(f"new{n}@example.org", f"New Number{n}", mentee=True)
    assert idle.deactivate_idle_mentees(datetime(2026, 11, 20, 10, 0), limit=3) == 2
    assert MenteeProfile.select().where(MenteeProfile.deactivation_warnings == 1).count() == 6
