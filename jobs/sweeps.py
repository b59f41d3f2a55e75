"""Timed work, run every minute by the scheduler (see jobs.schedule).

Each sweep finds due rows with an indexed query and acts once on each: running a sweep
twice, late, or on two workers at once does nothing twice. A sweep takes `now` so tests
can move time forward instead of waiting for it.
"""
from datetime import datetime, timedelta

from portal import clock
from portal.mail import queue_delivery
from portal.models import Email

from . import job

# A requeued row waits this long in the queue before the sweep queues it once more.
REQUEUE_GRACE = timedelta(minutes=5)


@job
def requeue_emails(now: datetime | None = None) -> int:
    """Queue again every outbox row still waiting past its time: how mail survives a Redis or SMTP outage."""
    now = now or clock.now()
    due = list(Email.select(Email.id)
               .where((Email.status == "queued") & (Email.next_attempt_at <= now))
               .order_by(Email.next_attempt_at)
               .limit(1000))
    queued = 0
    for email in due:
        # Pushed back before queuing, so the next minute's sweep leaves it alone while it waits.
        Email.update(next_attempt_at=now + REQUEUE_GRACE).where(Email.id == email.id).execute()
        queued += queue_delivery(email.id)
    return queued


EVERY_MINUTE = [requeue_emails]
