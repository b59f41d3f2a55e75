"""Sending email: every message is written to the outbox first, then its delivery is queued.

`send` renders both bodies now (templates/emails/<template>.txt and .html) and records
them; the RQ job only delivers. Delivery is queued after the surrounding transaction
commits, and a Redis that cannot be reached only delays it: the sweep
`jobs.sweeps.requeue_emails` queues whatever is left waiting.
"""
from datetime import timedelta

from flask import current_app, render_template

from . import clock
from .db import database
from .models import Email

# If a row is still queued this long after it was written, the sweep queues it again.
REQUEUE_AFTER = timedelta(minutes=2)


def send(to: str, template: str, subject: str, *, user=None, dedupe_key: str | None = None,
         attachments: list[dict] | None = None, **context) -> int | None:
    """Record an email and queue its delivery; returns the outbox id, or None if dedupe_key was already sent."""
    subject = " ".join(subject.split())  # a header is one line, whatever a name contained
    context.setdefault("scheme_name", current_app.config["SCHEME_NAME"])
    context.setdefault("inbox_email", current_app.config["SCHEME_INBOX_EMAIL"])
    now = clock.now()
    inserted = (Email.insert(
        to_address=to,
        user=user,
        template=template,
        subject=subject,
        text_body=render_template(f"emails/{template}.txt", **context),
        html_body=render_template(f"emails/{template}.html", subject=subject, **context),
        dedupe_key=dedupe_key,
        attachments=attachments or [],
        created_at=now,
        next_attempt_at=now + REQUEUE_AFTER,
    ).on_conflict_ignore().returning(Email.id).execute())
    rows = list(inserted or [])
    if not rows:
        return None  # that dedupe_key was sent before
    email_id = rows[0].id
    database.after_commit(lambda: queue_delivery(email_id))
    return email_id


def queue_delivery(email_id: int) -> bool:
    """Put a delivery job on the queue; with Redis down the outbox keeps the mail for the sweep."""
    from jobs import try_enqueue
    from jobs.email import deliver

    return try_enqueue(deliver, email_id)
