"""Sending email: every message is written to the outbox first, then its delivery is queued.

`send` renders both bodies now and records them; the RQ job only delivers. Each email is
written once, as Markdown (templates/emails/<template>.md): the text body is that Markdown,
the HTML body the same Markdown rendered, so the two cannot say different things. Delivery is queued after the surrounding transaction
commits, and a Redis that cannot be reached only delays it: the sweep
`jobs.sweeps.requeue_emails` queues whatever is left waiting.
"""
import re
from datetime import datetime, timedelta

import markdown as markdown_lib
import nh3
from flask import current_app, render_template
from markupsafe import Markup

from portal.core import clock, queue
from portal.core.db import database
from portal.models import Email

# If a row is still queued this long after it was written, the sweep queues it again.
REQUEUE_AFTER = timedelta(minutes=2)

# What an email's HTML may hold: the Markdown we write makes nothing else, and names or messages
# people typed must not add anything (their raw HTML is shown as text, see _markdown_to_html).
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# The layout's look, added after cleaning (the allow-list keeps style attributes out of what people type).
STYLES = {
    "<a ": '<a style="color:#0b4f9c;word-break:break-all;" ',
    "<blockquote>": '<blockquote style="margin:16px 0;padding:12px 16px;border-left:4px solid #c3cbd3;'
                    'background:#f3f5f7;">',
}
# <https://...> and <someone@example.org> are Markdown's links; in the text body they stand bare,
# so mail programs make them clickable and a link ends where the address ends.
AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>]+|[^\s<>@]+@[^\s<>@]+)>")


def text_of_markdown(source: str) -> str:
    return AUTOLINK.sub(r"\1", source)


def html_of_markdown(source: str) -> str:
    converter = markdown_lib.Markdown(extensions=["nl2br"])  # a line break written is a line break shown
    # Markdown passes raw HTML through; what a person typed (a name, a message) must show as text.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html = nh3.clean(converter.convert(source), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=ALLOWED_URL_SCHEMES, link_rel=None)
    for plain, styled in STYLES.items():
        html = html.replace(plain, styled)
    return html


def render(template: str, subject: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of templates/emails/<template>.md, each in its layout."""
    source = render_template(f"emails/{template}.md", **context).strip()
    text = render_template("emails/_layout.md", body=text_of_markdown(source), **context)
    html = render_template("emails/_layout.html", subject=subject, body=Markup(html_of_markdown(source)),
                           **context)
    return text, html


def send(to: str, template: str, subject: str, *, user=None, dedupe_key: str | None = None,
         attachments: list[dict] | None = None, **context) -> int | None:
    """Record an email and queue its delivery; returns the outbox id, or None if dedupe_key was already sent."""
    subject = " ".join(subject.split())  # a header is one line, whatever a name contained
    context.setdefault("scheme_name", current_app.config["SCHEME_NAME"])
    context.setdefault("inbox_email", current_app.config["SCHEME_INBOX_EMAIL"])
    # Whether a calendar update goes with it: a sentence about the attachment shows only then.
    context.setdefault("attachments", bool(attachments))
    text_body, html_body = render(template, subject, **context)
    now = clock.now()
    inserted = (Email.insert(
        to_address=to,
        user=user,
        template=template,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
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
    return queue.try_enqueue(queue.DELIVER_EMAIL, email_id)


# A requeued row waits this long in the queue before the sweep queues it once more.
REQUEUE_GRACE = timedelta(minutes=5)


def requeue_waiting(now: datetime) -> int:
    """Queue again every outbox row still waiting past its time: how mail survives a Redis or SMTP outage,
    and a worker dying in the middle of sending (its claim lapses)."""
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
