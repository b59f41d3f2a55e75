"""The tables, by subject. Times are naive UTC (see portal.clock).

Nothing here records what was said in a mentoring conversation: the portal keeps that
sessions happen, never their content (SCHEME.md, "Confidentiality").
"""
from .base import BaseModel, JSONField, new_nonce
from .messages import ActionLink, Email, InboxItem
from .people import MenteeProfile, MentorProfile, User
from .records import AuditEvent, Content

MODELS = [User, MenteeProfile, MentorProfile, ActionLink, Email, InboxItem, AuditEvent, Content]

__all__ = ["BaseModel", "JSONField", "new_nonce", "MODELS", *(model.__name__ for model in MODELS)]
