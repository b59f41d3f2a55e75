"""The tables, by subject. Times are naive UTC (see portal.clock).

Nothing here records what was said in a mentoring conversation: the portal keeps that
sessions happen, never their content (SCHEME.md, "Confidentiality").
"""
from .base import BaseModel, JSONField, new_nonce
from .matching import MentorRequest, Relationship, WaitlistEntry
from .messages import ActionLink, Email, InboxItem, InboxReply
from .people import MenteeProfile, MentorOption, MentorProfile, ProfileChange, User
from .records import AuditEvent, Content, ImportBatch, StoredPhoto, SweepRun
from .sessions import MentoringSession, MentorNote, SurveyInvite, SurveyResponse

MODELS = [User, MenteeProfile, MentorProfile, MentorOption, ProfileChange, ActionLink, Email, InboxItem,
          AuditEvent, Content, StoredPhoto, ImportBatch, WaitlistEntry, MentorRequest, Relationship,
          MentoringSession, MentorNote, SurveyInvite, SurveyResponse, InboxReply, SweepRun]

__all__ = ["BaseModel", "JSONField", "new_nonce", "MODELS", *(model.__name__ for model in MODELS)]
