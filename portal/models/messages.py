"""What the portal sends and receives: emailed links, the outbox, each person's choices about email, the
admin team's inbox."""
from enum import StrEnum

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.core import clock
from portal.models.base import BaseModel, JSONField
from portal.models.people import User
from portal.rules import emails as email_rules
from portal.rules.emails import NewsChoice


class ActionLink(BaseModel):
    """A link sent by email (or given on a page) that acts without a password: the URL carries this row's
    id, signed. Most act once and expire; a lasting one (a calendar address, a link to stop emails) has no
    expiry and works until it is revoked."""

    purpose = CharField(max_length=30)
    user = ForeignKeyField(User, null=True, backref="action_links", on_delete="CASCADE")
    target_id = IntegerField(null=True)  # the row the link acts on, when it is not the user
    created_at = DateTimeField(default=clock.now)
    expires_at = DateTimeField(null=True)  # none: lasting
    used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)  # a newer link of the same kind was sent, or the person stopped it

    class Meta:
        indexes = ((("user", "purpose"), False),)


class EmailStatus(StrEnum):
    """Where an Email stands: waiting to go (or to go again), claimed by a worker, gone, given up on; or
    news held for the person's daily summary, then carried by one (summarised), or not sent because they
    turned such news off meanwhile."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"
    SUMMARISED = "summarised"
    NOT_SENT = "not_sent"


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
    status = CharField(max_length=10, default=EmailStatus.QUEUED)
    attempts = IntegerField(default=0)
    last_error = CharField(max_length=500, null=True)
    # When a queued row is due to be (re)queued by the sweep if it has not gone by then; for a held one,
    # when its daily summary is due.
    next_attempt_at = DateTimeField(default=clock.now)
    claimed_until = DateTimeField(null=True)
    created_at = DateTimeField(default=clock.now)
    sent_at = DateTimeField(null=True)
    # While held: its words as written (Markdown), for its section of the daily summary.
    held_body = TextField(default="")
    summary = ForeignKeyField("self", null=True, backref="items", on_delete="SET NULL")
    # The one-click unsubscribe of a message that can be turned off (RFC 8058), for its List-Unsubscribe.
    unsubscribe_url = CharField(max_length=300, null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False), (("user", "status"), False))


class EmailPreference(BaseModel):
    """How a person wants their news (see portal/rules/emails.py); no row: the defaults."""

    user = ForeignKeyField(User, unique=True, backref="email_preferences", on_delete="CASCADE")
    news = CharField(max_length=10, default=NewsChoice.AT_ONCE)  # a key of NEWS_CHOICES
    summary_hour = IntegerField(default=email_rules.DEFAULT_SUMMARY_HOUR)  # London time
    weekly_summary = BooleanField(default=True)  # an admin's own copy of the team's weekly summary
    updated_at = DateTimeField(default=clock.now)


class InboxStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class InboxItem(BaseModel):
    """Something for the admin team to act on: the portal's version of the shared inbox."""

    kind = CharField(max_length=20)  # interest, concern, reactivation, ...
    status = CharField(max_length=10, default=InboxStatus.OPEN)
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
    """An admin's answer to an inbox item, sent by email from the portal. Its words are kept here, beside the
    item's own, so the team sharing the inbox can follow what was said: the outbox's copy is purged after a
    while, the item's words are not. Erasing the person blanks both."""

    item = ForeignKeyField(InboxItem, backref="replies", on_delete="CASCADE")
    by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    email = ForeignKeyField(Email, null=True, on_delete="SET NULL")
    message = TextField(default="")
    sent_at = DateTimeField(default=clock.now)
