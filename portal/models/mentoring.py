"""Mentoring: the relationship a mentor's yes begins, its sessions, and the mentor's private notes.

A session records that a meeting is planned or happened (when, how long, how, where) and
never what was said. The only free text about the mentoring is the mentor's own aide-memoire
(MentorNote), which no one else can read and which is deleted when the relationship closes.
"""
import uuid

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.core import clock
from portal.models.base import BaseModel
from portal.models.people import BetweenMenteeAndMentor, MenteeProfile, MentorProfile
from portal.models.requests import MentorRequest
from portal.rules.mentoring import RelationshipStatus
from portal.rules.sessions import SessionStatus


class Relationship(BetweenMenteeAndMentor, BaseModel):
    """Mentoring that began when a mentor accepted a request."""

    mentor_request = ForeignKeyField(MentorRequest, column_name="request_id", unique=True, backref="relationships",
                                     on_delete="CASCADE")
    mentee = ForeignKeyField(MenteeProfile, backref="relationships", on_delete="CASCADE")
    mentor = ForeignKeyField(MentorProfile, backref="relationships", on_delete="CASCADE")
    status = CharField(max_length=10, default=RelationshipStatus.ACTIVE)
    opened_at = DateTimeField(default=clock.now)
    closed_at = DateTimeField(null=True)
    close_reason = CharField(max_length=30, default="")
    contracting_done_at = DateTimeField(null=True)  # the mentor's tick: only the tick is kept
    close_asked_by = CharField(max_length=10, null=True)  # mentee or mentor, waiting for the other to agree
    window_nudged_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("mentee", "status"), False), (("mentor", "status"), False), (("status", "opened_at"), False))


Relationship.add_index(Relationship.index(Relationship.mentee, unique=True, name="relationship_one_active")
                       .where(Relationship.status == RelationshipStatus.ACTIVE))


class MentoringSession(BaseModel):
    relationship = ForeignKeyField(Relationship, backref="sessions", on_delete="CASCADE")
    starts_at = DateTimeField()
    length_minutes = IntegerField()
    mode = CharField(max_length=10)  # video or in_person
    platform = CharField(max_length=20, default="")  # a key of reference.PLATFORMS
    joining_link = CharField(max_length=500, default="")
    location = CharField(max_length=200, default="")
    status = CharField(max_length=10, default=SessionStatus.PROPOSED)
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
                           .where(MentoringSession.status.in_([SessionStatus.PROPOSED, SessionStatus.CONFIRMED,
                                                               SessionStatus.HELD])))


class MentorNote(BaseModel):
    """A mentor's private aide-memoire for one relationship: theirs alone, deleted at closure."""

    relationship = ForeignKeyField(Relationship, unique=True, backref="mentor_notes", on_delete="CASCADE")
    mentor = ForeignKeyField(MentorProfile, on_delete="CASCADE")
    text = TextField(default="")
    updated_at = DateTimeField(default=clock.now)
