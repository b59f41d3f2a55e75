"""Sending email: every message is written to the outbox first, then its delivery is queued (or, for
news a person chose to have in a daily summary, it waits in the outbox for portal.core.digest).

`send` renders both bodies now and records them; the RQ job only delivers. Inside `batched()`, a sweep
writing thousands of emails has them recorded together: a query for everyone's choices, one for their
unsubscribe links, and a few inserts, rather than several statements each. Each email is
written once, as Markdown (templates/emails/<template>.md): the text body is that Markdown,
the HTML body the same Markdown rendered, so the two cannot say different things. Delivery is queued after the surrounding transaction
commits, and a Redis that cannot be reached only delays it: the sweep
`jobs.sweeps.requeue_emails` queues whatever is left waiting.
"""
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import markdown as markdown_lib
import nh3
from flask import current_app
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


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    """This thread's Markdown converter, made once: making one costs more than converting an email."""
    converter = getattr(_converters, "converter", None)
    if converter is None:
        converter = markdown_lib.Markdown(extensions=["nl2br"])  # a line break written is a line break shown
        # Markdown passes raw HTML through; what a person typed (a name, a message) must show as text.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        _converters.converter = converter
    return converter.reset()


def html_of_markdown(source: str) -> str:
    html = nh3.clean(_converter().convert(source), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=ALLOWED_URL_SCHEMES, link_rel=None)
    for plain, styled in STYLES.items():
        html = html.replace(plain, styled)
    return html


def _render_email(file: str, /, **context) -> str:
    """An email template, given only what `send` passes: emails need nothing of a page's context (who is
    logged in, the navigation), and going past Flask's render_template saves a sweep writing thousands
    the work of building it for each."""
    return current_app.jinja_env.get_template(f"emails/{file}").render(**context)


def render_source(template: str, **context) -> str:
    """The words of templates/emails/<template>.md, as Markdown."""
    return _render_email(f"{template}.md", **context).strip()


def bodies(source: str, subject: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of an email's Markdown, each in its layout."""
    text = _render_email("_layout.md", body=text_of_markdown(source), **context)
    html = _render_email("_layout.html", subject=subject, body=Markup(html_of_markdown(source)), **context)
    return text, html


def render(template: str, subject: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of templates/emails/<template>.md, each in its layout."""
    return bodies(render_source(template, **context), subject, **context)


def unsubscribe_purpose(what: str) -> str:
    """The purpose of the lasting link that stops `what` (a key of rules.emails.STOPPABLE)."""
    return f"unsubscribe_{what}"


def choices_of(user) -> EmailPreference:
    """The person's choices about email (the defaults when they have made none)."""
    return _choices_of_all([user])[getattr(user, "id", None)]


def _choices_of_all(users: list) -> dict:
    """Each person's choices by user id (None: no person), in one query."""
    ids = sorted({user.id for user in users if user is not None})
    found = {p.user_id: p for p in EmailPreference.select().where(EmailPreference.user.in_(ids))} if ids else {}
    return {None: EmailPreference(user=None)} | {
        user.id: found.get(user.id) or EmailPreference(user=user) for user in users if user is not None}


@dataclass
class _Outgoing:
    """An email as `send` was asked for it, before it is rendered and recorded."""
    to: str
    template: str
    subject: str
    user: object
    dedupe_key: str | None
    attachments: list[dict] | None
    urgent: bool
    context: dict = field(default_factory=dict)


# The emails `send` noted inside `batched()`, waiting to be recorded together.
_batch: ContextVar[list[_Outgoing] | None] = ContextVar("mail_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Inside, `send` notes each email (and returns None); on leaving, they are recorded together, and
    their deliveries queued together after the commit. Leave it inside the transaction that made the
    change they tell of, so the two commit together; an error inside records none of them."""
    if _batch.get() is not None:
        yield  # inside another batch, which records them
        return
    noted: list[_Outgoing] = []
    token = _batch.set(noted)
    try:
        yield
    finally:
        _batch.reset(token)
    _record(noted)


def send(to: str, template: str, subject: str, *, user=None, dedupe_key: str | None = None,
         attachments: list[dict] | None = None, urgent: bool = False, **context) -> int | None:
    """Record an email and queue its delivery, or hold it for the person's daily summary when it is news
    they chose to have so (portal/rules/emails.py says which emails are news; `urgent` makes a
    cancellation action). Returns the outbox id, or None if dedupe_key was already sent, the person
    turned such emails off, or it is one of a batch (`batched`)."""
    outgoing = _Outgoing(to, template, subject, user, dedupe_key, attachments, urgent, context)
    noted = _batch.get()
    if noted is not None:
        noted.append(outgoing)
        return None
    recorded = _record([outgoing])
    return recorded[0] if recorded else None


# Rows a statement: PostgreSQL takes at most 65,535 parameters in one, and an email row has 13.
INSERT_ROWS = 1000


def _record(outgoing: list[_Outgoing]) -> list[int]:
    """Render and record the emails (those the person turned off are left out); returns the ids of those
    written (a dedupe key sent before writes nothing)."""
    if not outgoing:
        return []
    choices = _choices_of_all([o.user for o in outgoing])
    now = clock.now()
    scheme = {"scheme_name": current_app.config["SCHEME_NAME"], "inbox_email": current_app.config["SCHEME_INBOX_EMAIL"]}
    planned = []
    for o in outgoing:
        kind = email_rules.kind_of(o.template, o.urgent)
        chosen = choices[getattr(o.user, "id", None)]
        # Read without waiting for a change of choice in progress: news held just as one commits goes in
        # the next summary all the same (portal.core.digest).
        way = email_rules.delivery(kind, chosen.news, chosen.weekly_summary)
        if way != email_rules.SKIP:
            # A message that can be turned off says how, in its footer and in its List-Unsubscribe header.
            planned.append((o, chosen, way, email_rules.stoppable(kind) if o.user is not None else None))
    stop_links = {stop: links.lasting_for_all(unsubscribe_purpose(stop), [o.user for o, _, _, s in planned if s == stop])
                  for stop in {s for _, _, _, s in planned if s}}
    rows = []
    for o, chosen, way, stop in planned:
        # Whether a calendar update goes with it: a sentence about the attachment shows only then.
        context = {**scheme, "attachments": bool(o.attachments), **o.context}
        unsubscribe_url = None
        if stop:
            unsubscribe_url = links.external_url("accounts.unsubscribe", what=stop, token=stop_links[stop][o.user.id])
            context.update(stop=stop, unsubscribe_url=unsubscribe_url,
                           preferences_url=links.external_url("accounts.emails"))
        subject = " ".join(o.subject.split())  # a header is one line, whatever a name contained
        source = render_source(o.template, **context)
        text_body, html_body = bodies(source, subject, **context)
        held = way == email_rules.HOLD
        rows.append(dict(
            to_address=o.to, user=o.user, template=o.template, subject=subject, text_body=text_body,
            html_body=html_body, dedupe_key=o.dedupe_key, attachments=o.attachments or [], created_at=now,
            status=EmailStatus.HELD if held else EmailStatus.QUEUED,
            next_attempt_at=email_rules.next_summary(now, chosen.summary_hour) if held else now + REQUEUE_AFTER,
            held_body=source if held else "", unsubscribe_url=unsubscribe_url))
    written, to_queue = [], []
    for start in range(0, len(rows), INSERT_ROWS):
        for row in (Email.insert_many(rows[start:start + INSERT_ROWS]).on_conflict_ignore()
                    .returning(Email.id, Email.status).execute() or []):
            written.append(row.id)
            if row.status == EmailStatus.QUEUED:
                to_queue.append(row.id)
    if len(to_queue) == 1:
        database.after_commit(lambda: queue_delivery(to_queue[0]))
    elif to_queue:
        database.after_commit(lambda: queue_deliveries(to_queue))
    return written


def queue_delivery(email_id: int) -> bool:
    """Put a delivery job on the queue; with Redis down the outbox keeps the mail for the sweep."""
    return queue.try_enqueue(queue.DELIVER_EMAIL, email_id)


# Emails a delivery job of a sweep's carries: queuing a job costs Redis and the worker about as much as
# sending its email, and a worker lost part way leaves the rest to the requeue sweep.
EMAILS_A_JOB = 50


def queue_deliveries(email_ids: list[int]) -> int:
    """Queue the deliveries of many outbox rows, EMAILS_A_JOB a job, in one exchange with Redis; how many
    rows were queued."""
    chunks = [email_ids[start:start + EMAILS_A_JOB] for start in range(0, len(email_ids), EMAILS_A_JOB)]
    return len(email_ids) if queue.try_enqueue_each(queue.DELIVER_EMAILS, [(chunk,) for chunk in chunks]) else 0


# A requeued row waits this long in the queue before the sweep queues it once more.
REQUEUE_GRACE = timedelta(minutes=5)


def requeue_waiting(now: datetime) -> int:
    """Queue again every outbox row still waiting past its time: how mail survives a Redis or SMTP outage,
    and a worker dying in the middle of sending (its claim lapses)."""
    due = list(Email.select(Email.id)
               .where(Email.status.in_([EmailStatus.QUEUED, EmailStatus.SENDING]) & (Email.next_attempt_at <= now))
               .order_by(Email.next_attempt_at)
               .limit(1000))
    if not due:
        return 0
    # Pushed back before queuing, so the next minute's sweep leaves them alone while they wait.
    Email.update(next_attempt_at=now + REQUEUE_GRACE).where(Email.id.in_([e.id for e in due])).execute()
    return queue_deliveries([e.id for e in due])
