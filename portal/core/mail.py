"""Sending email: every message is written to the outbox first, then its delivery is queued (or, for
news a person chose to have in a daily summary, it waits in the outbox for portal.core.digest).

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

from portal.core import clock, links, queue
from portal.core.db import database
from portal.models import Email, EmailPreference, EmailStatus
from portal.rules import emails as email_rules

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


def render_source(template: str, **context) -> str:
    """The words of templates/emails/<template>.md, as Markdown."""
    return render_template(f"emails/{template}.md", **context).strip()


def bodies(source: str, subject: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of an email's Markdown, each in its layout."""
    text = render_template("emails/_layout.md", body=text_of_markdown(source), **context)
    html = render_template("emails/_layout.html", subject=subject, body=Markup(html_of_markdown(source)),
                           **context)
    return text, html


def render(template: str, subject: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of templates/emails/<template>.md, each in its layout."""
    return bodies(render_source(template, **context), subject, **context)


def unsubscribe_purpose(what: str) -> str:
    """The purpose of the lasting link that stops `what` (a key of rules.emails.STOPPABLE)."""
    return f"unsubscribe_{what}"


def choices_of(user) -> EmailPreference:
    """The person's choices about email (the defaults when they have made none)."""
    found = EmailPreference.get_or_none(EmailPreference.user == user) if user is not None else None
    return found or EmailPreference(user=user)


def send(to: str, template: str, subject: str, *, user=None, dedupe_key: str | None = None,
         attachments: list[dict] | None = None, urgent: bool = False, **context) -> int | None:
    """Record an email and queue its delivery, or hold it for the person's daily summary when it is news
    they chose to have so (portal/rules/emails.py says which emails are news; `urgent` makes a
    cancellation action). Returns the outbox id, or None if dedupe_key was already sent or the person
    turned such emails off."""
    kind = email_rules.kind_of(template, urgent)
    subject = " ".join(subject.split())  # a header is one line, whatever a name contained
    context.setdefault("scheme_name", current_app.config["SCHEME_NAME"])
    context.setdefault("inbox_email", current_app.config["SCHEME_INBOX_EMAIL"])
    # Whether a calendar update goes with it: a sentence about the attachment shows only then.
    context.setdefault("attachments", bool(attachments))
    # Read without waiting for a change of choice in progress: news held just as one commits goes in the
    # next summary all the same (portal.core.digest).
    choices = choices_of(user)
    way = email_rules.delivery(kind, choices.news, choices.weekly_summary)
    if way == email_rules.SKIP:
        return None
    # A message that can be turned off says how, in its footer and in its List-Unsubscribe header.
    stop = email_rules.stoppable(kind) if user is not None else None
    unsubscribe_url = None
    if stop:
        unsubscribe_url = links.external_url("accounts.unsubscribe", what=stop,
                                             token=links.lasting(unsubscribe_purpose(stop), user))
        context.update(stop=stop, unsubscribe_url=unsubscribe_url,
                       preferences_url=links.external_url("accounts.emails"))
    source = render_source(template, **context)
    text_body, html_body = bodies(source, subject, **context)
    now = clock.now()
    held = way == email_rules.HOLD
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
        status=EmailStatus.HELD if held else EmailStatus.QUEUED,
        next_attempt_at=email_rules.next_summary(now, choices.summary_hour) if held else now + REQUEUE_AFTER,
        held_body=source if held else "",
        unsubscribe_url=unsubscribe_url,
    ).on_conflict_ignore().returning(Email.id).execute())
    rows = list(inserted or [])
    if not rows:
        return None  # that dedupe_key was sent before
    email_id = rows[0].id
    if not held:
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
               .where(Email.status.in_([EmailStatus.QUEUED, EmailStatus.SENDING]) & (Email.next_attempt_at <= now))
               .order_by(Email.next_attempt_at)
               .limit(1000))
    queued = 0
    for email in due:
        # Pushed back before queuing, so the next minute's sweep leaves it alone while it waits.
        Email.update(next_attempt_at=now + REQUEUE_GRACE).where(Email.id == email.id).execute()
        queued += queue_delivery(email.id)
    return queued
