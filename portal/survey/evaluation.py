"""The evaluation survey: an invitation when mentoring closes, a single-use link (or the scheme's
own survey at SURVEY_URL), one reminder, and answers kept apart from the person who gave them."""
from datetime import datetime, timedelta

from flask import current_app

from portal.core import clock, links
from portal.core.db import database
from portal.models import MenteeProfile, MentoringSession, Relationship, SurveyInvite, SurveyResponse, User
from portal.rules import allowance
from portal.rules.sessions import SessionStatus
from portal.rules.survey import summarise
from portal.survey import emails


def invite(relationship: Relationship) -> None:
    """Record that the mentee is to be asked (the sweep sends it, so a Redis outage cannot lose it)."""
    SurveyInvite.insert(relationship=relationship).on_conflict_ignore().execute()


def _mentee_user(invite_row: SurveyInvite) -> User:
    return (User.select().join(MenteeProfile).join(Relationship, on=(Relationship.mentee == MenteeProfile.id))
            .where(Relationship.id == invite_row.relationship_id).get())


def _send(invite_row: SurveyInvite, reminder: bool) -> None:
    emails.send_survey(invite_row, _mentee_user(invite_row), reminder)


def send_due(now: datetime, limit: int = 500) -> int:
    sent = 0
    for invite_row in SurveyInvite.select().where(SurveyInvite.sent_at.is_null()).limit(limit):
        with database.atomic():
            if SurveyInvite.update(sent_at=now).where((SurveyInvite.id == invite_row.id)
                                                      & SurveyInvite.sent_at.is_null()).execute():
                _send(invite_row, reminder=False)
                sent += 1
    return sent


def remind_due(now: datetime, limit: int = 500) -> int:
    before = now - timedelta(days=current_app.config["SURVEY_REMINDER_DAYS"])
    reminded = 0
    for invite_row in SurveyInvite.select().where((SurveyInvite.sent_at <= before) & ~SurveyInvite.answered
                                                  & SurveyInvite.reminded_at.is_null()).limit(limit):
        with database.atomic():
            if SurveyInvite.update(reminded_at=now).where((SurveyInvite.id == invite_row.id)
                                                          & SurveyInvite.reminded_at.is_null()
                                                          & ~SurveyInvite.answered).execute():
                _send(invite_row, reminder=True)
                reminded += 1
    return reminded


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
