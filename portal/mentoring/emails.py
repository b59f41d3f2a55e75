"""The emails about mentoring and its sessions, one function each: who it goes to, its subject, what
its words (templates/emails/<template>.md) are given, its calendar attachments and its dedupe key."""
from flask import current_app

from portal.core import calendar, clock, links, mail, reference
from portal.core.roles import MENTEE
from portal.models import MentoringSession, Relationship, User
from portal.rules.sessions import short_notice


def _page(relationship: Relationship) -> str:
    return links.external_url("mentoring.relationship", relationship_id=relationship.id)


def _both(relationship: Relationship):
    """(person, the other one), for each of the two people in the mentoring."""
    mentee_user, mentor_user = relationship.mentee_user, relationship.mentor_user
    return ((mentee_user, mentor_user), (mentor_user, mentee_user))


def _soon(cancelled: list[MentoringSession]) -> bool:
    """A cancellation within the usual notice is time-critical: it never waits for a daily summary."""
    now, hours = clock.now(), current_app.config["CANCEL_NOTICE_HOURS"]
    return any(short_notice(mentoring_session.starts_at, now, hours) for mentoring_session in cancelled)


def _cancelling(cancelled: list[MentoringSession], other_name: str) -> list[dict]:
    """The calendar entries that withdraw sessions still to come."""
    return [calendar.attachment(mentoring_session, other_name=other_name, method="CANCEL")
            for mentoring_session in cancelled]


def send_session_suggested(mentoring_session: MentoringSession, relationship: Relationship, who: str,
                           changed: bool) -> None:
    """The other side is asked to confirm a time (a new one, or a change)."""
    proposer, other = _both(relationship)[0 if who == MENTEE else 1]
    mail.send(other.email, "session_proposed", "A new time has been suggested for a session" if changed
              else "A session has been suggested", user=other, name=other.first_name,
              other_name=proposer.first_name, mentoring_session=mentoring_session,
              platform=reference.PLATFORMS.get(mentoring_session.platform, ""), url=_page(relationship),
              dedupe_key=f"session_proposed:{mentoring_session.id}:{mentoring_session.calendar_sequence}")


def send_session_confirmed(mentoring_session: MentoringSession, relationship: Relationship) -> None:
    for person, other in _both(relationship):
        mail.send(person.email, "session_confirmed", "Your mentoring session is confirmed", user=person,
                  name=person.first_name, other_name=other.first_name, mentoring_session=mentoring_session,
                  platform=reference.PLATFORMS.get(mentoring_session.platform, ""), url=_page(relationship),
                  attachments=[calendar.attachment(mentoring_session, other_name=other.first_name)],
                  dedupe_key=f"session-confirmed:{mentoring_session.id}:{mentoring_session.calendar_sequence}:"
                             f"{person.id}")


def send_session_cancelled(mentoring_session: MentoringSession, relationship: Relationship, by: User,
                           was_confirmed: bool) -> None:
    """The other side is told; a confirmed session leaves both calendars (the canceller's by an email of
    its own)."""
    mentee_user, mentor_user = relationship.mentee_user, relationship.mentor_user
    other = mentor_user if by.id == mentee_user.id else mentee_user
    urgent = _soon([mentoring_session])
    mail.send(other.email, "session_cancelled", f"{by.first_name} has cancelled a session", user=other,
              name=other.first_name, other_name=by.first_name, mentoring_session=mentoring_session,
              attachments=_cancelling([mentoring_session], by.first_name) if was_confirmed else [],
              url=_page(relationship), urgent=urgent, dedupe_key=f"session-cancelled:{mentoring_session.id}")
    if was_confirmed:
        mail.send(by.email, "session_cancelled_own", "Your cancelled session", user=by, name=by.first_name,
                  mentoring_session=mentoring_session, attachments=_cancelling([mentoring_session], other.first_name),
                  urgent=urgent, dedupe_key=f"session-cancelled-own:{mentoring_session.id}")


def send_session_reminder(mentoring_session: MentoringSession, relationship: Relationship) -> None:
    for person, other in _both(relationship):
        mail.send(person.email, "session_reminder", "Your mentoring session is tomorrow", user=person,
                  name=person.first_name, other_name=other.first_name, mentoring_session=mentoring_session,
                  platform=reference.PLATFORMS.get(mentoring_session.platform, ""), url=_page(relationship),
                  dedupe_key=f"session-reminder:{mentoring_session.id}:{mentoring_session.calendar_sequence}:"
                             f"{person.id}")


def send_outcome_question(mentoring_session: MentoringSession, relationship: Relationship) -> None:
    for person, other in _both(relationship):
        mail.send(person.email, "session_outcome", "Did your session take place?", user=person,
                  name=person.first_name, other_name=other.first_name, mentoring_session=mentoring_session,
                  url=_page(relationship), dedupe_key=f"session-outcome:{mentoring_session.id}:{person.id}")


def send_sessions_granted(relationship: Relationship, extra: int, allowed: int) -> None:
    mentee_user = relationship.mentee_user
    mail.send(mentee_user.email, "sessions_granted", f"{extra} more sessions agreed", user=mentee_user,
              name=mentee_user.first_name, extra=extra, allowed=allowed, url=_page(relationship),
              dedupe_key=f"granted:{relationship.id}:{allowed}")


def send_close_suggested(relationship: Relationship, by: User, who: str) -> None:
    mentee_user, mentor_user = relationship.mentee_user, relationship.mentor_user
    other = mentor_user if who == MENTEE else mentee_user
    mail.send(other.email, "close_suggested", f"{by.first_name} suggests ending your mentoring", user=other,
              name=other.first_name, other_name=by.first_name, url=_page(relationship),
              dedupe_key=f"close-suggested:{relationship.id}:{who}")


def send_closed(relationship: Relationship, cancelled: list[MentoringSession]) -> None:
    for person, other in _both(relationship):
        mail.send(person.email, "relationship_closed", "Your mentoring has come to an end", user=person,
                  name=person.first_name, other_name=other.first_name,
                  is_mentee=person.id == relationship.mentee_user.id, cancelled=cancelled,
                  attachments=_cancelling(cancelled, other.first_name), urgent=_soon(cancelled),
                  dedupe_key=f"closed:{relationship.id}:{person.id}")


def send_withdrawn(relationship: Relationship, cancelled: list[MentoringSession], leaving: User | None) -> None:
    """Both are told the mentoring has ended; a side whose data is being erased (`leaving`) is not named."""
    for person, other in _both(relationship):
        is_mentee = person.id == relationship.mentee_user.id
        left = leaving is not None and other.id == leaving.id
        other_name = ("your mentor" if is_mentee else "your mentee") if left else other.first_name
        mail.send(person.email, "relationship_withdrawn", "Your mentoring has ended", user=person,
                  name=person.first_name, other_name=other_name, left=left, is_mentee=is_mentee,
                  url=links.external_url("directory.directory"), cancelled=cancelled,
                  attachments=_cancelling(cancelled, other_name), urgent=_soon(cancelled),
                  dedupe_key=f"withdrawn:{relationship.id}:{person.id}")


def send_window_nudge(relationship: Relationship, standing: dict) -> None:
    for person, other in _both(relationship):
        mail.send(person.email, "window_nudge", "Your mentoring: the last month of the advised window",
                  user=person, name=person.first_name, other_name=other.first_name, state=standing,
                  window=current_app.config["SESSION_WINDOW_MONTHS"], url=_page(relationship),
                  dedupe_key=f"window-nudge:{relationship.id}:{person.id}")
