"""The register's tables: each mentor's choices, the history of their profile, headshots and imports;
and the availability rule (portal/rules/availability.py) applied to a mentor's row and written as a query."""
from datetime import date
from enum import StrEnum

from peewee import BlobField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from portal.core import clock
from portal.models.base import BaseModel, JSONField
from portal.models.people import MentorProfile, User
from portal.rules import availability


class MentorOption(BaseModel):
    """One of a mentor's choices, a row each so the directory can filter by them with an index:
    a day ("mon"), a slot ("mon-evening"), a platform ("zoom") or a location ("York")."""

    mentor = ForeignKeyField(MentorProfile, backref="options", on_delete="CASCADE")
    kind = CharField(max_length=10)
    value = CharField(max_length=60)

    class Meta:
        indexes = ((("kind", "value", "mentor"), True),)


class ProfileChange(BaseModel):
    """What changed in a mentor's profile, when and by whom, for the admin team."""

    mentor = ForeignKeyField(MentorProfile, backref="changes", on_delete="CASCADE")
    changed_at = DateTimeField(default=clock.now)
    changed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    changes = JSONField(default=dict)  # field -> [before, after]; the photo only as "changed"
    version = IntegerField(null=True)  # the profile_version a save of the profile form made; none for the rest

    class Meta:
        indexes = ((("mentor", "changed_at"), False),)


class StoredPhoto(BaseModel):
    """A processed headshot (portal/register/photos.py), kept in the database with everything else."""

    key = CharField(max_length=32, unique=True)
    card = BlobField()
    profile = BlobField()
    created_at = DateTimeField(default=clock.now, index=True)


class ImportStatus(StrEnum):
    """An ImportBatch's status: checked and shown, waiting for the job, being imported, imported, stopped
    by an error, or never confirmed."""

    PREVIEWED = "previewed"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


class ImportBatch(BaseModel):
    """A CSV of mentors: checked and previewed first, then imported by a job that reports progress."""

    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=clock.now)
    filename = CharField(max_length=200)
    data = BlobField(null=True)  # the file itself, dropped once imported
    status = CharField(max_length=10, default=ImportStatus.PREVIEWED, index=True)
    queued_at = DateTimeField(null=True)
    progress_at = DateTimeField(null=True)  # the job's last sign of life
    send_invitations = BooleanField(default=False)
    total_rows = IntegerField(default=0)
    processed_rows = IntegerField(default=0)
    counts = JSONField(default=dict)  # created, updated, unchanged
    error = CharField(max_length=500, null=True)
    finished_at = DateTimeField(null=True)


def on_leave(mentor: MentorProfile, today: date) -> bool:
    return availability.on_leave(mentor.leave_from, mentor.leave_until, today)


def mentor_state(mentor: MentorProfile, today: date) -> availability.MentorState:
    """Where the mentor stands for mentees today; only those in availability.OFFERED
    are in the directory, and only they can be asked (the rule available_on writes as a query)."""
    user = mentor.user
    return availability.state(login_set_up=bool(user.is_active and user.password_hash), listed=mentor.listed,
                              paused=mentor.paused, leave_from=mentor.leave_from, leave_until=mentor.leave_until,
                              capacity=mentor.capacity, places_taken=mentor.places_taken, today=today)


def on_leave_on(today: date):
    """availability.on_leave as a query condition."""
    return (MentorProfile.leave_from.is_null(False) & (MentorProfile.leave_from <= today)
            & (MentorProfile.leave_until >= today))


def available_on(today: date, full: bool = True):
    """availability.state as a query condition (on MentorProfile joined to its User): the mentors in
    availability.OFFERED today, or only the OPEN ones when not `full`. tests/web/test_availability.py
    holds the two to agreeing."""
    condition = (User.is_active & User.password_hash.is_null(False) & MentorProfile.listed & ~MentorProfile.paused
                 & ~on_leave_on(today) & (MentorProfile.capacity > 0))
    if not full:
        condition &= MentorProfile.places_taken < MentorProfile.capacity
    return condition


def away_on(today: date):
    """The mentors in availability.AWAY today, as a query condition (MentorProfile joined to its User)."""
    return ~available_on(today)
