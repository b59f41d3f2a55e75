"""People: one login (User) and the roles it holds (a mentee profile, a mentor profile, the admin flag)."""
from functools import cached_property

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from .. import clock
from .base import BaseModel, new_nonce


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
