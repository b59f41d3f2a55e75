"""The tables. Times are naive UTC (see portal.clock).

Nothing here records what was said in a mentoring conversation: the portal keeps that
sessions happen, never their content (SCHEME.md, "Confidentiality").
"""
import json
import secrets
from functools import cached_property

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from . import clock
from .db import database


def new_nonce() -> str:
    return secrets.token_hex(8)


class JSONField(TextField):
    """JSON kept as text, the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class User(BaseModel):
    """One login, whatever roles it holds: roles are facts (is_admin, a profile), not a string."""

    email = CharField(max_length=254, unique=True)  # always lower case
    name = CharField(max_length=100)
    password_hash = CharField(max_length=255, null=True)  # none until an invitation is accepted
    is_active = BooleanField(default=True)
    is_admin = BooleanField(default=False)
    email_confirmed_at = DateTimeField(null=True)
    # Part of the login cookie: changing it (a new password) signs out every other browser.
    session_nonce = CharField(max_length=16, default=new_nonce)
    created_at = DateTimeField(default=clock.now)
    last_login_at = DateTimeField(null=True)

    # What Flask-Login needs of a user (is_active is the column above).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the login cookie holds: the user and their current nonce."""
        return f"{self.id}:{self.session_nonce}"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    # A login is loaded once per request, so each role is looked up at most once.
    @cached_property
    def mentee(self):
        return MenteeProfile.get_or_none(MenteeProfile.user == self.id)

    @cached_property
    def mentor(self):
        return MentorProfile.get_or_none(MentorProfile.user == self.id)


class MenteeProfile(BaseModel):
    user = ForeignKeyField(User, unique=True, backref="mentee_profiles", on_delete="CASCADE")
    grade = CharField(max_length=20)
    school = CharField(max_length=40)
    specialty = CharField(max_length=100, default="")
    trust = CharField(max_length=100)
    eligibility = CharField(max_length=20)  # see rules.eligibility.DECLARATIONS
    reason = CharField(max_length=30)
    expected_return = DateField()
    agreement_version = IntegerField()
    agreement_accepted_at = DateTimeField()
    # The 3-month period to choose a mentor starts at sign-up and again at reactivation.
    period_started_at = DateTimeField(default=clock.now)
    deactivated_at = DateTimeField(null=True)
    created_at = DateTimeField(default=clock.now)


class MentorProfile(BaseModel):
    user = ForeignKeyField(User, unique=True, backref="mentor_profiles", on_delete="CASCADE")
    created_at = DateTimeField(default=clock.now)


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
    dedupe_key = CharField(max_length=120, null=True, unique=True)
    status = CharField(max_length=10, default="queued")  # queued, sending, sent, failed
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
    status = CharField(max_length=10, default="open")  # open, closed
    user = ForeignKeyField(User, null=True, backref="inbox_items", on_delete="SET NULL")
    name = CharField(max_length=100)
    email = CharField(max_length=254)
    details = JSONField(default=dict)
    message = TextField(default="")
    created_at = DateTimeField(default=clock.now)
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("status", "created_at"), False),)


class AuditEvent(BaseModel):
    """Who did what, when: never what anyone said."""

    at = DateTimeField(default=clock.now, index=True)
    actor = ForeignKeyField(User, null=True, on_delete="SET NULL")  # none: the portal itself
    action = CharField(max_length=40)
    object_type = CharField(max_length=30, default="")
    object_id = IntegerField(null=True)
    detail = CharField(max_length=200, default="")


class Content(BaseModel):
    """Texts the scheme owns (the agreement, help pages), versioned: a new version is a new row."""

    key = CharField(max_length=40)
    version = IntegerField()
    title = CharField(max_length=120)
    body = TextField()  # Markdown, sanitised when rendered
    published_at = DateTimeField(default=clock.now)
    published_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("key", "version"), True),)


MODELS = [User, MenteeProfile, MentorProfile, ActionLink, Email, InboxItem, AuditEvent, Content]
