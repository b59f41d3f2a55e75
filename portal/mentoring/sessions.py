"""Mentoring sessions: planning with calendar invitations, changing and cancelling them, reminders,
whether each took place, and where the mentee stands in their allowance.

What happens in a session is never recorded: only when, how long, how and where, and whether
it took place (SCHEME.md, "Confidentiality")."""
from datetime import datetime, timedelta

from flask import current_app

from portal.core import audit, calendar, clock, inbox, links, mail, reference
from portal.core.db import database
from portal.core.refused import Refused
from portal.core.roles import MENTEE
from portal.models import MenteeProfile, MentoringSession, Relationship, User
from portal.rules import allowance
from portal.rules import mentoring as mentoring_rules
from portal.rules import sessions as rules


class SessionRefused(Refused):
    """Why something cannot be done with a session, in words for the person trying."""


def held_count(mentee_id: int) -> int:
    """Sessions held in all the mentee's relationships: they stay counted after a withdrawal."""
    return (MentoringSession.select().join(Relationship)
            .where((Relationship.mentee == mentee_id) & (MentoringSession.status == rules.HELD)).count())


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


def check(relationship: Relationship, values: dict, excluding: int | None = None) -> dict[str, str]:
    slot = rules.Slot(values["starts_at"], values["length_minutes"])
    return rules.problems(slot, clock.now(), _busy(relationship, excluding), values["mode"], values["platform"],
                          values["place"], set(reference.PLATFORMS))


def propose(relationship: Relationship, user: User, values: dict) -> MentoringSession:
    """A new session, waiting for the other side to confirm. values: starts_at (UTC), length_minutes,
    mode, platform, joining_link, place."""
    who = relationship.side_of(user)
    if who is None or relationship.status != mentoring_rules.ACTIVE:
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
        session = MentoringSession.create(relationship=relationship, proposed_by=who, **_clean(values))
        _tell_other(session, relationship, who, "session_proposed", "A session has been suggested")
        audit.record(user, "proposed_session", session)
    return session


def _clean(values: dict) -> dict:
    in_person = values["mode"] == "in_person"
    return {"starts_at": values["starts_at"], "length_minutes": values["length_minutes"], "mode": values["mode"],
            "platform": "" if in_person else values["platform"],
            "joining_link": "" if in_person else values.get("joining_link", "").strip(),
            "place": values["place"].strip() if in_person else ""}


def change(session: MentoringSession, user: User, values: dict) -> MentoringSession:
    """Another time (or place): the session waits for the other side again; once they confirm,
    both calendars get the change."""
    relationship = Relationship.get_by_id(session.relationship_id)
    who = relationship.side_of(user)
    if who is None or relationship.status != mentoring_rules.ACTIVE:
        raise SessionRefused("This is not a session you can change")
    problems = check(relationship, values, excluding=session.id)
    if problems:
        raise SessionRefused(next(iter(problems.values())))
    with database.atomic():
        if not MentoringSession.update(**_clean(values), status=rules.PROPOSED, proposed_by=who,
                                       proposed_at=clock.now(), confirmed_at=None,
                                       calendar_sequence=MentoringSession.calendar_sequence + 1,
                                       reminded_at=None).where(
                (MentoringSession.id == session.id) & MentoringSession.status.in_(rules.PLANNED)).execute():
            raise SessionRefused("This session can no longer be changed")
        session = MentoringSession.get_by_id(session.id)
        _tell_other(session, relationship, who, "session_proposed", "A new time has been suggested for a session")
        audit.record(user, "changed_session", session)
    return session


def confirm(session: MentoringSession, user: User) -> MentoringSession:
    relationship = Relationship.get_by_id(session.relationship_id)
    who = relationship.side_of(user)
    if who is None:
        raise SessionRefused("This is not a session you can confirm")
    if session.proposed_by == who and session.status == rules.PROPOSED:
        raise SessionRefused("The other person needs to confirm a time you suggested")
    with database.atomic():
        if not MentoringSession.update(status=rules.CONFIRMED, confirmed_at=clock.now()).where(
                (MentoringSession.id == session.id) & (MentoringSession.status == rules.PROPOSED)).execute():
            current = MentoringSession.get_by_id(session.id)
            raise SessionRefused("This session is already confirmed" if current.status == rules.CONFIRMED
                                 else "This session can no longer be confirmed")
        session = MentoringSession.get_by_id(session.id)
        mentee_user, mentor_user = relationship.mentee_user, relationship.mentor_user
        for person, other in ((mentee_user, mentor_user), (mentor_user, mentee_user)):
            mail.send(person.email, "session_confirmed", "Your mentoring session is confirmed", user=person,
                      name=person.first_name, other_name=other.first_name, session=session,
                      platform=reference.PLATFORMS.get(session.platform, ""),
                      url=links.external_url("mentoring.relationship", relationship_id=relationship.id),
                      attachments=[calendar.attachment(session, other_name=other.first_name)],
                      dedupe_key=f"session-confirmed:{session.id}:{session.calendar_sequence}:{person.id}")
        audit.record(user, "confirmed_session", session)
    return session


def cancel(session: MentoringSession, user: User) -> MentoringSession:
    """Either side cancels a session still to come; the other side and the admin inbox are told
    (who and when and how much notice: no reasons)."""
    relationship = Relationship.get_by_id(session.relationship_id)
    who = relationship.side_of(user)
    if who is None:
        raise SessionRefused("This is not a session you can cancel")
    now = clock.now()
    with database.atomic():
        was = MentoringSession.get_by_id(session.id)
        if not MentoringSession.update(status=rules.CANCELLED, cancelled_at=now, cancelled_by=who,
                                       calendar_sequence=MentoringSession.calendar_sequence + 1).where(
                (MentoringSession.id == session.id) & MentoringSession.status.in_(rules.PLANNED)).execute():
            raise SessionRefused("Only a session still to come can be cancelled"
                                 if was.status in (rules.HELD, rules.NOT_HELD) else "This session is already cancelled")
        session = MentoringSession.get_by_id(session.id)
        mentee_user, mentor_user = relationship.mentee_user, relationship.mentor_user
        other = mentor_user if who == MENTEE else mentee_user
        notice = rules.notice_hours(session.starts_at, now)
        attachments = ([calendar.attachment(session, other_name=user.first_name, method="CANCEL")]
                       if was.status == rules.CONFIRMED else [])
        mail.send(other.email, "session_cancelled", f"{user.first_name} has cancelled a session", user=other,
                  name=other.first_name, other_name=user.first_name, session=session, attachments=attachments,
                  url=links.external_url("mentoring.relationship", relationship_id=relationship.id),
                  dedupe_key=f"session-cancelled:{session.id}")
        if was.status == rules.CONFIRMED:
            mail.send(user.email, "session_cancelled_own", "Your cancelled session", user=user,
                      name=user.first_name, session=session, dedupe_key=f"session-cancelled-own:{session.id}",
                      attachments=[calendar.attachment(session, other_name=other.first_name,
                                                               method="CANCEL")])
        inbox.raise_item("cancellation", name=user.name, email=user.email, user=user, details={
            "cancelled_by": who, "session_was": clock.to_london(session.starts_at).strftime("%d %B %Y %H:%M"),
            "notice_hours": notice, "relationship": relationship.id})
        audit.record(user, "cancelled_session", session, detail=f"{notice} hours' notice")
    return session


def record_outcome(session: MentoringSession, user: User, held: bool) -> MentoringSession:
    """Whether a session that has begun took place: held ones count towards the allowance."""
    relationship = Relationship.get_by_id(session.relationship_id)
    who = relationship.side_of(user)
    if who is None:
        raise SessionRefused("This is not a session you can answer for")
    if session.starts_at > clock.now():
        raise SessionRefused("You can say whether a session took place once it has begun")
    with database.atomic():
        if not MentoringSession.update(status=rules.HELD if held else rules.NOT_HELD, outcome_by=who).where(
                (MentoringSession.id == session.id)
                & MentoringSession.status.in_([rules.CONFIRMED, rules.HELD, rules.NOT_HELD])).execute():
            raise SessionRefused("Only a confirmed session can be marked as held")
        audit.record(user, "session_held" if held else "session_not_held", session)
    return MentoringSession.get_by_id(session.id)


def cancelled_invites(cancelled: list[MentoringSession], other_name: str) -> list[dict]:
    return [calendar.attachment(session, other_name=other_name, method="CANCEL")
            for session in cancelled]


def _tell_other(session: MentoringSession, relationship: Relationship, who: str, template: str, subject: str):
    mentee_user, mentor_user = relationship.mentee_user, relationship.mentor_user
    proposer, other = (mentee_user, mentor_user) if who == MENTEE else (mentor_user, mentee_user)
    mail.send(other.email, template, subject, user=other, name=other.first_name, other_name=proposer.first_name,
              session=session, platform=reference.PLATFORMS.get(session.platform, ""),
              url=links.external_url("mentoring.relationship", relationship_id=relationship.id),
              dedupe_key=f"{template}:{session.id}:{session.calendar_sequence}")


def _tell_both_once(session: MentoringSession, marked, now: datetime, template: str, subject: str,
                    dedupe: str, **values) -> bool:
    """Mark the session (the `marked` column) and email both people, in one transaction: a sweep that
    finds it marked already, here or in another worker, sends nothing."""
    with database.atomic():
        if not MentoringSession.update({marked: now}).where(
                (MentoringSession.id == session.id) & marked.is_null()).execute():
            return False
        relationship = Relationship.get_by_id(session.relationship_id)
        mentee_user, mentor_user = relationship.mentee_user, relationship.mentor_user
        for person, other in ((mentee_user, mentor_user), (mentor_user, mentee_user)):
            mail.send(person.email, template, subject, user=person, name=person.first_name,
                      other_name=other.first_name, session=session,
                      url=links.external_url("mentoring.relationship", relationship_id=relationship.id),
                      dedupe_key=f"{dedupe}:{person.id}", **values)
    return True


def remind_due(now: datetime, limit: int = 1000) -> int:
    """A reminder to both, a day (CANCEL_NOTICE_HOURS) before each confirmed session."""
    ahead = now + timedelta(hours=current_app.config["SESSION_REMINDER_HOURS"])
    due = MentoringSession.select().where((MentoringSession.status == rules.CONFIRMED)
                                          & (MentoringSession.starts_at > now)
                                          & (MentoringSession.starts_at <= ahead)
                                          & MentoringSession.reminded_at.is_null()).limit(limit)
    return sum(_tell_both_once(session, MentoringSession.reminded_at, now, "session_reminder",
                               "Your mentoring session is tomorrow",
                               f"session-reminder:{session.id}:{session.calendar_sequence}",
                               platform=reference.PLATFORMS.get(session.platform, ""))
               for session in list(due))


def ask_outcomes(now: datetime, limit: int = 1000) -> int:
    """Once a confirmed session has ended, ask both whether it took place and whether to plan another."""
    due = MentoringSession.select().where((MentoringSession.status == rules.CONFIRMED)
                                          & (MentoringSession.starts_at <= now)
                                          & MentoringSession.outcome_asked_at.is_null()).limit(limit)
    return sum(_tell_both_once(session, MentoringSession.outcome_asked_at, now, "session_outcome",
                               "Did your session take place?", f"session-outcome:{session.id}")
               for session in list(due)
               if session.starts_at + timedelta(minutes=session.length_minutes) <= now)
