"""Asking for a mentor: the requests, and the waiting list for a full mentor."""
from enum import StrEnum

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.core import clock
from portal.models.base import BaseModel
from portal.models.people import BetweenMenteeAndMentor, MenteeProfile, MentorProfile, User
from portal.rules.requests import RequestStatus


class MentorRequest(BetweenMenteeAndMentor, BaseModel):
    """A mentee asking a mentor (states: portal/rules/requests.py). While it waits it holds one of
    the mentor's places. A backup the mentee named is a row too, not yet sent: it holds no place and
    its mentor cannot see it until its turn comes."""

    mentee = ForeignKeyField(MenteeProfile, backref="requests", on_delete="CASCADE")
    mentor = ForeignKeyField(MentorProfile, backref="requests", on_delete="CASCADE")
    note = TextField()  # what the mentee would like to talk about: for the mentor, cleared with time
    status = CharField(max_length=10, default=RequestStatus.PENDING)
    choice = IntegerField(default=1)  # 1: the mentor asked first; 2, 3: the backups, in the mentee's order
    # When this mentor was asked (for a backup, when its turn came, so nothing shows it was not the first).
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
    # One short question the mentor may ask before answering, and the mentee's reply: request words too.
    question = TextField(default="")
    question_at = DateTimeField(null=True)
    reply = TextField(default="")
    reply_at = DateTimeField(null=True)

    @classmethod
    def with_people(cls, request_id: int):
        """The request, its mentee (with their login) and its mentor in one query: what its pages show."""
        return (cls.select(cls, MenteeProfile, User, MentorProfile).join(MenteeProfile).join(User)
                .switch(cls).join(MentorProfile).where(cls.id == request_id).first())

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
                        .where(MentorRequest.status == RequestStatus.PENDING))


class WaitlistStatus(StrEnum):
    """A WaitlistEntry's status: in line; offered a place, held for them; took it; let the offer lapse;
    left the list."""

    WAITING = "waiting"
    OFFERED = "offered"
    TAKEN = "taken"
    LAPSED = "lapsed"
    LEFT = "left"


class WaitlistEntry(BetweenMenteeAndMentor, BaseModel):
    """A mentee waiting for a full mentor. When a place frees, the first in line is offered it
    (the place is held for them) until offer_expires_at; then the next in line is asked."""

    mentor = ForeignKeyField(MentorProfile, backref="waitlist", on_delete="CASCADE")
    mentee = ForeignKeyField(MenteeProfile, backref="waitlist_entries", on_delete="CASCADE")
    status = CharField(max_length=10, default=WaitlistStatus.WAITING)
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


WaitlistEntry.add_index(WaitlistEntry.index(WaitlistEntry.mentor, WaitlistEntry.mentee, unique=True,
                                            name="waitlist_entry_one_open")
                        .where(WaitlistEntry.status.in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED])))
