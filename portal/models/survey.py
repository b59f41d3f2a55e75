"""The evaluation survey: who was asked, and the answers, which carry no link to the person who gave them."""
import uuid

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, UUIDField

from portal.core import clock
from portal.models.base import BaseModel, JSONField
from portal.models.mentoring import Relationship


class SurveyInvite(BaseModel):
    """That a mentee was asked to evaluate the scheme, and whether they answered: nothing more."""

    relationship = ForeignKeyField(Relationship, unique=True, backref="survey_invites", on_delete="CASCADE")
    created_at = DateTimeField(default=clock.now)
    sent_at = DateTimeField(null=True, index=True)
    reminded_at = DateTimeField(null=True)
    answered = BooleanField(default=False)


class SurveyResponse(BaseModel):
    """One set of answers. A random key, no time, no person: only a coarse cohort, so no report and
    no one reading the table can tell whose answers these are."""

    id = UUIDField(primary_key=True, default=uuid.uuid4)
    cohort = CharField(max_length=10)  # the quarter the mentoring closed, e.g. 2026 Q4
    sessions_band = CharField(max_length=5)  # 0, 1, 2, 3, 4+
    answers = JSONField(default=dict)
