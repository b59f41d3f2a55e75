"""Mentoring relationships, from the mentor's yes to their end: contracting, more sessions, the
mentor's private notes, ending by agreement or when the allowance is used, and withdrawal through
the admin team. However mentoring ends, wind_up tidies what was left of it.

Nothing said in mentoring is kept: the mentor's notes are theirs alone and go with the relationship
(SCHEME.md, "Confidentiality").
"""
from datetime import datetime

from dateutil.relativedelta import relativedelta
from flask import current_app
from peewee import fn

from portal.core import audit, clock, inbox
from portal.core.db import database
from portal.core.refused import Refused
from portal.core.roles import ADMIN, MENTEE, MENTOR, SYSTEM
from portal.mentoring import emails, sessions
from portal.models import InboxItem, InboxStatus, MenteeProfile, MentoringSession, MentorNote, Relationship, User
from portal.requests import waitlist
from portal.rules import allowance
from portal.rules import mentoring as rules
from portal.rules import sessions as session_rules
from portal.rules.mentoring import RelationshipStatus
from portal.rules.moves import MoveRefused
from portal.rules.sessions import SessionStatus
from portal.survey import evaluation


class MentoringRefused(Refused):
    """Why something cannot be done with a relationship, in words for the person trying."""


def tick_contracting(relationship: Relationship, user: User) -> None:
    if relationship.side_of(user) != MENTOR:
        raise MentoringRefused("Only the mentor ticks the contracting conversation")
    Relationship.update(contracting_done_at=clock.now()).where(
        (Relationship.id == relationship.id) & Relationship.contracting_done_at.is_null()).execute()
    audit.record(user, "contracting_done", relationship)


def ask_for_more(relationship: Relationship, user: User):
    if relationship.side_of(user) != MENTEE:
        raise MentoringRefused("The mentee asks the team for more sessions")
    existing = inbox.open_items().where((InboxItem.kind == "more_sessions") & (InboxItem.user == user)).first()
    return existing or inbox.raise_item("more_sessions", name=user.name, email=user.email, user=user,
                                        details={"relationship": relationship.id})


def grant_more(relationship: Relationship, by: User, item=None) -> int:
    """Another set of sessions for the mentee, agreed by an admin; returns the new allowance."""
    if relationship.status != RelationshipStatus.ACTIVE:
        raise MentoringRefused("This mentoring has ended, so no sessions can be added to it")
    extra = current_app.config["EXTRA_SESSIONS"]
    with database.atomic():
        MenteeProfile.update(sessions_allowed=MenteeProfile.sessions_allowed + extra).where(
            MenteeProfile.id == relationship.mentee_id).execute()
        if item is not None:
            inbox.close(item.id, by)
        allowed = MenteeProfile.get_by_id(relationship.mentee_id).sessions_allowed
        emails.send_sessions_granted(relationship, extra, allowed)
        audit.record(by, "granted_sessions", relationship, detail=f"+{extra}, now {allowed}")
    return allowed


def ask_to_close(relationship: Relationship, user: User) -> bool:
    """One side suggests ending; the mentoring closes when the other agrees. True when it closed."""
    who = relationship.side_of(user)
    if who is None or relationship.status != RelationshipStatus.ACTIVE:
        raise MentoringRefused("This mentoring is not yours to close")
    current = Relationship.get_by_id(relationship.id)
    if current.close_asked_by and current.close_asked_by != who:
        return close(relationship, user, who, "agreed")
    Relationship.update(close_asked_by=who).where(Relationship.id == relationship.id).execute()
    emails.send_close_suggested(relationship, user, who)
    audit.record(user, "suggested_closing", relationship)
    return False


def wind_up(relationship: Relationship, now: datetime) -> list[MentoringSession]:
    """What any ending of mentoring does to what was left of it, inside the caller's transaction:
    sessions still planned are cancelled, the mentor's notes deleted (SCHEME.md: they go with the
    relationship), the place given back. Returns the confirmed sessions still to come, whose
    calendar entries the goodbye emails withdraw."""
    planned = (MentoringSession.relationship == relationship.id) & MentoringSession.status.in_(session_rules.PLANNED)
    in_calendars = [s.id for s in MentoringSession.select(MentoringSession.id).where(
        planned & (MentoringSession.status == SessionStatus.CONFIRMED) & (MentoringSession.starts_at > now))]
    MentoringSession.update(status=SessionStatus.CANCELLED, cancelled_at=now, cancelled_by=SYSTEM,
                            calendar_sequence=MentoringSession.calendar_sequence + 1).where(planned).execute()
    MentorNote.delete().where(MentorNote.relationship == relationship.id).execute()
    waitlist.release_place(relationship.mentor_id, now)
    return list(MentoringSession.select().where(MentoringSession.id.in_(in_calendars)).order_by(
        MentoringSession.starts_at)) if in_calendars else []


def close(relationship: Relationship, by: User | None, role: str, reason: str, now: datetime | None = None) -> bool:
    """End the mentoring: sessions still planned are cancelled, the mentor's notes deleted, the place
    given back, and the mentee invited to the evaluation survey. False if it had ended already."""
    now = now or clock.now()
    try:
        rules.relationship_move(Relationship.get_by_id(relationship.id).status, "close", role)
    except MoveRefused:
        return False
    with database.atomic():
        if not Relationship.update(status=RelationshipStatus.CLOSED, closed_at=now, close_reason=reason,
                                   close_asked_by=None).where(
                (Relationship.id == relationship.id) & (Relationship.status == RelationshipStatus.ACTIVE)).execute():
            return False
        cancelled = wind_up(relationship, now)
        evaluation.invite(relationship)
        emails.send_closed(relationship, cancelled)
        audit.record(by, "closed_relationship", relationship, detail=reason)
    return True


def note_for(relationship: Relationship, user: User) -> MentorNote | None:
    if relationship.side_of(user) != MENTOR:
        raise MentoringRefused("Notes are the mentor's own")
    return MentorNote.get_or_none(MentorNote.relationship == relationship)


def save_note(relationship: Relationship, user: User, text: str) -> None:
    if relationship.side_of(user) != MENTOR or relationship.status != RelationshipStatus.ACTIVE:
        raise MentoringRefused("Notes are the mentor's own, and only while the mentoring lasts")
    with database.atomic():
        note = MentorNote.get_or_none(MentorNote.relationship == relationship)
        if note is None:
            MentorNote.create(relationship=relationship, mentor=relationship.mentor_id, text=text)
        else:
            MentorNote.update(text=text, updated_at=clock.now()).where(MentorNote.id == note.id).execute()


def nudge_windows(now: datetime, limit: int = 500) -> int:
    """Five months after the match (SESSION_NUDGE_MONTHS), a word to both about the six-month window."""
    months = current_app.config["SESSION_NUDGE_MONTHS"]
    due = list(Relationship.select().where((Relationship.status == RelationshipStatus.ACTIVE)
                                           & (Relationship.opened_at <= now - relativedelta(months=months))
                                           & Relationship.window_nudged_at.is_null()).limit(limit))
    for relationship in due:
        with database.atomic():
            if not Relationship.update(window_nudged_at=now).where(
                    (Relationship.id == relationship.id) & Relationship.window_nudged_at.is_null()).execute():
                continue
            emails.send_window_nudge(relationship, sessions.standing(relationship))
    return len(due)


def close_finished(now: datetime, limit: int = 500) -> int:
    """Relationships whose allowance is used with nothing more planned close on their own."""
    held_in = Relationship.alias()
    held = (MentoringSession.select(fn.COUNT(MentoringSession.id))
            .join(held_in, on=(MentoringSession.relationship == held_in.id))
            .where((held_in.mentee == MenteeProfile.id) & (MentoringSession.status == SessionStatus.HELD)))
    candidates = list(Relationship.select().join(MenteeProfile)
                      .where((Relationship.status == RelationshipStatus.ACTIVE)
                             & (MenteeProfile.sessions_allowed <= held))
                      .limit(limit))
    closed = 0
    for relationship in candidates:
        state = sessions.standing(relationship)
        if allowance.finished(state["allowed"], state["held"], state["planned"]):
            closed += close(relationship, None, SYSTEM, "allowance used", now)
    return closed


def ask_withdrawal(relationship: Relationship, user: User, reason: str) -> InboxItem:
    side = MENTOR if relationship.mentor.user_id == user.id else MENTEE
    existing = InboxItem.get_or_none((InboxItem.kind == "withdrawal") & (InboxItem.status == InboxStatus.OPEN)
                                     & (InboxItem.user == user))
    if existing and existing.details.get("relationship") == relationship.id:
        return existing
    return inbox.raise_item("withdrawal", name=user.name, email=user.email, user=user,
                            details={"relationship": relationship.id, "asked_by": side}, message=reason.strip())


def withdraw(relationship: Relationship, by: User, item: InboxItem | None = None, leaving: User | None = None) -> bool:
    """End a relationship at either side's request, confirmed by an admin. Sessions already held
    stay counted for the mentee, who may ask another mentor. `leaving`: a side whose data is being
    erased, whom the other side's email does not name."""
    now = clock.now()
    try:
        rules.relationship_move(Relationship.get_by_id(relationship.id).status, "withdraw", ADMIN)
    except MoveRefused:
        return False
    with database.atomic():
        if not Relationship.update(status=RelationshipStatus.WITHDRAWN, closed_at=now, close_reason="withdrawn").where(
                (Relationship.id == relationship.id) & (Relationship.status == RelationshipStatus.ACTIVE)).execute():
            return False
        cancelled = wind_up(relationship, now)
        if item is not None:
            inbox.close(item.id, by)
        emails.send_withdrawn(relationship, cancelled, leaving)
        audit.record(by, "withdrew_relationship", relationship)
    return True
