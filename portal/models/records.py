"""The scheme's records: the audit log, the texts the scheme owns, photos, register imports."""
from peewee import BlobField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .. import clock
from .base import BaseModel, JSONField
from .people import User


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


class StoredPhoto(BaseModel):
    """A processed headshot (portal/photos.py), kept in the database with everything else."""

    key = CharField(max_length=32, unique=True)
    card = BlobField()
    profile = BlobField()
    created_at = DateTimeField(default=clock.now, index=True)


class ImportBatch(BaseModel):
    """A CSV of mentors: checked and previewed first, then imported by a job that reports progress."""

    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=clock.now)
    filename = CharField(max_length=200)
    data = BlobField(null=True)  # the file itself, dropped once imported
    status = CharField(max_length=10, default="previewed", index=True)  # previewed, queued, running, done,
    # failed, expired (never confirmed)
    queued_at = DateTimeField(null=True)
    progress_at = DateTimeField(null=True)  # the job's last sign of life
    send_invitations = BooleanField(default=False)
    total_rows = IntegerField(default=0)
    processed_rows = IntegerField(default=0)
    counts = JSONField(default=dict)  # created, updated, unchanged
    error = CharField(max_length=500, null=True)
    finished_at = DateTimeField(null=True)


class SweepRun(BaseModel):
    """When each sweep last ran and what it did: for the jobs health page."""

    name = CharField(max_length=60, unique=True)
    last_run_at = DateTimeField()
    last_result = IntegerField(default=0)
