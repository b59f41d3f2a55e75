"""Mentees who have not found a mentor: warned, then deactivated after DEACTIVATE_AFTER_MONTHS (time
spent waiting for an answer does not count), or deactivated by the team by hand; reactivated by the team
when they ask."""
from datetime import datetime

from flask import current_app

from portal.core import audit, clock, db, inbox, mail
from portal.core.db import database
from portal.core.refused import Refused
from portal.models import InboxItem, InboxStatus, MenteeProfile, MentorRequest, User, WaitlistEntry
from portal.requests import emails, mentor_requests, waitlist
from portal.rules import eligibility
from portal.rules.requests import RequestStatus


# How many mentees the sweep takes in one transaction.
BATCH = 500


def deactivate_idle_mentees(now: datetime, limit: int = BATCH) -> int:
    """Warn, then deactivate, mentees with no mentor accepting them within the period (default
    3 months), `limit` a transaction. A request waiting for an answer counts as having chosen."""
    config = current_app.config
    months, warn_days = config["DEACTIVATE_AFTER_MONTHS"], config["DEACTIVATION_WARNING_DAYS"]
    # Only those with something due now, so mentees already warned cannot fill the limit and keep
    # later ones from their warnings.
    something_due = MenteeProfile.period_started_at <= eligibility.deactivation_from(now, months)
    for warning, started in eligibility.warnings_due_from(now, months, warn_days):
        something_due |= (MenteeProfile.period_started_at <= started) & (MenteeProfile.deactivation_warnings < warning)
    due_now = (MenteeProfile.matched_at.is_null() & MenteeProfile.deactivated_at.is_null()
               & (MenteeProfile.period_started_at <= eligibility.attention_from(now, months, warn_days)) & something_due)
    acted = passed_over = 0
    while True:
        with database.atomic(), mail.batched():
            waiting = MentorRequest.select(MentorRequest.mentee).where(MentorRequest.status == RequestStatus.PENDING)
            query = (MenteeProfile.select().where(due_now & MenteeProfile.id.not_in(waiting))
                     .order_by(MenteeProfile.period_started_at, MenteeProfile.id).offset(passed_over).limit(limit))
            # Their rows held, which a request takes first too (make_request): one made since is in by now
            # and counts as having chosen, and one made from now on waits, then sees them deactivated.
            candidates = list(query.for_update() if db.is_postgres() else query)
            asked = {r.mentee_id for r in MentorRequest.select(MentorRequest.mentee).where(
                MentorRequest.mentee.in_([m.id for m in candidates]) & (MentorRequest.status == RequestStatus.PENDING))}
            deactivating, warning = [], {}
            for mentee in candidates:
                due = eligibility.deactivation_due(mentee.period_started_at, months)
                given = len([t for t in eligibility.warning_times(due, warn_days) if t <= now])
                if mentee.id in asked:
                    passed_over += 1
                elif now >= due:
                    deactivating.append(mentee)
                elif given > mentee.deactivation_warnings:
                    warning.setdefault(given, []).append(mentee)
                else:
                    passed_over += 1
            if deactivating:
                MenteeProfile.update(deactivated_at=now).where(
                    MenteeProfile.id.in_([m.id for m in deactivating])).execute()
                for entry in WaitlistEntry.select(WaitlistEntry.mentee).distinct().where(
                        WaitlistEntry.mentee.in_([m.id for m in deactivating]) & WaitlistEntry.status.in_(waitlist.OPEN)):
                    waitlist.leave_all(entry.mentee_id, None)
            for given, mentees in warning.items():
                MenteeProfile.update(deactivation_warnings=given).where(
                    MenteeProfile.id.in_([m.id for m in mentees])).execute()
            users = {u.id: u for u in User.select().where(User.id.in_([m.user_id for m in candidates]))}
            for mentee in deactivating:
                emails.send_deactivated(users[mentee.user_id], mentee.id, mentee.period_started_at)
            for given, mentees in warning.items():
                for mentee in mentees:
                    emails.send_deactivation_warning(users[mentee.user_id], mentee.id,
                                                     eligibility.deactivation_due(mentee.period_started_at, months),
                                                     given)
            audit.record_all(None, "deactivated_mentee", deactivating)
            audit.record_all(None, "warned_mentee", [m for mentees in warning.values() for m in mentees])
        acted += len(deactivating) + sum(len(mentees) for mentees in warning.values())
        if len(candidates) < limit:
            return acted


def why_not_deactivate(mentee: MenteeProfile) -> str | None:
    return eligibility.why_not_deactivate(deactivated=mentee.deactivated_at is not None,
                                          waiting_for_answer=mentor_requests.waiting_request(mentee) is not None,
                                          in_mentoring=mentor_requests.active_relationship(mentee) is not None)


def deactivate(mentee: MenteeProfile, by: User) -> None:
    """The team closes a mentee's account by hand (they have left the scheme, say): the state the sweep
    leaves, told the same way, off every waiting list; reopened the same way too."""
    with database.atomic():
        # Held, as the sweep holds it: a request being made now waits, then finds the account closed.
        query = MenteeProfile.select().where(MenteeProfile.id == mentee.id)
        current = (query.for_update() if db.is_postgres() else query).get()
        problem = why_not_deactivate(current)
        if problem:
            raise Refused(problem)
        MenteeProfile.update(deactivated_at=clock.now()).where(MenteeProfile.id == mentee.id).execute()
        waitlist.leave_all(mentee.id, by)
        emails.send_deactivated(User.get_by_id(mentee.user_id), mentee.id, current.period_started_at, by_team=True)
        audit.record(by, "deactivated_mentee", mentee)


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
