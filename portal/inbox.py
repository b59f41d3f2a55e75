"""The admin team's inbox: things people ask of the team, each open until an admin closes it."""
from . import clock
from .db import database
from .models import InboxItem

KINDS = {
    "interest": "Interest in becoming a mentor",
    "reactivation": "Asking to reopen a mentee account",
    "withdrawal": "Asking to end a mentoring relationship",
    "cancellation": "A session cancelled",
    "more_sessions": "Asking for more sessions",
}


def raise_item(kind: str, *, name: str, email: str, user=None, details: dict | None = None,
               message: str = "") -> InboxItem:
    assert kind in KINDS, kind
    return InboxItem.create(kind=kind, name=name, email=email, user=user, details=details or {},
                            message=message)


def open_items():
    return InboxItem.select().where(InboxItem.status == "open").order_by(InboxItem.created_at)


def close(item_id: int, by) -> bool:
    """False when someone else closed it first."""
    with database.atomic():
        return bool(InboxItem.update(status="closed", closed_at=clock.now(), closed_by=by)
                    .where((InboxItem.id == item_id) & (InboxItem.status == "open")).execute())
