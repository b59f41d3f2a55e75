"""The tables, by subject. Times are naive UTC (see portal.core.clock).

Nothing here records what was said in a mentoring conversation: the portal keeps that
sessions happen, never their content (SCHEME.md, "Confidentiality").
"""
from portal.models.base import BaseModel, JSONField, new_nonce
from portal.models.mentoring import MentoringSession, MentorNote, Relationship
from portal.models.messages import ActionLink, Email, EmailPreference, EmailStatus, InboxItem, InboxReply, InboxStatus
from portal.models.people import MenteeProfile, MentorProfile, User
from portal.models.records import AuditEvent, Content, SweepRun
from portal.models.register import (ImportBatch, ImportStatus, MentorOption, ProfileChange, StoredPhoto, available_on,
                                    away_on, mentor_state, on_leave, on_leave_on)
from portal.models.requests import MentorRequest, WaitlistEntry, WaitlistStatus
from portal.models.survey import SurveyInvite, SurveyResponse

MODELS = [User, MenteeProfile, MentorProfile, MentorOption, ProfileChange, ActionLink, Email, InboxItem,
          AuditEvent, Content, StoredPhoto, ImportBatch, WaitlistEntry, MentorRequest, Relationship,
          MentoringSession, MentorNote, SurveyInvite, SurveyResponse, InboxReply, SweepRun, EmailPreference]

__all__ = ["BaseModel", "JSONField", "new_nonce", "MODELS", *(model.__name__ for model in MODELS),
           "EmailStatus", "ImportStatus", "InboxStatus", "WaitlistStatus",
           "available_on", "away_on", "mentor_state", "on_leave", "on_leave_on"]
