"""Matching mentees with mentors: the waiting list (requests and relationships join it later)."""
from peewee import CharField, DateTimeField, ForeignKeyField

from .. import clock
from .base import BaseModel
from .people import MenteeProfile, MentorProfile


class WaitlistEntry(BaseModel):
    """A mentee waiting for a full mentor. When a place frees, the first in line is offered it
    (the place is held for them) until offer_expires_at; then the next in line is asked."""

    mentor = ForeignKeyField(MentorProfile, backref="waitlist", on_delete="CASCADE")
    mentee = ForeignKeyField(MenteeProfile, backref="waitlist_entries", on_delete="CASCADE")
    status = CharField(max_length=10, default="waiting")  # waiting, offered, taken, lapsed, left
    joined_at = DateTimeField(default=clock.now)
    offered_at = DateTimeField(null=True)
    offer_expires_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("mentor", "status", "joined_at"), False),
            (("status", "offer_expires_at"), False),
            (("mentee", "status"), False),
        )
