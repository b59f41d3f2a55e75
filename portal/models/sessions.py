"""Mentoring sessions, the mentor's private notes, and the evaluation survey.

A session records that a meeting is planned or happened (when, how long, how, where) and
never what was said. The only free text about the mentoring is the mentor's own aide-memoire
(MentorNote), which no one else can read and which is deleted when the relationship closes.
Survey responses carry no link to the person who gave them.
"""
import uuid

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, UUIDField

from .. import clock
from .base import BaseModel, JSONField
from .matching import Relationship
from .people import MentorProfile


class MentoringSession(BaseModel):
    relationship = ForeignKeyField(Relationship, backref="sessions", on_delete="CASCADE")
    starts_at = DateTimeField()
    length_minutes = IntegerField()
    mode = CharField(max_length=10)  # video or in_person
    platform = CharField(max_length=20, default="")  # a key of reference.PLATFORMS
    joining_link = CharField(max_length=500, default="")
    place = CharField(max_length=200, default="")
    # proposed, confirmed, held, not_held, cancelled, replaced (by a new time)
    status = CharField(max_length=10, default="proposed")
    proposed_by = CharField(max_length=10)  # mentee or mentor
    proposed_at = DateTimeField(default=clock.now)
    confirmed_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    cancelled_by = CharField(max_length=10, null=True)
    outcome_by = CharField(max_length=10, null=True)
    # The calendar entry: one UID for the session's life; SEQUENCE goes up with each change.
    calendar_uid = CharField(max_length=80, default=lambda: f"{uuid.uuid4()}@peer-mentoring")
    calendar_sequence = IntegerField(default=0)
    reminded_at = DateTimeField(null=True)
    outcome_asked_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("relationship", "starts_at"), False),
            (("status", "starts_at"), False),
        )


# The dashboard asks, for each match, whether any session is planned or held.
MentoringSession.add_index(MentoringSession.index(MentoringSession.relationship, name="mentoring_session_planned_or_held")
                           .where(MentoringSession.status.in_(["proposed", "confirmed", "held"])))


class MentorNote(BaseModel):
    """A mentor's private aide-memoire for one relationship: theirs alone, deleted at closure."""

    relationship = ForeignKeyField(Relationship, unique=True, backref="mentor_notes", on_delete="CASCADE")
    mentor = ForeignKeyField(MentorProfile, on_delete="CASCADE")
    text = TextField(default="")
    updated_at = DateTimeField(default=clock.now)


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
