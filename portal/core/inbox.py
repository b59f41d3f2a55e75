"""The admin team's inbox: things people ask of the team, each open until an admin closes it.

Each new item is also emailed to the scheme's shared inbox address (SCHEME_INBOX_EMAIL), so the
team hears of it where they already work.
"""
from flask import current_app

from portal.core import audit, clock, links, mail
from portal.core.db import database
from portal.models import InboxItem, InboxReply, InboxStatus, User

KINDS = {
    "concern": "A concern raised",
    "interest": "Interest in becoming a mentor",
    "reactivation": "Asking to reopen a mentee account",
    "withdrawal": "Asking to end a mentoring relationship",
    "cancellation": "A session cancelled",
    "more_sessions": "Asking for more sessions",
    "erasure": "Asking for their data to be erased",
    "profile_ready": "A new mentor's profile is ready for the register",
}


# The details of an item told in its sentence (what_happened), or shown elsewhere on its page, not as rows.
TOLD = {"relationship", "cancelled_by", "session_was", "notice_hours"}


def raise_item(kind: str, *, name: str, email: str, user=None, details: dict | None = None,
               message: str = "") -> InboxItem:
    assert kind in KINDS, kind
    item = InboxItem.create(kind=kind, name=name, email=email, user=user, details=details or {}, message=message)
    send_team_notice(item)
    return item


def what_happened(item: InboxItem) -> str:
    """An item's details said as a sentence, where its kind has one: a cancellation's who, when and notice."""
    details = item.details or {}
    if item.kind != "cancellation" or "notice_hours" not in details:
        return ""
    hours, asked = details["notice_hours"], current_app.config["CANCEL_NOTICE_HOURS"]
    notice = ("less than an hour's notice" if hours < 1
              else "1 hour's notice" if hours == 1 else f"{hours} hours' notice")
    short = f" (the scheme asks for {asked})" if hours < asked else ""
    return (f"{item.name}, the {details['cancelled_by']}, cancelled the session planned for "
            f"{details['session_was']}, giving {notice}{short}.")


def open_items():
    return InboxItem.select().where(InboxItem.status == InboxStatus.OPEN).order_by(InboxItem.created_at)


def close(item_id: int, by) -> bool:
    """False when someone else closed it first."""
    with database.atomic():
        closed = bool(InboxItem.update(status=InboxStatus.CLOSED, closed_at=clock.now(), closed_by=by)
                      .where((InboxItem.id == item_id) & (InboxItem.status == InboxStatus.OPEN)).execute())
        if closed:
            audit.record(by, "closed_inbox_item", InboxItem.get_by_id(item_id))
    return closed


def close_for(kind: str, user_id: int, by) -> int:
    """Close the open items of a kind about one person, once what they asked for is done."""
    items = list(InboxItem.select().where((InboxItem.kind == kind) & (InboxItem.user == user_id)
                                          & (InboxItem.status == InboxStatus.OPEN)))
    return sum(close(item.id, by) for item in items)


def is_open_for(kind: str, user_id: int) -> bool:
    return InboxItem.select().where((InboxItem.kind == kind) & (InboxItem.user == user_id)
                                    & (InboxItem.status == InboxStatus.OPEN)).exists()


def assign(item: InboxItem, admin: User | None, by: User) -> None:
    InboxItem.update(assigned_to=admin).where(InboxItem.id == item.id).execute()
    audit.record(by, "assigned_inbox_item", item, detail=admin.name if admin else "nobody")


def reply(item: InboxItem, by: User, message: str) -> InboxReply:
    """Answer the person by email from the portal; the reply is kept with the item."""
    with database.atomic():
        email_id = send_reply(item, message)
        found = InboxReply.create(item=item, by=by, email=email_id, message=message)
        audit.record(by, "replied_to_inbox_item", item)
    return found


def send_team_notice(item: InboxItem) -> None:
    """The notice names the kind of item and links to it; what was written stays in the portal."""
    mail.send(current_app.config["SCHEME_INBOX_EMAIL"], "inbox_new", f"New in the inbox: {KINDS[item.kind]}",
              kind=KINDS[item.kind], url=links.external_url("admin.inbox_item", item_id=item.id),
              dedupe_key=f"inbox-new:{item.id}")


def greeting(item: InboxItem) -> str:
    """How a reply starts, put in the reply box for the admin to keep or change: the email adds no greeting of
    its own, so what the admin sees is what is sent (one added behind their back doubled their own)."""
    return f"Hello {item.name.split()[0]}," if item.name and item.email else ""


def send_reply(item: InboxItem, message: str) -> int | None:
    return mail.send(item.email, "inbox_reply", f"A reply from {current_app.config['SCHEME_NAME']}",
                     message=message)
