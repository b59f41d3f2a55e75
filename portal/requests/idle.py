"""Mentees who have not found a mentor: warned, then deactivated after DEACTIVATE_AFTER_MONTHS (time
spent waiting for an answer does not count), and reactivated by the team when they ask."""
from datetime import datetime

from flask import current_app

from portal.core import audit, clock, inbox
from portal.core.db import database
from portal.models import InboxItem, InboxStatus, MenteeProfile, MentorRequest, User
from portal.requests import emails, mentor_requests, waitlist
from portal.rules import eligibility
from portal.rules.requests import RequestStatus


def deactivate_idle_mentees(now: datetime, limit: int = 500) -> int:
    """Warn, then deactivate, mentees with no mentor accepting them within the period (default
    3 months). A request waiting for an answer counts as having chosen."""
    config = current_app.config
    months, warn_days = config["DEACTIVATE_AFTER_MONTHS"], config["DEACTIVATION_WARNING_DAYS"]
    waiting = MentorRequest.select(MentorRequest.mentee).where(MentorRequest.status == RequestStatus.PENDING)
    # Only those with something due now, so mentees already warned cannot fill the limit and keep
    # later ones from their warnings.
    something_due = MenteeProfile.period_started_at <= eligibility.deactivation_from(now, months)
    for warning, started in eligibility.warnings_due_from(now, months, warn_days):
        something_due |= (MenteeProfile.period_started_at <= started) & (MenteeProfile.deactivation_warnings < warning)
    candidates = list(MenteeProfile.select().where(
        MenteeProfile.matched_at.is_null() & MenteeProfile.deactivated_at.is_null()
        & (MenteeProfile.period_started_at <= eligibility.attention_from(now, months, warn_days)) & something_due
        & MenteeProfile.id.not_in(waiting)).order_by(MenteeProfile.period_started_at).limit(limit))
    acted = 0
    for mentee in candidates:
        due = eligibility.deactivation_due(mentee.period_started_at, months)
        warnings = [t for t in eligibility.warning_times(due, warn_days) if t <= now]
        user = User.get_by_id(mentee.user_id)
        with database.atomic() as transaction:
            same = (MenteeProfile.id == mentee.id) & MenteeProfile.deactivated_at.is_null() & (
                MenteeProfile.period_started_at == mentee.period_started_at)
            if now >= due:
                moved = MenteeProfile.update(deactivated_at=now).where(same).execute()
            elif len(warnings) > mentee.deactivation_warnings:
                moved = MenteeProfile.update(deactivation_warnings=len(warnings)).where(
                    same & (MenteeProfile.deactivation_warnings == mentee.deactivation_warnings)).execute()
            else:
                continue
            # The update holds the mentee's row, which a request takes first too (make_request): one
            # made since the candidates were read is in by now, and counts as having chosen.
            if moved and mentor_requests.waiting_request(mentee):
                transaction.rollback()
                continue
            if moved and now >= due:
                waitlist.leave_all(mentee.id, None)
                emails.send_deactivated(user, mentee.id, mentee.period_started_at)
                audit.record(None, "deactivated_mentee", mentee)
                acted += 1
            elif moved:
                emails.send_deactivation_warning(user, mentee.id, due, len(warnings))
                audit.record(None, "warned_mentee", mentee)
                acted += 1
    return acted


def reactivation_asked(user: User) -> bool:
    return InboxItem.select().where((InboxItem.user == user) & (InboxItem.kind == "reactivation")
                                    & (InboxItem.status == InboxStatus.OPEN)).exists()


def ask_reactivation(user: User) -> InboxItem:
    existing = InboxItem.get_or_none((InboxItem.user == user) & (InboxItem.kind == "reactivation")
                                     & (InboxItem.status == InboxStatus.OPEN))
    return existing or inbox.raise_item("reactivation", name=user.name, email=user.email, user=user)


def reactivate(mentee: MenteeProfile, by: User) -> bool:
    """Open a deactivated mentee's account again, with a new period; False if it was not deactivated."""
    now = clock.now()
    with database.atomic():
        if not MenteeProfile.update(deactivated_at=None, period_started_at=now, deactivation_warnings=0).where(
                (MenteeProfile.id == mentee.id) & MenteeProfile.deactivated_at.is_null(False)).execute():
            return False
        user = User.get_by_id(mentee.user_id)
        for item in InboxItem.select().where((InboxItem.user == user) & (InboxItem.kind == "reactivation")
                                             & (InboxItem.status == InboxStatus.OPEN)):
            inbox.close(item.id, by)
        emails.send_reactivated(user, mentee.id, now)
        audit.record(by, "reactivated_mentee", mentee)
    return True
