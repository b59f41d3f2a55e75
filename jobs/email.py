"""Delivering one outbox row.

A row is claimed before sending, so two jobs for the same row (one queued at once, one by
the sweep after an outage) send it once. On an SMTP error the row goes back to the outbox
with a later time, and the sweep queues it again then: backoff kept in the database.
"""
import atexit
import smtplib
import ssl
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from functools import cache
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from jobs import job
from portal.core import clock
from portal.models import Email, EmailStatus

MAX_ATTEMPTS = 12


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failure, never more than an hour: about 7 hours in all."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


@job
def deliver(email_id: int) -> str:
    return _deliver(email_id)


@job
def deliver_each(email_ids: list[int]) -> str:
    """Several outbox rows in turn (a sweep's, portal.core.mail.queue_deliveries); how each went, counted."""
    done = Counter(_deliver(email_id) for email_id in email_ids)
    return ", ".join(f"{count} {result}" for result, count in sorted(done.items()))


def _deliver(email_id: int) -> str:
    now = clock.now()
    claim_until = now + timedelta(seconds=current_app.config["EMAIL_CLAIM_SECONDS"])
    # The claim also moves the row's due time to when the claim lapses: if this worker dies mid-send,
    # the sweep finds the row again then and another worker sends it.
    claimed = list(Email.update(status=EmailStatus.SENDING, claimed_until=claim_until, next_attempt_at=claim_until,
                                attempts=Email.attempts + 1)
                   .where((Email.id == email_id)
                          & ((Email.status == EmailStatus.QUEUED)
                             | ((Email.status == EmailStatus.SENDING) & (Email.claimed_until < now))))
                   .returning(Email).execute())
    if not claimed:
        return "not due"
    email = claimed[0]
    try:
        transport = send_to_dev_mailbox if current_app.config["DEV_MAILBOX"] else send_by_smtp
        transport(email)
    except Exception as exc:  # whatever stops delivery (SMTP, network, a bad address), the mail is kept
        failed = email.attempts >= MAX_ATTEMPTS or refused_for_good(exc)
        (Email.update(status=EmailStatus.FAILED if failed else EmailStatus.QUEUED,
                      last_error=what_went_wrong(exc)[:500], next_attempt_at=clock.now() + backoff(email.attempts),
                      claimed_until=None)
         .where(Email.id == email_id).execute())
        return "failed" if failed else "will retry"
    Email.update(status=EmailStatus.SENT, sent_at=clock.now(), claimed_until=None, last_error=None).where(
        Email.id == email_id).execute()
    return "sent"


def _replies(exc: Exception) -> list[tuple[int, bytes | str]]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return list(exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return [(exc.smtp_code, exc.smtp_error)]
    return []


def refused_for_good(exc: Exception) -> bool:
    """A 5xx reply is the server's final word on this message (a 4xx means "try later"): the email is
    failed at once, for an admin to look at, rather than tried again for hours."""
    replies = _replies(exc)
    return bool(replies) and all(500 <= code < 600 for code, _ in replies)


def what_went_wrong(exc: Exception) -> str:
    """For the jobs health page: the server's own reply, as it said it ("554 5.7.1 ..."), when it made one."""
    replies = _replies(exc)
    if not replies:
        return str(exc)
    said = [f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}" for code, text in replies]
    return " ".join("; ".join(said).split())


def send_to_dev_mailbox(email: Email) -> None:
    """Development without an SMTP server: the row itself is the delivered mail, read at /dev/mail."""


def message_id(email: Email) -> str:
    """The same for every try at sending one outbox row, whichever worker makes it: a worker that dies
    after the server took the message, but before it could record that, leaves it to be sent again,
    and the same Message-ID lets mail systems and mail programs see the second copy for what it is.
    The time the row was written keeps it apart from rows with the same id in other databases."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    return f"<portal.{email.id}.{email.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def build_message(email: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Message-ID"] = message_id(email)
    if email.unsubscribe_url:
        # RFC 8058: a mail program may offer its own "unsubscribe" button, which POSTs this body to the
        # link (portal.accounts.views.unsubscribe), without a login or a cookie.
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text_body)
    message.add_alternative(email.html_body, subtype="html")
    for attached in email.attachments or []:
        kind, *params = [part.strip() for part in attached["content_type"].split(";")]
        maintype, subtype = kind.split("/")
        extra = dict(param.split("=", 1) for param in params if "=" in param and not param.startswith("charset"))
        message.add_attachment(attached["text"], subtype=subtype, filename=attached["filename"], params=extra)
    return message


class _StartsCleanly:
    """An SMTP client that says when a send failed before the server had any of the message: the
    connection is kept from one email to the next, and a server may close it while it waits (an idle
    timeout, a limit of messages per connection, a restart). Failing at MAIL FROM, the message can go
    again at once on a new connection; failing later, the server may have it, so it waits its turn in
    the outbox as any failure does (the same Message-ID then marks a second copy)."""

    def mail(self, sender, options=()):
        try:
            code, reply = super().mail(sender, options)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _ConnectionLost(str(exc)) from exc
        if code == 421:  # "closing the channel"
            raise _ConnectionLost(f"{code} {reply.decode(errors='replace')}")
        return code, reply


class _ConnectionLost(Exception):
    """The kept connection was closed by the server before this message began."""


class _SMTP(_StartsCleanly, smtplib.SMTP):
    pass


class _SMTPSSL(_StartsCleanly, smtplib.SMTP_SSL):
    pass


@dataclass
class _Kept:
    url: str
    client: smtplib.SMTP


# One open connection per worker process (the worker runs email jobs in its own process, see
# jobs/cli.py), and one TLS context: making one reads the system's certificates, about 40 ms.
_kept: _Kept | None = None


@cache
def _tls_context(cafile: str | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=cafile)


def _connect(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtp+starttls", "smtps"):
        raise ValueError(f"SMTP_URL must start smtp://, smtp+starttls:// or smtps://, not {parts.scheme}://")
    timeout = float(parse_qs(parts.query).get("timeout", ["20"])[0])
    context = _tls_context(current_app.config["SMTP_CA_FILE"] or None)
    if parts.scheme == "smtps":
        client = _SMTPSSL(parts.hostname, parts.port or 465, timeout=timeout, context=context)
    else:
        client = _SMTP(parts.hostname, parts.port or 25, timeout=timeout)
    try:
        if parts.scheme == "smtp+starttls":
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
    except BaseException:
        client.close()
        raise
    return client


def _connection(url: str) -> smtplib.SMTP:
    global _kept
    if _kept is None or _kept.url != url:
        close_connection()
        _kept = _Kept(url, _connect(url))
    return _kept.client


def close_connection() -> None:
    """Say goodbye to the server, if a connection is open (when the worker stops, and after a failure)."""
    global _kept
    kept, _kept = _kept, None
    if kept is not None:
        try:
            kept.client.quit()
        except (smtplib.SMTPException, OSError):
            kept.client.close()


atexit.register(close_connection)


def send_by_smtp(email: Email) -> None:
    """SMTP_URL: smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465.
    The connection is kept open for the next email."""
    url = current_app.config["SMTP_URL"]
    if not url:
        raise ValueError("SMTP_URL is not set, so email cannot be delivered")
    message = build_message(email)
    for last_try in (False, True):
        reused = _kept is not None and _kept.url == url
        client = _connection(url)
        try:
            client.send_message(message)
            return
        except _ConnectionLost as lost:
            close_connection()
            if last_try or not reused:
                raise smtplib.SMTPServerDisconnected(str(lost)) from lost
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError):
            raise  # the server said no to this message; smtplib has reset the conversation for the next
        except BaseException:
            # Whatever state the conversation is in, the next email starts on a new connection.
            close_connection()
            raise
