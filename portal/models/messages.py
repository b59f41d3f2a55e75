"""What the portal sends and receives: emailed links, the outbox, the admin team's inbox."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.core import clock
from portal.models.base import BaseModel, JSONField
from portal.models.people import User


class ActionLink(BaseModel):
    """A link sent by email that acts once: the URL carries this row's id, signed."""

    purpose = CharField(max_length=30)
    user = ForeignKeyField(User, null=True, backref="action_links", on_delete="CASCADE")
    target_id = IntegerField(null=True)  # the row the link acts on, when it is not the user
    created_at = DateTimeField(default=clock.now)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)  # a newer link of the same kind was sent

    class Meta:
        indexes = ((("user", "purpose"), False),)


class Email(BaseModel):
    """The outbox: a row is written before delivery is queued, so no email depends on Redis."""

    to_address = CharField(max_length=254)
    user = ForeignKeyField(User, null=True, backref="emails", on_delete="SET NULL")
    template = CharField(max_length=60)
    subject = CharField(max_length=200)
    text_body = TextField()
    html_body = TextField()
    attachments = JSONField(default=list)  # [{"filename", "content_type", "text"}], e.g. a calendar invite
    dedupe_key = CharField(max_length=120, null=True, unique=True)
    # Waiting to go (or to go again), claimed by a worker, gone, given up on.
    QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
    status = CharField(max_length=10, default=QUEUED)
    attempts = IntegerField(default=0)
    last_error = CharField(max_length=500, null=True)
    # When a queued row is due to be (re)queued by the sweep if it has not gone by then.
    next_attempt_at = DateTimeField(default=clock.now)
    claimed_until = DateTimeField(null=True)
    created_at = DateTimeField(default=clock.now)
    sent_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)


class InboxItem(BaseModel):
    """Something for the admin team to act on: the portal's version of the shared inbox."""

    kind = CharField(max_length=20)  # interest, concern, reactivation, ...
    OPEN, CLOSED = "open", "closed"
    status = CharField(max_length=10, default=OPEN)
    user = ForeignKeyField(User, null=True, backref="inbox_items", on_delete="SET NULL")
    name = CharField(max_length=100)
    email = CharField(max_length=254)
    details = JSONField(default=dict)
    message = TextField(default="")
    created_at = DateTimeField(default=clock.now)
    assigned_to = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="assigned_items")
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("status", "created_at"), False),)


class InboxReply(BaseModel):
    """An admin's answer to an inbox item, sent by email from the portal (the words are in the outbox)."""

    item = ForeignKeyField(InboxItem, backref="replies", on_delete="CASCADE")
    by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    email = ForeignKeyField(Email, null=True, on_delete="SET NULL")
    sent_at = DateTimeField(default=clock.now)
