"""Statuses are StrEnums in code and their plain values in the database: each member goes in through
Peewee, comes back equal to it, is found by it, and is stored as the same text as before the enums."""
from datetime import timedelta

import pytest

from portal.core import clock, db
from portal.models import (Email, EmailPreference, EmailStatus, ImportBatch, ImportStatus, InboxItem, InboxStatus,
                           MentoringSession, MentorRequest, Relationship, WaitlistEntry, WaitlistStatus)
from portal.rules.emails import NewsChoice
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus
from portal.rules.sessions import SessionStatus
from tests.support.factories import make_mentor, make_user


def _rows():
    """One row of every table with a status, each written with its column's default."""
    mentee = make_user("mina@example.org", "Mina Mentee", mentee=True).mentee
    mentor = make_mentor()
    now = clock.now()
    mentor_request = MentorRequest.create(mentee=mentee, mentor=mentor, note="Coming back", deadline=now)
    relationship = Relationship.create(mentor_request=mentor_request, mentee=mentee, mentor=mentor)
    return {
        (MentorRequest, "status", RequestStatus): mentor_request,
        (Relationship, "status", RelationshipStatus): relationship,
        (MentoringSession, "status", SessionStatus): MentoringSession.create(
            relationship=relationship, starts_at=now + timedelta(days=2), length_minutes=60, mode="video",
            proposed_by="mentee"),
        (WaitlistEntry, "status", WaitlistStatus): WaitlistEntry.create(mentor=mentor, mentee=mentee),
        (Email, "status", EmailStatus): Email.create(to_address="mina@example.org", template="confirm_email",
                                                    subject="Hello", text_body="Hello", html_body="<p>Hello</p>"),
        (InboxItem, "status", InboxStatus): InboxItem.create(kind="concern", name="Mina", email="mina@example.org"),
        (ImportBatch, "status", ImportStatus): ImportBatch.create(filename="mentors.csv"),
        (EmailPreference, "news", NewsChoice): EmailPreference.create(user=mentee.user_id),
    }


def _stored(model, column: str, row_id: int):
    """The column's text as the database driver returns it, past Peewee's fields."""
    table = model._meta.table_name
    return db.database.execute_sql(f"SELECT {column} FROM {table} WHERE id = {int(row_id)}").fetchone()[0]


DEFAULTS = {RequestStatus: "pending", RelationshipStatus: "active", SessionStatus: "proposed", WaitlistStatus: "waiting",
            EmailStatus: "queued", InboxStatus: "open", ImportStatus: "previewed", NewsChoice: "at_once"}


@pytest.mark.usefixtures("app_context")
def test_every_status_is_stored_as_its_plain_value_and_read_back_as_equal():
    rows = _rows()
    assert set(DEFAULTS) == {enum for _, _, enum in rows}
    for (model, column, enum), row in rows.items():
        field = getattr(model, column)
        stored = _stored(model, column, row.id)
        assert type(stored) is str and stored == DEFAULTS[enum] and stored == enum(stored)
        for member in enum:
            assert model.update({field: member}).where(model.id == row.id).execute() == 1
            assert _stored(model, column, row.id) == member.value
            read = model.get(field == member)
            assert read.id == row.id and getattr(read, column) == member and enum(getattr(read, column)) is member
            assert model.select().where(field.in_([member]) & (model.id == row.id)).exists()
        # Saving an instance writes a member as its value too.
        setattr(row, column, list(enum)[0])
        row.save()
        assert _stored(model, column, row.id) == list(enum)[0].value
