"""The scheme at a glance, from a handful of aggregate queries whose number does not grow with the
scheme. Counts and dates only: nothing here shows what anyone discussed."""
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from peewee import SQL, Case, fn

from portal.admin import reporting
from portal.core import clock
from portal.models import (InboxItem, InboxStatus, MenteeProfile, MentoringSession, MentorProfile, MentorRequest,
                           Relationship, User, on_leave_on)
from portal.rules import workdays
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus
from portal.rules.sessions import PLANNED, SessionStatus

SHOWN = 20  # rows in each dashboard list; their counts link to the whole list
RECENT_MONTHS = 3  # the time to a mentor, for this month and the ones before it
STALLED_MATCH = timedelta(weeks=3)
QUIET_SIGNUP_MONTHS = 2
DUE_SOON_WORKING_DAYS = 2


def _sum(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def figures(now: datetime) -> dict:
    today = clock.to_london(now).date()
    # COUNT(*) and COUNT(a column in an index), so PostgreSQL can answer from an index alone
    # instead of reading every row of a wide table.
    everyone = fn.COUNT(SQL("*"))
    mentees = MenteeProfile.select(everyone, fn.COUNT(MenteeProfile.deactivated_at)).tuples().get()
    waiting = MentorRequest.select(everyone).where(MentorRequest.status == RequestStatus.PENDING).scalar()
    relationships = dict(Relationship.select(Relationship.status, everyone).group_by(Relationship.status).tuples())
    on_leave = on_leave_on(today)
    mentors = (MentorProfile.select(_sum(MentorProfile.listed & ~MentorProfile.paused & ~on_leave),
                                    _sum(MentorProfile.paused), _sum(on_leave),
                                    _sum(MentorProfile.listed & (MentorProfile.places_taken >= MentorProfile.capacity)))
               .tuples().get())
    open_items = InboxItem.select(fn.COUNT(InboxItem.id)).where(InboxItem.status == InboxStatus.OPEN).scalar()
    return {
        "mentees": mentees[0] or 0, "deactivated": mentees[1] or 0, "waiting": waiting or 0,
        "matched": relationships.get(RelationshipStatus.ACTIVE, 0),
        "closed": relationships.get(RelationshipStatus.CLOSED, 0) + relationships.get(RelationshipStatus.WITHDRAWN, 0),
        "listed": mentors[0] or 0, "paused": mentors[1] or 0, "on_leave": mentors[2] or 0, "full": mentors[3] or 0,
        "open_items": open_items or 0,
    }


def waiting_requests(now: datetime) -> list[dict]:
    """Requests waiting for an answer, soonest deadline first, with working days left."""
    mentee_user, mentor_user = User.alias(), User.alias()
    rows = (MentorRequest.select(MentorRequest.id, MentorRequest.deadline, MentorRequest.created_at,
                                 mentee_user.name.alias("mentee_name"), mentor_user.name.alias("mentor_name"),
                                 MentorRequest.mentee, MentorRequest.mentor)
            .join(MenteeProfile).join(mentee_user, on=(MenteeProfile.user == mentee_user.id))
            .switch(MentorRequest).join(MentorProfile).join(mentor_user, on=(MentorProfile.user == mentor_user.id))
            .where(MentorRequest.status == RequestStatus.PENDING).order_by(MentorRequest.deadline).limit(SHOWN).dicts())
    found = []
    for row in rows:
        left = workdays.working_days_left(now, row["deadline"])
        found.append({**row, "days_left": left, "due_soon": left <= DUE_SOON_WORKING_DAYS})
    return found


def due_soon(now: datetime) -> int:
    """Requests waiting for an answer whose deadline is within DUE_SOON_WORKING_DAYS working days."""
    return MentorRequest.select().where((MentorRequest.status == RequestStatus.PENDING)
                                        & (MentorRequest.deadline <= workdays.deadline(now, DUE_SOON_WORKING_DAYS))
                                        ).count()


def _stalled_cases(now: datetime) -> dict:
    """Each kind of case the team may want to follow up: (its rows, oldest first, the condition)."""
    window = current_app.config["SESSION_WINDOW_MONTHS"]
    # NOT EXISTS, not NOT IN: each match is checked against its own sessions through an index,
    # rather than every session in the scheme being gathered first.
    any_session = MentoringSession.select(SQL("1")).where(
        (MentoringSession.relationship == Relationship.id)
        & MentoringSession.status.in_([*PLANNED, SessionStatus.HELD]))
    relationships = Relationship.select(Relationship, MenteeProfile, User).join(MenteeProfile).join(User)
    mentees = MenteeProfile.select(MenteeProfile, User).join(User)
    return {
        "quiet_match": (relationships, Relationship.opened_at, (Relationship.status == RelationshipStatus.ACTIVE)
                        & (Relationship.opened_at <= now - STALLED_MATCH) & ~fn.EXISTS(any_session)),
        "quiet_signup": (mentees, MenteeProfile.created_at,
                         MenteeProfile.first_requested_at.is_null() & MenteeProfile.deactivated_at.is_null()
                         & (MenteeProfile.created_at <= now - relativedelta(months=QUIET_SIGNUP_MONTHS))),
        "past_window": (relationships, Relationship.opened_at, (Relationship.status == RelationshipStatus.ACTIVE)
                        & (Relationship.opened_at <= now - relativedelta(months=window))),
    }


def stalled_counts(now: datetime) -> dict:
    # Every row has its mentee and user (the keys are NOT NULL), so each count needs no join.
    return {name: rows.model.select().where(condition).count()
            for name, (rows, _, condition) in _stalled_cases(now).items()}


def stalled(now: datetime) -> dict:
    """Cases the team may want to follow up, each its first rows and a count."""
    counts = stalled_counts(now)
    return {name: {"rows": list(rows.where(condition).order_by(oldest_first).limit(SHOWN)), "count": counts[name]}
            for name, (rows, oldest_first, condition) in _stalled_cases(now).items()}


def time_to_mentor(now: datetime) -> dict:
    """How long finding a mentor takes lately, as the reports measure it, and how many of the matches
    came from a backup: for this month and the RECENT_MONTHS - 1 before it."""
    today = clock.to_london(now).date()
    start = today.replace(day=1) - relativedelta(months=RECENT_MONTHS - 1)
    first, backup = reporting.matches_by_choice(*reporting.span(start, today))
    return {"timings": reporting.timings(start, today), "first_choice": first, "backup": backup}
