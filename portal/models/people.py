"""People: one login (User) and the roles it holds (a mentee profile, a mentor profile, the admin flag),
and what rows joining a mentee and a mentor share."""
from functools import cached_property

from peewee import JOIN, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.core import clock
from portal.core.db import Prepared
from portal.core.roles import MENTEE, MENTOR
from portal.models.base import BaseModel, JSONField, new_nonce


class User(BaseModel):
    """One login, whatever roles it holds: roles are facts (is_admin, a profile), not a string."""

    email = CharField(max_length=254, unique=True)  # always lower case
    name = CharField(max_length=100)
    password_hash = CharField(max_length=255, null=True)  # none until an invitation is accepted
    is_active = BooleanField(default=True)
    is_admin = BooleanField(default=False)
    email_confirmed_at = DateTimeField(null=True)
    # An address the person asked to move to: `email` stays in use until the link sent here is pressed.
    pending_email = CharField(max_length=254, null=True)
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

    @classmethod
    def with_roles(cls, user_id: int):
        """A user and both profiles in one query: what every signed-in request needs first."""
        user = _WITH_ROLES.first(user_id=user_id)
        if user is not None:
            for role in ("mentee", "mentor"):
                profile = getattr(user, f"_{role}", None)
                user.__dict__[role] = profile if profile is not None and profile.id is not None else None
        return user


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
    # The 3-month period to choose a mentor starts at sign-up and again at reactivation; time spent
    # waiting for a mentor's answer does not count (portal/requests/mentor_requests.py moves it on).
    period_started_at = DateTimeField(default=clock.now)
    matched_at = DateTimeField(null=True)  # when a mentor first accepted them
    first_requested_at = DateTimeField(null=True)  # when they first asked a mentor
    sessions_allowed = IntegerField(default=4)  # SESSIONS_PER_MENTEE, plus what admins grant
    deactivation_warnings = IntegerField(default=0)
    deactivated_at = DateTimeField(null=True)
    created_at = DateTimeField(default=clock.now)
    # What helps the directory put the best fit for them first (portal/rules/matching.py), all optional:
    # kinds of time away they added to their reason (keys of reference.TIME_AWAY), how they would like
    # to meet ("in_person", "online", "" for either), the days they are usually free and the locations
    # they could get to, as they typed them.
    away_tags = JSONField(default=list)
    meet_mode = CharField(max_length=10, default="")
    usual_days = JSONField(default=list)
    can_reach = CharField(max_length=300, default="")

    class Meta:
        indexes = ((("matched_at", "deactivated_at", "period_started_at"), False),
                   (("first_requested_at",), False))  # the reports' time to a first request, by month


# Partial indexes, each for one of the dashboard's questions: who was invited and has not yet set
# a password, and who signed up but never asked a mentor.
User.add_index(User.index(User.created_at, name="user_invited").where(User.password_hash.is_null()))
MenteeProfile.add_index(MenteeProfile.index(MenteeProfile.created_at, name="mentee_profile_quiet_signup")
                        .where(MenteeProfile.first_requested_at.is_null() & MenteeProfile.deactivated_at.is_null()))


class MentorProfile(BaseModel):
    """A mentor on the register: the bio a mentee chooses from, and whether they can take someone on."""

    user = ForeignKeyField(User, unique=True, backref="mentor_profiles", on_delete="CASCADE")
    grade = CharField(max_length=20, default="", index=True)
    school = CharField(max_length=40, default="", index=True)
    specialty = CharField(max_length=100, default="")
    trust = CharField(max_length=100, default="", index=True)
    gender = CharField(max_length=30, default="", index=True)
    pronouns = CharField(max_length=30, default="")
    experience_rtt = TextField(default="")  # of the return to training scheme
    experience_away = TextField(default="")  # of time away from training
    why_mentor = TextField(default="")
    availability_notes = CharField(max_length=300, default="")  # restrictions, in their words
    meets_in_person = BooleanField(default=False)
    meets_online = BooleanField(default=True)
    locations = CharField(max_length=300, default="")  # as they wrote it; each location is also a MentorOption
    interests = CharField(max_length=500, default="")
    contact_details = CharField(max_length=500, default="")  # shown only to their matched mentees
    photo = CharField(max_length=32, null=True)  # names the processed headshot files (portal/register/photos.py)
    # How many mentees at once (0: none for now), and how many places are taken: active
    # relationships, requests waiting for an answer and places held for someone on the waiting list.
    capacity = IntegerField(default=2)
    places_taken = IntegerField(default=0)
    listed = BooleanField(default=True)  # on the register; admins take mentors off it
    paused = BooleanField(default=False)  # the mentor's own pause
    paused_until = DateField(null=True, index=True)  # a pause set when answering a request ends after this day
    leave_from = DateField(null=True)
    leave_until = DateField(null=True, index=True)  # the sweep finds leave that has ended
    # The mentoring course (two parts) and supervision, as recorded by the admin team.
    course_part1_on = DateField(null=True)
    course_part2_on = DateField(null=True)
    last_supervision_on = DateField(null=True)
    search_text = TextField(default="")  # what the search box looks through (register.profiles.search_text_for)
    # Moves on with each save of the profile form's fields (not of places, pause or leave): a form
    # carries the version it was opened at, so a save on top of someone else's is noticed.
    profile_version = IntegerField(default=1)
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now, index=True)  # the newest tells the directory what changed

    class Meta:
        indexes = ((("listed", "paused"), False),)

    @property
    def is_full(self) -> bool:
        return self.places_taken >= self.capacity

    # Every change to a mentor, however it is made, moves updated_at: the directory keys what it
    # keeps between requests on the newest one (portal.directory.search.register_version).
    @classmethod
    def update(cls, *args, **values):
        values.setdefault("updated_at", clock.now())
        return super().update(*args, **values)

    def save(self, *args, **kwargs):
        self.updated_at = clock.now()
        return super().save(*args, **kwargs)


class BetweenMenteeAndMentor:
    """What a row joining a mentee and a mentor (a request, a relationship) knows of the two people:
    their logins, each looked up once, and which side a login is on."""

    @cached_property
    def mentee_user(self) -> User:
        return User.select().join(MenteeProfile, on=(MenteeProfile.user == User.id)).where(
            MenteeProfile.id == self.mentee_id).get()

    @cached_property
    def mentor_user(self) -> User:
        return User.select().join(MentorProfile, on=(MentorProfile.user == User.id)).where(
            MentorProfile.id == self.mentor_id).get()

    @staticmethod
    def know_people_of(rows: list) -> list:
        """Look up the two people of many rows at once (two queries, for a sweep moving thousands), so
        each row's mentee_user and mentor_user need no query of its own. Returns the rows."""
        for side, profile in (("mentee", MenteeProfile), ("mentor", MentorProfile)):
            ids = sorted({getattr(row, f"{side}_id") for row in rows})
            users = {user.profile_id: user for user in User.select(User, profile.id.alias("profile_id")).join(
                profile, on=(profile.user == User.id)).where(profile.id.in_(ids)).objects()} if ids else {}
            for row in rows:
                row.__dict__[f"{side}_user"] = users[getattr(row, f"{side}_id")]
        return rows

    def side_of(self, user) -> str | None:
        """MENTEE or MENTOR for someone in it; None for anyone else (an admin, say)."""
        if user.mentee is not None and user.mentee.id == self.mentee_id:
            return MENTEE
        if user.mentor is not None and user.mentor.id == self.mentor_id:
            return MENTOR
        return None


# The login's query, run on every signed-in request: its SQL is built once (see Prepared).
_WITH_ROLES = Prepared(lambda user_id: (
    User.select(User, MenteeProfile, MentorProfile)
    .join(MenteeProfile, JOIN.LEFT_OUTER, on=(MenteeProfile.user == User.id), attr="_mentee")
    .switch(User)
    .join(MentorProfile, JOIN.LEFT_OUTER, on=(MentorProfile.user == User.id), attr="_mentor")
    .where(User.id == user_id).limit(1)), "user_id")
