"""Matching mentees with mentors: requests, the relationships they start, the waiting list."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .. import clock
from .base import BaseModel
from .people import MenteeProfile, MentorProfile, User


class MentorRequest(BaseModel):
    """A mentee asking a mentor (states: portal/rules/requests.py). While it waits it holds one of
    the mentor's places."""

    mentee = ForeignKeyField(MenteeProfile, backref="requests", on_delete="CASCADE")
    mentor = ForeignKeyField(MentorProfile, backref="requests", on_delete="CASCADE")
    note = TextField()  # what the mentee would like to talk about: for the mentor, cleared with time
    status = CharField(max_length=10, default="pending")
    created_at = DateTimeField(default=clock.now)
    deadline = DateTimeField()
    reminders_sent = IntegerField(default=0)
    next_reminder_at = DateTimeField(null=True)
    decided_at = DateTimeField(null=True)
    decided_by = CharField(max_length=10, null=True)  # mentor, mentee, admin or system
    decided_by_user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    # The mentor's message sent with their answer, accept or decline (named when only a decline carried one);
    # request words, so purged and erased with the note.
    decline_message = TextField(default="")

    class Meta:
        indexes = (
            (("status", "deadline"), False),
            (("status", "next_reminder_at"), False),
            (("mentee", "status"), False),
            (("mentor", "status"), False),
        )


# The database itself keeps a mentee to one waiting request and one active relationship, however
# many requests arrive at once.
MentorRequest.add_index(MentorRequest.index(MentorRequest.mentee, unique=True, name="mentor_request_one_pending")
                        .where(MentorRequest.status == "pending"))


class Relationship(BaseModel):
    """Mentoring that began when a mentor accepted a request."""

    request = ForeignKeyField(MentorRequest, unique=True, backref="relationships", on_delete="CASCADE")
    mentee = ForeignKeyField(MenteeProfile, backref="relationships", on_delete="CASCADE")
    mentor = ForeignKeyField(MentorProfile, backref="relationships", on_delete="CASCADE")
    status = CharField(max_length=10, default="active")  # active, closed, withdrawn
    opened_at = DateTimeField(default=clock.now)
    closed_at = DateTimeField(null=True)
    close_reason = CharField(max_length=30, default="")
    contracting_done_at = DateTimeField(null=True)  # the mentor's tick: only the tick is kept
    close_asked_by = CharField(max_length=10, null=True)  # mentee or mentor, waiting for the other to agree
    window_nudged_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("mentee", "status"), False), (("mentor", "status"), False), (("status", "opened_at"), False))


class WaitlistEntry(BaseModel):
    """A mentee waiting for a full mentor. When a place frees, the first in line is offered it
    (the place is held for them) until offer_expires_at; then the next in line is asked."""

    mentor = ForeignKeyField(MentorProfile, backref="waitlist", on_delete="CASCADE")
    mentee = ForeignKeyField(MenteeProfile, backref="waitlist_entries", on_delete="CASCADE")
    # In line; offered a place, held for them; took it; let the offer lapse; left the list.
    WAITING, OFFERED, TAKEN, LAPSED, LEFT = "waiting", "offered", "taken", "lapsed", "left"
    status = CharField(max_length=10, default=WAITING)
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


Relationship.add_index(Relationship.index(Relationship.mentee, unique=True, name="relationship_one_active")
                       .where(Relationship.status == "active"))

WaitlistEntry.add_index(WaitlistEntry.index(WaitlistEntry.mentor, WaitlistEntry.mentee, unique=True,
                                            name="waitlist_entry_one_open")
                        .where(WaitlistEntry.status.in_(["waiting", "offered"])))
