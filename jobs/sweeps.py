"""Timed work, run every minute by the scheduler (see jobs.schedule): one line each, calling the subject
that owns the rule.

Each sweep finds due rows with an indexed query and acts once on each: running a sweep twice, late, or
on two workers at once does nothing twice. A sweep takes `now` so tests can move time forward instead of
waiting for it.
"""
from datetime import datetime
from functools import wraps

from jobs import job
from portal.admin import summary
from portal.core import clock, digest, mail
from portal.mentoring import relationships, sessions
from portal.models import SweepRun
from portal.privacy import retention
from portal.register import availability, imports, uploads
from portal.requests import idle, mentor_requests, waitlist
from portal.survey import evaluation


def sweep(func):
    """A job that also records when it last ran and how much it did (shown on the jobs health page)."""

    @wraps(func)
    def run(now: datetime | None = None) -> int:
        result = func(now or clock.now())
        SweepRun.insert(name=func.__name__, last_run_at=clock.now(), last_result=result or 0).on_conflict(
            conflict_target=[SweepRun.name],
            update={SweepRun.last_run_at: clock.now(), SweepRun.last_result: result or 0}).execute()
        return result

    return job(run, kind="sweep")


@sweep
def requeue_emails(now: datetime) -> int:
    """Mail left waiting (Redis or SMTP away, a worker lost mid-send) is queued again."""
    return mail.requeue_waiting(now)


@sweep
def send_daily_summaries(now: datetime) -> int:
    """News held for those who chose a daily summary goes, one email each, at the time they chose."""
    return digest.send_due(now)


@sweep
def send_weekly_summary(now: datetime) -> int:
    """Monday at 08:00 London time: the team's summary of the week ahead (it checks the time itself)."""
    return summary.send_due(now)


@sweep
def return_from_leave(now: datetime) -> int:
    """Mentors whose leave has ended are told they are back, and their free places offered."""
    return availability.return_from_leave(now)


@sweep
def end_pauses(now: datetime) -> int:
    """Mentors whose pause, set until a day when answering a request, has ended are told, and their places offered."""
    return availability.end_pauses(now)


@sweep
def lapse_waitlist_offers(now: datetime) -> int:
    """Places held for someone on a waiting list who did not take them go to the next in line."""
    return waitlist.lapse_offers(now)


@sweep
def tidy_uploads(now: datetime) -> int:
    """Headshots no profile uses and CSV files never confirmed go, a day after they came."""
    return uploads.tidy(now)


@sweep
def requeue_imports(now: datetime) -> int:
    """A confirmed import whose job never arrived is queued again; one that stopped part way is failed."""
    return imports.requeue(now)


@sweep
def expire_requests(now: datetime) -> int:
    """Requests not answered by the end of their last working day are rejected on the team's behalf."""
    return mentor_requests.expire_due(now)


@sweep
def remind_mentors(now: datetime) -> int:
    """Reminders of waiting requests: two working days before the deadline and on its last morning."""
    return mentor_requests.remind_due(now)


@sweep
def close_requests_for_away_mentors(now: datetime) -> int:
    """Requests waiting for a mentor whose leave has begun (or who is paused or off the register)."""
    return mentor_requests.close_for_away_mentors(now)


@sweep
def deactivate_idle_mentees(now: datetime) -> int:
    """Warnings, then deactivation, for mentees with no mentor within the period."""
    return idle.deactivate_idle_mentees(now)


@sweep
def remind_sessions(now: datetime) -> int:
    """A reminder to both, a day before each confirmed session."""
    return sessions.remind_due(now)


@sweep
def ask_session_outcomes(now: datetime) -> int:
    """After a session: did it take place, and shall we plan another?"""
    return sessions.ask_outcomes(now)


@sweep
def nudge_session_windows(now: datetime) -> int:
    """Five months after the match: a word about the six-month window."""
    return relationships.nudge_windows(now)


@sweep
def close_finished_relationships(now: datetime) -> int:
    """Mentoring whose allowance is used, with nothing more planned, closes."""
    return relationships.close_finished(now)


@sweep
def send_surveys(now: datetime) -> int:
    """The evaluation survey for each mentee whose mentoring has closed."""
    return evaluation.send_due(now)


@sweep
def remind_surveys(now: datetime) -> int:
    """One reminder, a week later, to those who have not answered."""
    return evaluation.remind_due(now)


@sweep
def purge_old_records(now: datetime) -> int:
    """The words of old requests and emails, and where long-closed mentoring met, are removed."""
    return retention.purge(now)


# The summaries last: they gather what the sweeps before them wrote in the same minute.
EVERY_MINUTE = [requeue_emails, expire_requests, remind_mentors, close_requests_for_away_mentors,
                deactivate_idle_mentees, return_from_leave, end_pauses, lapse_waitlist_offers, remind_sessions,
                ask_session_outcomes, nudge_session_windows, close_finished_relationships, send_surveys,
                remind_surveys, tidy_uploads, requeue_imports, send_daily_summaries, send_weekly_summary]

# Run once a day, in the small hours: they go through old records rather than due ones.
DAILY = [purge_old_records]
