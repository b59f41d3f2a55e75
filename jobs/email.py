"""Delivering one outbox row.

A row is claimed before sending, so two jobs for the same row (one queued at once, one by
the sweep after an outage) send it once. On an SMTP error the row goes back to the outbox
with a later time, and the sweep queues it again then: backoff kept in the database.
"""
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr
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
    now = clock.now()
    claim_until = now + timedelta(seconds=current_app.config["EMAIL_CLAIM_SECONDS"])
    # The claim also moves the row's due time to when the claim lapses: if this worker dies mid-send,
    # the sweep finds the row again then and another worker sends it.
    claimed = (Email.update(status=EmailStatus.SENDING, claimed_until=claim_until, next_attempt_at=claim_until,
                            attempts=Email.attempts + 1)
               .where((Email.id == email_id)
                      & ((Email.status == EmailStatus.QUEUED)
                         | ((Email.status == EmailStatus.SENDING) & (Email.claimed_until < now))))
               .execute())
    if not claimed:
        return "not due"
    email = Email.get_by_id(email_id)
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


def send_by_smtp(email: Email) -> None:
    """SMTP_URL: smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465."""
    url = current_app.config["SMTP_URL"]
    if not url:
        raise ValueError("SMTP_URL is not set, so email cannot be delivered")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtp+starttls", "smtps"):
        raise ValueError(f"SMTP_URL must start smtp://, smtp+starttls:// or smtps://, not {parts.scheme}://")
    options = parse_qs(parts.query)
    timeout = float(options.get("timeout", ["20"])[0])
    cafile = current_app.config["SMTP_CA_FILE"] or None
    context = ssl.create_default_context(cafile=cafile)
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=timeout)
    with client:
        if parts.scheme == "smtp+starttls":
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(build_message(email))
