"""The scheme at a glance, from a handful of aggregate queries whose number does not grow with the
scheme. Counts and dates only: nothing here shows what anyone discussed."""
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from peewee import Case, fn

from . import clock
from .models import InboxItem, MenteeProfile, MentoringSession, MentorProfile, MentorRequest, Relationship, User
from .rules import workdays
from .rules.sessions import PLANNED

SHOWN = 20  # rows in each dashboard list; their counts link to the whole list
STALLED_MATCH = timedelta(weeks=3)
QUIET_SIGNUP_MONTHS = 2
DUE_SOON_WORKING_DAYS = 2


def _sum(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def figures(now: datetime) -> dict:
    today = clock.to_london(now).date()
    mentees = (MenteeProfile.select(fn.COUNT(MenteeProfile.id), _sum(MenteeProfile.deactivated_at.is_null(False)))
               .tuples().get())
    waiting = MentorRequest.select(fn.COUNT(MentorRequest.id)).where(MentorRequest.status == "pending").scalar()
    relationships = dict(Relationship.select(Relationship.status, fn.COUNT(Relationship.id))
                         .group_by(Relationship.status).tuples())
    on_leave = MentorProfile.leave_from.is_null(False) & (MentorProfile.leave_from <= today) & (
        MentorProfile.leave_until >= today)
    mentors = (MentorProfile.select(_sum(MentorProfile.listed & ~MentorProfile.paused & ~on_leave),
                                    _sum(MentorProfile.paused), _sum(on_leave),
                                    _sum(MentorProfile.listed & (MentorProfile.places_taken >= MentorProfile.capacity)))
               .tuples().get())
    open_items = InboxItem.select(fn.COUNT(InboxItem.id)).where(InboxItem.status == "open").scalar()
    return {
        "mentees": mentees[0] or 0, "deactivated": mentees[1] or 0, "waiting": waiting or 0,
        "matched": relationships.get("active", 0),
        "closed": relationships.get("closed", 0) + relationships.get("withdrawn", 0),
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
            .where(MentorRequest.status == "pending").order_by(MentorRequest.deadline).limit(SHOWN).dicts())
    found = []
    for row in rows:
        left = workdays.working_days_left(now, row["deadline"])
        found.append({**row, "days_left": left, "due_soon": left <= DUE_SOON_WORKING_DAYS})
    return found


def stalled(now: datetime) -> dict:
    """Cases the team may want to follow up, each a short list and a count."""
    window = current_app.config["SESSION_WINDOW_MONTHS"]
    any_session = MentoringSession.select(MentoringSession.relationship).where(
        MentoringSession.status.in_([*PLANNED, "held"]))
    quiet_match = (Relationship.select(Relationship, MenteeProfile, User).join(MenteeProfile).join(User)
                   .where((Relationship.status == "active") & (Relationship.opened_at <= now - STALLED_MATCH)
                          & Relationship.id.not_in(any_session))
                   .order_by(Relationship.opened_at))
    quiet_signup = (MenteeProfile.select(MenteeProfile, User).join(User)
                    .where(MenteeProfile.first_requested_at.is_null() & MenteeProfile.deactivated_at.is_null()
                           & (MenteeProfile.created_at <= now - relativedelta(months=QUIET_SIGNUP_MONTHS)))
                    .order_by(MenteeProfile.created_at))
    past_window = (Relationship.select(Relationship, MenteeProfile, User).join(MenteeProfile).join(User)
                   .where((Relationship.status == "active")
                          & (Relationship.opened_at <= now - relativedelta(months=window)))
                   .order_by(Relationship.opened_at))
    return {name: {"rows": list(query.limit(SHOWN)), "count": query.count()}
            for name, query in (("quiet_match", quiet_match), ("quiet_signup", quiet_signup),
                                ("past_window", past_window))}
