"""The evaluation survey: an invitation when mentoring closes, a single-use link (or the scheme's
own survey at SURVEY_URL), one reminder, and answers kept apart from the person who gave them."""
from datetime import datetime, timedelta

from flask import current_app

from portal.core import clock, db, links, mail
from portal.core.db import database
from portal.models import MenteeProfile, MentoringSession, Relationship, SurveyInvite, SurveyResponse, User
from portal.rules import allowance
from portal.rules.sessions import SessionStatus
from portal.rules.survey import summarise
from portal.survey import emails


def invite(relationship: Relationship) -> None:
    """Record that the mentee is to be asked (the sweep sends it, so a Redis outage cannot lose it)."""
    SurveyInvite.insert(relationship=relationship).on_conflict_ignore().execute()


# How many invitations a sweep sends in one transaction.
BATCH = 500


def _send_all(due, moved: dict, reminder: bool, batch: int) -> int:
    """Claim up to `batch` invitations matching `due` at a time (on PostgreSQL, leaving those another
    sweep holds), mark them with `moved`, and email each mentee; how many were sent."""
    sent = 0
    while True:
        with database.atomic(), mail.batched():
            query = SurveyInvite.select(SurveyInvite.id).where(due).order_by(SurveyInvite.id).limit(batch)
            claimed = [i.id for i in (query.for_update(skip_locked=True) if db.is_postgres() else query)]
            invites = list(SurveyInvite.update(**moved).where(SurveyInvite.id.in_(claimed) & due)
                           .returning(SurveyInvite).execute()) if claimed else []
            users = {user.relationship_id: user for user in User.select(User, Relationship.id.alias("relationship_id"))
                     .join(MenteeProfile).join(Relationship, on=(Relationship.mentee == MenteeProfile.id))
                     .where(Relationship.id.in_([i.relationship_id for i in invites])).objects()}
            emails.send_surveys([(invite_row, users[invite_row.relationship_id]) for invite_row in invites], reminder)
        sent += len(invites)
        if len(claimed) < batch:
            return sent


def send_due(now: datetime, batch: int = BATCH) -> int:
    return _send_all(SurveyInvite.sent_at.is_null(), {"sent_at": now}, reminder=False, batch=batch)


def remind_due(now: datetime, batch: int = BATCH) -> int:
    before = now - timedelta(days=current_app.config["SURVEY_REMINDER_DAYS"])
    return _send_all((SurveyInvite.sent_at <= before) & ~SurveyInvite.answered & SurveyInvite.reminded_at.is_null(),
                     {"reminded_at": now}, reminder=True, batch=batch)


def record(link, answers: dict) -> bool:
    """Keep a set of answers and spend the link; False when the link was used meanwhile. The response
    keeps only the quarter the mentoring closed and how many sessions were held."""
    with database.atomic():
        if not links.spend(link):
            return False
        invite_row = SurveyInvite.get_by_id(link.target_id)
        relationship = Relationship.get_by_id(invite_row.relationship_id)
        held = MentoringSession.select().where((MentoringSession.relationship == relationship)
                                               & (MentoringSession.status == SessionStatus.HELD)).count()
        SurveyInvite.update(answered=True).where(SurveyInvite.id == invite_row.id).execute()
        SurveyResponse.create(cohort=allowance.cohort(relationship.closed_at or clock.now()),
                              sessions_band=allowance.sessions_band(held), answers=answers)
    return True


def results(cohorts: set[str] | None = None) -> dict:
    """Amalgamated answers, of every cohort or only of those named (quarters such as "2026 Q4")."""
    query = SurveyResponse.select(SurveyResponse.answers)
    if cohorts is not None:
        query = query.where(SurveyResponse.cohort.in_(sorted(cohorts)))
    return summarise([row.answers for row in query], current_app.config["SMALLEST_GROUP"])
