"""The scheme at a glance, from a handful of aggregate queries whose number does not grow with the
scheme. Counts and dates only: nothing here shows what anyone discussed."""
import operator
import threading
from datetime import date, datetime, timedelta
from functools import reduce

from dateutil.relativedelta import relativedelta
from flask import current_app, session
from peewee import SQL, Select, Value, fn

from portal.accounts import invitations
from portal.admin import reporting
from portal.core import clock
from portal.core.db import database
from portal.models import (InboxItem, InboxStatus, MenteeProfile, MentoringSession, MentorProfile, MentorRequest,
                           Relationship, User, available_on, on_leave_on)
from portal.rules import workdays
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus
from portal.rules.sessions import PLANNED, SessionStatus

SHOWN = 20  # rows in each dashboard list; their counts link to the whole list
RECENT_MONTHS = 3  # the time to a mentor, for this month and the ones before it
STALLED_MATCH = timedelta(weeks=3)
QUIET_SIGNUP_MONTHS = 2
DUE_SOON_WORKING_DAYS = 2


def _count(model, condition=None):
    # COUNT(*), so PostgreSQL can answer from an index alone instead of reading every row of a wide table.
    query = model.select(fn.COUNT(SQL("*")))
    return query.where(condition) if condition is not None else query


def counts(now: datetime) -> dict:
    """Every count on the dashboard (and in the weekly summary), in one query of subqueries, each
    answered from an index: the number of queries does not grow with the scheme, nor with its counts."""
    today = clock.to_london(now).date()
    on_leave = on_leave_on(today)
    cases = _stalled_cases(now)
    since, until = reporting.span(*_recent(now))
    matched = reporting.matched_between(since, until)
    on_register = MentorProfile.listed & ~MentorProfile.paused & ~on_leave
    set_up = User.is_active & User.password_hash.is_null(False)
    show_full = current_app.config["SHOW_FULL_MENTORS"]
    parts = {
        "mentees": _count(MenteeProfile),
        "deactivated": _count(MenteeProfile, MenteeProfile.deactivated_at.is_null(False)),
        "waiting": _count(MentorRequest, MentorRequest.status == RequestStatus.PENDING),
        "due_soon": _count(MentorRequest, (MentorRequest.status == RequestStatus.PENDING)
                           & (MentorRequest.deadline <= workdays.deadline(now, DUE_SOON_WORKING_DAYS))),
        "matched": _count(Relationship, Relationship.status == RelationshipStatus.ACTIVE),
        "closed": _count(Relationship, Relationship.status.in_([RelationshipStatus.CLOSED, RelationshipStatus.WITHDRAWN])),
        "listed": _count(MentorProfile, on_register),
        # What the directory offers, by its own rule, and why the others on the register are not in it.
        "in_directory": _count(MentorProfile, available_on(today, full=show_full)).join(User),
        "not_set_up": _count(MentorProfile, on_register & ~set_up).join(User),
        "taking_none": _count(MentorProfile, on_register & set_up & (MentorProfile.capacity <= 0)).join(User),
        "full_left_out": Value(0) if show_full else _count(MentorProfile, on_register & set_up & (
            MentorProfile.capacity > 0) & (MentorProfile.places_taken >= MentorProfile.capacity)).join(User),
        "paused": _count(MentorProfile, MentorProfile.paused),
        "on_leave": _count(MentorProfile, on_leave),
        "full": _count(MentorProfile, MentorProfile.listed & (MentorProfile.places_taken >= MentorProfile.capacity)),
        "open_items": _count(InboxItem, InboxItem.status == InboxStatus.OPEN),
        "pending_invitations": _count(User, invitations.PENDING),
        "first_choice": _count(MentorRequest, matched & (MentorRequest.choice == 1)),
        "backup": _count(MentorRequest, matched & (MentorRequest.choice > 1)),
        # Every row has its mentee and user (the keys are NOT NULL), so each count needs no join.
        **{name: _count(rows.model, condition) for name, (rows, _, condition) in cases.items()},
    }
    row = Select(columns=[part.alias(name) for name, part in parts.items()]).bind(database).dicts().get()
    return {name: int(value or 0) for name, value in row.items()}


def not_in_directory(figures: dict) -> list[str]:
    """Why mentors on the register are missing from the directory, one reason a line, each with how many."""
    reasons = [(figures["not_set_up"], "has not set up their login", "have not set up their login"),
               (figures["taking_none"], "is taking no mentees just now", "are taking no mentees just now"),
               (figures["full_left_out"], "is full, and the directory leaves full mentors out",
                "are full, and the directory leaves full mentors out")]
    return [f"{count} {one if count == 1 else many}" for count, one, many in reasons if count]


def waiting_requests(now: datetime) -> list[dict]:
    """Requests waiting for an answer, soonest deadline first, with working days left, and whose
    records to link to."""
    mentee_user, mentor_user = User.alias(), User.alias()
    rows = (MentorRequest.select(MentorRequest.id, MentorRequest.deadline, MentorRequest.created_at,
                                 mentee_user.name.alias("mentee_name"), mentor_user.name.alias("mentor_name"),
                                 mentee_user.id.alias("mentee_user_id"), mentor_user.id.alias("mentor_user_id"),
                                 MentorRequest.mentee, MentorRequest.mentor)
            .join(MenteeProfile).join(mentee_user, on=(MenteeProfile.user == mentee_user.id))
            .switch(MentorRequest).join(MentorProfile).join(mentor_user, on=(MentorProfile.user == mentor_user.id))
            .where(MentorRequest.status == RequestStatus.PENDING).order_by(MentorRequest.deadline).limit(SHOWN).dicts())
    found = []
    for row in rows:
        left = workdays.working_days_left(now, row["deadline"])
        found.append({**row, "days_left": left, "due_soon": left <= DUE_SOON_WORKING_DAYS})
    return found


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


def stalled(now: datetime) -> dict:
    """Cases the team may want to follow up: the first rows of each kind, oldest first, as
    {"user_id", "name", "at"}; one query (a UNION of the kinds, each with its own limit)."""
    cases, parts = _stalled_cases(now), []
    for kind, (rows, oldest_first, condition) in cases.items():
        part = (rows.select(Value(kind).alias("kind"), MenteeProfile.user.alias("user_id"), User.name.alias("name"),
                            oldest_first.alias("at"))
                .where(condition).order_by(oldest_first).limit(SHOWN))
        parts.append(Select([part.alias(kind)], [SQL("*")]))
    found = {kind: [] for kind in cases}
    for row in reduce(operator.add, parts).bind(database).dicts():
        kind = row.pop("kind")
        # Through a UNION, Peewee no longer knows the column is a time (SQLite gives back its text).
        found[kind].append({**row, "at": cases[kind][1].python_value(row["at"])})
    return {kind: sorted(rows, key=lambda row: row["at"]) for kind, rows in found.items()}


def _recent(now: datetime) -> tuple[date, date]:
    """This month and the RECENT_MONTHS - 1 before it, London days."""
    today = clock.to_london(now).date()
    return today.replace(day=1) - relativedelta(months=RECENT_MONTHS - 1), today


def page(now: datetime) -> dict:
    """What the dashboard shows: its counts, the waiting requests, the cases to follow up, and how
    long finding a mentor takes lately (by the reports' measure; how many matches came from a backup
    is in the counts). Five queries with the login's."""
    figures = counts(now)
    return {"figures": figures, "not_in_directory": not_in_directory(figures), "waiting": waiting_requests(now),
            "stalled": stalled(now), "timings": reporting.timings(*_recent(now))}


# The page, made again after REUSE_SECONDS --------------------------------------------------------

REUSE_SECONDS = 30
ACTED_AT = "admin_acted_at"  # in an admin's session: when they last changed anything


class _Kept:
    """The last page made, per app (each web server process keeps its own): admins looking at once, or
    again and again, share one. Made again after REUSE_SECONDS, and for an admin whose session says
    they changed something since (see note_an_admins_change), so their own action always shows."""

    def __init__(self):
        self.lock = threading.Lock()
        self.made_at: datetime | None = None
        self.page: dict | None = None

    def get(self, acted_at: datetime | None) -> dict:
        with self.lock:  # one admin makes it; the others at that moment wait for theirs rather than make it too
            now = clock.now()
            if (self.made_at is None or now - self.made_at >= timedelta(seconds=REUSE_SECONDS)
                    or (acted_at is not None and acted_at >= self.made_at)):
                self.made_at, self.page = now, page(now)
            return self.page


def latest(acted_at: str | None) -> dict:
    """The dashboard's page for an admin whose session holds `acted_at` (ACTED_AT, or None)."""
    kept = current_app.extensions.setdefault("admin.dashboard", _Kept())
    return kept.get(datetime.fromisoformat(acted_at) if acted_at else None)


def note_an_admins_change() -> None:
    """After an admin's POST (a change, or at least a try at one): the time, in their session."""
    session[ACTED_AT] = clock.now().isoformat()
