"""Timed work, run every minute by the scheduler (see jobs.schedule).

Each sweep finds due rows with an indexed query and acts once on each: running a sweep
twice, late, or on two workers at once does nothing twice. A sweep takes `now` so tests
can move time forward instead of waiting for it.
"""
from datetime import datetime, timedelta
from functools import wraps

from jobs import job
from portal.core import audit, clock, links, mail
from portal.core.db import database
from portal.core.mail import queue_delivery
from portal.core.queue import try_enqueue
from portal.mentoring import relationships, sessions
from portal.models import Email, ImportBatch, MentorProfile, StoredPhoto, SweepRun, User, mentor_state
from portal.requests import idle, mentor_requests, waitlist
from portal.rules import availability
from portal.rules import requests as request_rules
from portal.survey import evaluation


def sweep(func):
    """A job that also records when it last ran and how much it did (shown on the jobs health page)."""

    @wraps(func)
    def run(now: datetime | None = None) -> int:
        result = func(now)
        SweepRun.insert(name=func.__name__, last_run_at=clock.now(), last_result=result or 0).on_conflict(
            conflict_target=[SweepRun.name],
            update={SweepRun.last_run_at: clock.now(), SweepRun.last_result: result or 0}).execute()
        return result

    return job(run)

# A requeued row waits this long in the queue before the sweep queues it once more.
REQUEUE_GRACE = timedelta(minutes=5)
# Uploads nobody went on to save or confirm are kept this long.
KEEP_UNUSED_UPLOADS = timedelta(days=1)
# An import with no progress for this long has lost its worker.
STALLED_IMPORT = timedelta(minutes=30)


@sweep
def requeue_emails(now: datetime | None = None) -> int:
    """Queue again every outbox row still waiting past its time: how mail survives a Redis or SMTP outage,
    and a worker dying in the middle of sending (its claim lapses)."""
    now = now or clock.now()
    due = list(Email.select(Email.id)
               .where(Email.status.in_([Email.QUEUED, Email.SENDING]) & (Email.next_attempt_at <= now))
               .order_by(Email.next_attempt_at)
               .limit(1000))
    queued = 0
    for email in due:
        # Pushed back before queuing, so the next minute's sweep leaves it alone while it waits.
        Email.update(next_attempt_at=now + REQUEUE_GRACE).where(Email.id == email.id).execute()
        queued += queue_delivery(email.id)
    return queued


@sweep
def return_from_leave(now: datetime | None = None) -> int:
    """Mentors whose leave has ended are back in the directory (it reads the dates); tell them so,
    once, and offer their free places to anyone waiting."""
    now = now or clock.now()
    today = clock.to_london(now).date()
    ended = list(MentorProfile.select(MentorProfile.id, MentorProfile.leave_until)
                 .where(MentorProfile.leave_until < today).limit(500))
    returned = 0
    for mentor in ended:
        with database.atomic():
            if not MentorProfile.update(leave_from=None, leave_until=None).where(
                    (MentorProfile.id == mentor.id) & (MentorProfile.leave_until == mentor.leave_until)).execute():
                continue
            profile = MentorProfile.get_by_id(mentor.id)
            user = User.get_by_id(profile.user_id)
            mail.send(user.email, "leave_ended", "Welcome back: mentees can find you again", user=user,
                      name=user.first_name, visible=mentor_state(profile, today) in availability.OFFERED,
                      url=links.external_url("register.availability"),
                      dedupe_key=f"leave-ended:{mentor.id}:{mentor.leave_until}")
            audit.record(None, "returned_from_leave", profile)
            returned += 1
        waitlist.offer_free_places(mentor.id, now)
    return returned


@sweep
def lapse_waitlist_offers(now: datetime | None = None) -> int:
    """Places held for someone on a waiting list who did not take them go to the next in line."""
    return waitlist.lapse_offers(now or clock.now())


@sweep
def tidy_uploads(now: datetime | None = None) -> int:
    """Drop headshots no profile uses and CSV files never confirmed, a day after they came."""
    now = now or clock.now()
    before = now - KEEP_UNUSED_UPLOADS
    used = MentorProfile.select(MentorProfile.photo).where(MentorProfile.photo.is_null(False))
    photos = StoredPhoto.delete().where((StoredPhoto.created_at < before) & StoredPhoto.key.not_in(used)).execute()
    files = ImportBatch.update(status="expired", data=None).where(
        (ImportBatch.status == "previewed") & (ImportBatch.created_at < before)).execute()
    return photos + files


@sweep
def requeue_imports(now: datetime | None = None) -> int:
    """A confirmed import whose job never arrived (Redis was down) is queued again; one whose worker
    died part way is marked failed, to be uploaded again (rows are matched by email, so that is safe)."""
    from jobs.imports import import_mentors
    now = now or clock.now()
    ImportBatch.update(status="failed", finished_at=now, data=None,
                       error="The import stopped part way. Upload the file again: rows already imported "
                             "are matched by email and will not be doubled.").where(
        (ImportBatch.status == "running") & (ImportBatch.progress_at < now - STALLED_IMPORT)).execute()
    waiting = ImportBatch.select(ImportBatch.id).where(
        (ImportBatch.status == "queued") & (ImportBatch.queued_at < now - timedelta(minutes=2)))
    return sum(try_enqueue(import_mentors, batch.id, job_timeout=3600) for batch in waiting)


@sweep
def expire_requests(now: datetime | None = None) -> int:
    """Requests not answered by the end of their last working day are rejected on the team's behalf."""
    return mentor_requests.expire_due(now or clock.now())


@sweep
def remind_mentors(now: datetime | None = None) -> int:
    """Reminders of waiting requests: two working days before the deadline and on its last morning."""
    return mentor_requests.remind_due(now or clock.now())


@sweep
def close_requests_for_away_mentors(now: datetime | None = None) -> int:
    """Requests waiting for a mentor whose leave has begun (or who is paused or off the register)."""
    return mentor_requests.close_for_away_mentors(now or clock.now())


@sweep
def deactivate_idle_mentees(now: datetime | None = None) -> int:
    """Warnings, then deactivation, for mentees with no mentor within the period."""
    return idle.deactivate_idle_mentees(now or clock.now())


@sweep
def remind_sessions(now: datetime | None = None) -> int:
    """A reminder to both, a day before each confirmed session."""
    return sessions.remind_due(now or clock.now())


@sweep
def ask_session_outcomes(now: datetime | None = None) -> int:
    """After a session: did it take place, and shall we plan another?"""
    return sessions.ask_outcomes(now or clock.now())


@sweep
def nudge_session_windows(now: datetime | None = None) -> int:
    """Five months after the match: a word about the six-month window."""
    return relationships.nudge_windows(now or clock.now())


@sweep
def close_finished_relationships(now: datetime | None = None) -> int:
    """Mentoring whose allowance is used, with nothing more planned, closes."""
    return relationships.close_finished(now or clock.now())


@sweep
def send_surveys(now: datetime | None = None) -> int:
    """The evaluation survey for each mentee whose mentoring has closed."""
    return evaluation.send_due(now or clock.now())


@sweep
def remind_surveys(now: datetime | None = None) -> int:
    """One reminder, a week later, to those who have not answered."""
    return evaluation.remind_due(now or clock.now())


@sweep
def purge_old_records(now: datetime | None = None) -> int:
    """Keep personal data no longer than it is useful (SCHEME.md): the words of finished requests after
    RETENTION_DAYS_WORDS, the bodies of sent emails after the same, and where and how sessions met
    once a relationship has been closed for RETENTION_MONTHS. What remains is counts and dates."""
    from dateutil.relativedelta import relativedelta
    from flask import current_app

    from portal.models import MentoringSession, MentorRequest, Relationship
    now = now or clock.now()
    words_before = now - timedelta(days=current_app.config["RETENTION_DAYS_WORDS"])
    with database.atomic():
        requests = MentorRequest.update(note="", decline_message="").where(
            (MentorRequest.status != request_rules.PENDING) & (MentorRequest.decided_at < words_before)
            & ((MentorRequest.note != "") | (MentorRequest.decline_message != ""))).execute()
        emails = Email.update(text_body="", html_body="", attachments=[]).where(
            (Email.status == Email.SENT) & (Email.sent_at < words_before) & (Email.text_body != "")).execute()
        closed_long_ago = Relationship.select(Relationship.id).where(
            Relationship.closed_at < now - relativedelta(months=current_app.config["RETENTION_MONTHS"]))
        places = MentoringSession.update(place="", joining_link="").where(
            MentoringSession.relationship.in_(closed_long_ago)
            & ((MentoringSession.place != "") | (MentoringSession.joining_link != ""))).execute()
        if requests or emails or places:
            audit.record(None, "purged", detail=f"{requests} request notes, {emails} email bodies, "
                                               f"{places} session places")
    return requests + emails + places


EVERY_MINUTE = [requeue_emails, expire_requests, remind_mentors, close_requests_for_away_mentors,
                deactivate_idle_mentees, return_from_leave, lapse_waitlist_offers, remind_sessions,
                ask_session_outcomes, nudge_session_windows, close_finished_relationships, send_surveys,
                remind_surveys, tidy_uploads, requeue_imports]

# Run once a day, in the small hours: they go through old records rather than due ones.
DAILY = [purge_old_records]
