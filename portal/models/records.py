"""The scheme's records: the audit log, the texts the scheme owns, when each sweep last ran."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.core import clock
from portal.models.base import BaseModel
from portal.models.people import User


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


class SweepRun(BaseModel):
    """When each sweep last ran and what it did: for the jobs health page."""

    name = CharField(max_length=60, unique=True)
    last_run_at = DateTimeField()
    last_result = IntegerField(default=0)
