"""Mentoring sessions: planning with calendar invitations, changing and cancelling them, reminders,
whether each took place, and where the mentee stands in their allowance.

What happens in a session is never recorded: only when, how long, how and where, and whether
it took place (SCHEME.md, "Confidentiality")."""
from datetime import datetime, timedelta

from flask import current_app

from portal.core import audit, clock, formatting, inbox, reference
from portal.core.db import database
from portal.core.refused import Refused
from portal.mentoring import emails
from portal.models import MenteeProfile, MentoringSession, MentorOption, Relationship, User
from portal.rules import allowance
from portal.rules import sessions as rules
from portal.rules.mentoring import RelationshipStatus
from portal.rules.sessions import SessionStatus


class SessionRefused(Refused):
    """Why something cannot be done with a session, in words for the person trying."""


def held_count(mentee_id: int) -> int:
    """Sessions held in all the mentee's relationships: they stay counted after a withdrawal."""
    return (MentoringSession.select().join(Relationship)
            .where((Relationship.mentee == mentee_id) & (MentoringSession.status == SessionStatus.HELD)).count())


def planned(relationship: Relationship):
    return MentoringSession.select().where((MentoringSession.relationship == relationship)
                                           & MentoringSession.status.in_(rules.PLANNED))


def standing(relationship: Relationship) -> dict:
    mentee = MenteeProfile.get_by_id(relationship.mentee_id)
    held = held_count(mentee.id)
    to_come = planned(relationship).count()
    return {"allowed": mentee.sessions_allowed, "held": held, "planned": to_come,
            "text": allowance.used_text(held, mentee.sessions_allowed),
            "cannot_book": allowance.why_cannot_book(mentee.sessions_allowed, held, to_come)}


def _busy(relationship: Relationship, excluding: int | None = None) -> list[rules.Slot]:
    """Sessions still to happen for either person, in any of their relationships."""
    their = Relationship.select(Relationship.id).where(
        (Relationship.mentee == relationship.mentee_id) | (Relationship.mentor == relationship.mentor_id))
    query = MentoringSession.select().where(MentoringSession.relationship.in_(their)
                                            & MentoringSession.status.in_(rules.PLANNED))
    if excluding:
        query = query.where(MentoringSession.id != excluding)
    return [rules.Slot(s.starts_at, s.length_minutes) for s in query]


def platforms_offered(relationship: Relationship, keep: str = "") -> list[str]:
    """The platforms the mentor listed, in reference order, for a session's form (which adds "Other");
    `keep`: the platform of a session being changed, offered still if the mentor has since dropped it."""
    listed = {row.value for row in MentorOption.select(MentorOption.value).where(
        (MentorOption.mentor == relationship.mentor_id) & (MentorOption.kind == "platform"))}
    return [key for key in reference.PLATFORMS if key in listed or key == keep]


def check(relationship: Relationship, values: dict, excluding: int | None = None) -> dict[str, str]:
    slot = rules.Slot(values["starts_at"], values["length_minutes"])
    return rules.problems(slot, clock.now(), _busy(relationship, excluding), values["mode"], values["platform"],
                          values["location"], {*reference.PLATFORMS, reference.OTHER_PLATFORM})


def propose(relationship: Relationship, user: User, values: dict) -> MentoringSession:
    """A new session, waiting for the other side to confirm. values: starts_at (UTC), length_minutes,
    mode, platform, joining_link, location."""
    who = relationship.side_of(user)
    if who is None or relationship.status != RelationshipStatus.ACTIVE:
        raise SessionRefused("Sessions can only be planned in your own active mentoring")
    with database.atomic():
        # Lock out a second booking racing this one for the last session of the allowance.
        MenteeProfile.update(sessions_allowed=MenteeProfile.sessions_allowed).where(
            MenteeProfile.id == relationship.mentee_id).execute()
        state = standing(relationship)
        if state["cannot_book"]:
            raise SessionRefused(state["cannot_book"])
        problems = check(relationship, values)
        if problems:
            raise SessionRefused(next(iter(problems.values())))
        mentoring_session = MentoringSession.create(relationship=relationship, proposed_by=who, **_clean(values))
        emails.send_session_suggested(mentoring_session, relationship, who, changed=False)
        audit.record(user, "proposed_session", mentoring_session)
    return mentoring_session


def _clean(values: dict) -> dict:
    in_person = values["mode"] == "in_person"
    return {"starts_at": values["starts_at"], "length_minutes": values["length_minutes"], "mode": values["mode"],
            "platform": "" if in_person else values["platform"],
            "joining_link": "" if in_person else values.get("joining_link", "").strip(),
            "location": values["location"].strip() if in_person else ""}


def change(mentoring_session: MentoringSession, user: User, values: dict) -> MentoringSession:
    """Another time (or location): the session waits for the other side again; once they confirm,
    both calendars get the change."""
    relationship = Relationship.get_by_id(mentoring_session.relationship_id)
    who = relationship.side_of(user)
    if who is None or relationship.status != RelationshipStatus.ACTIVE:
        raise SessionRefused("This is not a session you can change")
    problems = check(relationship, values, excluding=mentoring_session.id)
    if problems:
        raise SessionRefused(next(iter(problems.values())))
    with database.atomic():
        if not MentoringSession.update(**_clean(values), status=SessionStatus.PROPOSED, proposed_by=who,
                                       proposed_at=clock.now(), confirmed_at=None,
                                       calendar_sequence=MentoringSession.calendar_sequence + 1,
                                       reminded_at=None).where(
                (MentoringSession.id == mentoring_session.id) & MentoringSession.status.in_(rules.PLANNED)).execute():
            raise SessionRefused("This session can no longer be changed")
        mentoring_session = MentoringSession.get_by_id(mentoring_session.id)
        emails.send_session_suggested(mentoring_session, relationship, who, changed=True)
        audit.record(user, "changed_session", mentoring_session)
    return mentoring_session


def confirm(mentoring_session: MentoringSession, user: User) -> MentoringSession:
    relationship = Relationship.get_by_id(mentoring_session.relationship_id)
    who = relationship.side_of(user)
    if who is None:
        raise SessionRefused("This is not a session you can confirm")
    if mentoring_session.proposed_by == who and mentoring_session.status == SessionStatus.PROPOSED:
        raise SessionRefused("The other person needs to confirm a time you suggested")
    with database.atomic():
        if not MentoringSession.update(status=SessionStatus.CONFIRMED, confirmed_at=clock.now()).where(
                (MentoringSession.id == mentoring_session.id)
                & (MentoringSession.status == SessionStatus.PROPOSED)).execute():
            current = MentoringSession.get_by_id(mentoring_session.id)
            raise SessionRefused("This session is already confirmed" if current.status == SessionStatus.CONFIRMED
                                 else "This session can no longer be confirmed")
        mentoring_session = MentoringSession.get_by_id(mentoring_session.id)
        emails.send_session_confirmed(mentoring_session, relationship)
        audit.record(user, "confirmed_session", mentoring_session)
    return mentoring_session


def cancel(mentoring_session: MentoringSession, user: User) -> MentoringSession:
    """Either side cancels a session still to come; the other side and the admin inbox are told
    (who and when and how much notice: no reasons)."""
    relationship = Relationship.get_by_id(mentoring_session.relationship_id)
    who = relationship.side_of(user)
    if who is None:
        raise SessionRefused("This is not a session you can cancel")
    now = clock.now()
    with database.atomic():
        was = MentoringSession.get_by_id(mentoring_session.id)
        if not MentoringSession.update(status=SessionStatus.CANCELLED, cancelled_at=now, cancelled_by=who,
                                       calendar_sequence=MentoringSession.calendar_sequence + 1).where(
                (MentoringSession.id == mentoring_session.id) & MentoringSession.status.in_(rules.PLANNED)).execute():
            raise SessionRefused("Only a session still to come can be cancelled"
                                 if was.status in (SessionStatus.HELD, SessionStatus.NOT_HELD)
                                 else "This session is already cancelled")
        mentoring_session = MentoringSession.get_by_id(mentoring_session.id)
        notice = rules.notice_hours(mentoring_session.starts_at, now)
        emails.send_session_cancelled(mentoring_session, relationship, user,
                                      was_confirmed=was.status == SessionStatus.CONFIRMED)
        inbox.raise_item("cancellation", name=user.name, email=user.email, user=user, details={
            "cancelled_by": who, "session_was": formatting.date_time(mentoring_session.starts_at),
            "notice_hours": notice, "relationship": relationship.id})
        audit.record(user, "cancelled_session", mentoring_session, detail=f"{notice} hours' notice")
    return mentoring_session


def record_outcome(mentoring_session: MentoringSession, user: User, held: bool) -> MentoringSession:
    """Whether a session that has begun took place: held ones count towards the allowance."""
    relationship = Relationship.get_by_id(mentoring_session.relationship_id)
    who = relationship.side_of(user)
    if who is None:
        raise SessionRefused("This is not a session you can answer for")
    if mentoring_session.starts_at > clock.now():
        raise SessionRefused("You can say whether a session took place once it has begun")
    with database.atomic():
        outcome = SessionStatus.HELD if held else SessionStatus.NOT_HELD
        if not MentoringSession.update(status=outcome, outcome_by=who).where(
                (MentoringSession.id == mentoring_session.id)
                & MentoringSession.status.in_([SessionStatus.CONFIRMED, SessionStatus.HELD,
                                               SessionStatus.NOT_HELD])).execute():
            raise SessionRefused("Only a confirmed session can be marked as held")
        audit.record(user, "session_held" if held else "session_not_held", mentoring_session)
    return MentoringSession.get_by_id(mentoring_session.id)


def _tell_both_once(mentoring_session: MentoringSession, marked, now: datetime, send) -> bool:
    """Mark the session (the `marked` column) and email both people (send), in one transaction: a sweep
    that finds it marked already, here or in another worker, sends nothing."""
    with database.atomic():
        if not MentoringSession.update({marked: now}).where(
                (MentoringSession.id == mentoring_session.id) & marked.is_null()).execute():
            return False
        send(mentoring_session, Relationship.get_by_id(mentoring_session.relationship_id))
    return True


def remind_due(now: datetime, limit: int = 1000) -> int:
    """A reminder to both, SESSION_REMINDER_HOURS (a day) before each confirmed session."""
    ahead = now + timedelta(hours=current_app.config["SESSION_REMINDER_HOURS"])
    due = MentoringSession.select().where((MentoringSession.status == SessionStatus.CONFIRMED)
                                          & (MentoringSession.starts_at > now)
                                          & (MentoringSession.starts_at <= ahead)
                                          & MentoringSession.reminded_at.is_null()).limit(limit)
    return sum(_tell_both_once(mentoring_session, MentoringSession.reminded_at, now, emails.send_session_reminder)
               for mentoring_session in list(due))


def ask_outcomes(now: datetime, limit: int = 1000) -> int:
    """Once a confirmed session has ended, ask both whether it took place and whether to plan another."""
    due = MentoringSession.select().where((MentoringSession.status == SessionStatus.CONFIRMED)
                                          & (MentoringSession.starts_at <= now)
                                          & MentoringSession.outcome_asked_at.is_null()).limit(limit)
    return sum(_tell_both_once(mentoring_session, MentoringSession.outcome_asked_at, now, emails.send_outcome_question)
               for mentoring_session in list(due)
               if mentoring_session.starts_at + timedelta(minutes=mentoring_session.length_minutes) <= now)
