"""Keeping personal data no longer than it is useful (SCHEME.md): a daily purge of the words of old
requests and emails, and of where sessions met once a relationship has long closed. Dates and counts stay."""
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app

from portal.core import audit
from portal.core.db import database
from portal.models import Email, EmailStatus, MentoringSession, MentorRequest, Relationship
from portal.rules.requests import RequestStatus

# What people wrote with a request, blanked: the mentee's note, the mentor's message and question, the reply.
REQUEST_WORDS = {"note": "", "decline_message": "", "question": "", "reply": ""}


def purge(now: datetime) -> int:
    """Keep personal data no longer than it is useful (SCHEME.md): the words of finished requests after
    RETENTION_DAYS_WORDS, the bodies of sent emails after the same, and where and how sessions met
    once a relationship has been closed for RETENTION_MONTHS. What remains is counts and dates."""
    words_before = now - timedelta(days=current_app.config["RETENTION_DAYS_WORDS"])
    with database.atomic():
        requests = MentorRequest.update(**REQUEST_WORDS).where(
            MentorRequest.status.not_in([RequestStatus.PENDING, RequestStatus.BACKUP])
            & (MentorRequest.decided_at < words_before)
            & ((MentorRequest.note != "") | (MentorRequest.decline_message != "") | (MentorRequest.question != "")
               | (MentorRequest.reply != ""))).execute()
        emails = Email.update(text_body="", html_body="", attachments=[]).where(
            (Email.status == EmailStatus.SENT) & (Email.sent_at < words_before) & (Email.text_body != "")).execute()
        closed_long_ago = Relationship.select(Relationship.id).where(
            Relationship.closed_at < now - relativedelta(months=current_app.config["RETENTION_MONTHS"]))
        locations = MentoringSession.update(location="", joining_link="").where(
            MentoringSession.relationship.in_(closed_long_ago)
            & ((MentoringSession.location != "") | (MentoringSession.joining_link != ""))).execute()
        if requests or emails or locations:
            audit.record(None, "purged", detail=f"{requests} request notes, {emails} email bodies, "
                                               f"{locations} session locations")
    return requests + emails + locations
