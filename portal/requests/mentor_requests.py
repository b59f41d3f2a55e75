"""The life of a MentorRequest: made, answered (accepted, which opens the relationship, or declined),
cancelled by the mentee, closed when the mentor goes away, expired at its deadline, and the reminders
before it. Its states and who may move them are rules/requests.py.

Every move of a request is a conditional update from "pending", so of two people acting at
once (a mentor clicking twice, or in the email and the portal) exactly one succeeds; emails
carry dedupe keys, so nothing is sent twice."""
from datetime import datetime

from flask import current_app
from peewee import IntegrityError, fn

from portal.core import audit, clock, links
from portal.core.db import database
from portal.core.refused import Refused
from portal.models import (MenteeProfile, MentorProfile, MentorRequest, Relationship, User, WaitlistEntry, away_on,
                           mentor_state)
from portal.requests import emails, waitlist
from portal.rules import availability
from portal.rules import mentoring as mentoring_rules
from portal.rules import requests as rules
from portal.rules import workdays
from portal.rules.moves import MoveRefused


class RequestRefused(Refused):
    """Why a request cannot be made or moved, in words for the person trying."""


def waiting_request(mentee: MenteeProfile) -> MentorRequest | None:
    return MentorRequest.get_or_none((MentorRequest.mentee == mentee) & (MentorRequest.status == rules.PENDING))


def active_relationship(mentee: MenteeProfile) -> Relationship | None:
    return Relationship.get_or_none((Relationship.mentee == mentee) & (Relationship.status == mentoring_rules.ACTIVE))


def why_cannot_request(user: User, mentor: MentorProfile) -> str | None:
    mentee = user.mentee
    holds_offer = WaitlistEntry.select().where(
        (WaitlistEntry.mentee == mentee) & (WaitlistEntry.mentor == mentor)
        & (WaitlistEntry.status == WaitlistEntry.OFFERED)).exists()
    state = mentor_state(mentor, clock.today_london())
    return rules.why_cannot_request(
        is_self=mentor.user_id == user.id, confirmed=bool(user.email_confirmed_at),
        deactivated=bool(mentee.deactivated_at), has_waiting_request=waiting_request(mentee) is not None,
        has_active_relationship=active_relationship(mentee) is not None,
        mentor_state=availability.OPEN if holds_offer and state == availability.FULL else state)


def make_request(user: User, mentor: MentorProfile, note: str) -> MentorRequest:
    now = clock.now()
    problem = rules.check_note(note) or why_cannot_request(user, mentor)
    if problem:
        raise RequestRefused(problem)
    mentee = user.mentee
    config = current_app.config
    with database.atomic():
        # The mentee's row first, held until the request is in: a deactivation running at the same
        # time has either finished (so this refuses) or waits, then sees the request and leaves them be.
        if not MenteeProfile.update(first_requested_at=fn.COALESCE(MenteeProfile.first_requested_at, now)).where(
                (MenteeProfile.id == mentee.id) & MenteeProfile.deactivated_at.is_null()).execute():
            raise RequestRefused(rules.DEACTIVATED)
        # Checked again inside the transaction: the place is taken by a conditional update, so of
        # two mentees asking for a mentor's last place, one gets it.
        if waiting_request(mentee) or active_relationship(mentee):
            raise RequestRefused("You are already waiting for a mentor's answer: you can ask one mentor at a time")
        if not waitlist.take_offer(mentee, mentor) and not waitlist.take_place(mentor.id):
            raise RequestRefused("Someone else has just taken this mentor's last place: you can join their "
                                 "waiting list")
        deadline = workdays.deadline(now, config["ANSWER_WORKING_DAYS"])
        reminders = [t for t in workdays.reminder_times(deadline, config["REMINDER_WORKING_DAYS_BEFORE"],
                                                        config["REMINDER_HOUR"]) if t > now]
        try:
            with database.atomic():
                mentor_request = MentorRequest.create(mentee=mentee, mentor=mentor, note=note.strip(), created_at=now,
                                               deadline=deadline,
                                               next_reminder_at=reminders[0] if reminders else None)
        except IntegrityError:
            # Another request of theirs got in first (two tabs, say): one waiting request at a time.
            raise RequestRefused("You are already waiting for a mentor's answer: you can ask one mentor at a "
                                 "time") from None
        emails.send_request(mentor_request, now)
        audit.record(user, "requested_mentor", mentor_request)
    return mentor_request


def decide(mentor_request: MentorRequest, action: str, by: User, role: str, message: str = "", link=None) -> MentorRequest:
    """Accept or decline a waiting request. Raises RequestRefused saying what happened when it is
    no longer waiting (answered already, cancelled, expired)."""
    now = clock.now()
    problem = rules.check_decline_message(message)  # a message goes with either answer
    if problem:
        raise RequestRefused(problem)
    current = MentorRequest.get_by_id(mentor_request.id)
    try:
        move = rules.request_move(current.status, action, role)
    except MoveRefused as refused:
        raise RequestRefused(_what_happened(current, str(refused))) from None
    with database.atomic():
        moved = MentorRequest.update(status=move.after, decided_at=now, decided_by=role, decided_by_user=by,
                                     decline_message=(message or "").strip()).where(
            (MentorRequest.id == mentor_request.id) & (MentorRequest.status == rules.PENDING)
            & (MentorRequest.deadline > now)).execute()
        if not moved:
            raise RequestRefused(_what_happened(MentorRequest.get_by_id(mentor_request.id)))
        if link is not None:
            links.spend(link)
        mentor_request = MentorRequest.get_by_id(mentor_request.id)
        if action == "accept":
            _start_relationship(mentor_request, by, now)
        else:
            _end_unmatched(mentor_request, now, "request_declined", by)
    return mentor_request


def _what_happened(mentor_request: MentorRequest, fallback: str = "") -> str:
    if mentor_request.status == rules.PENDING and mentor_request.deadline <= clock.now():
        return "This request has run out of time"
    if mentor_request.status in rules.FINISHED:
        return f"This request has already been {rules.FINISHED[mentor_request.status]}"
    return fallback or "This request can no longer be answered"


def _start_relationship(mentor_request: MentorRequest, by: User, now: datetime) -> Relationship:
    relationship = Relationship.create(mentor_request=mentor_request, mentee=mentor_request.mentee_id,
                                       mentor=mentor_request.mentor_id,
                                       opened_at=now)
    MenteeProfile.update(matched_at=now).where(
        (MenteeProfile.id == mentor_request.mentee_id) & MenteeProfile.matched_at.is_null()).execute()
    # Matched now: any other waiting lists are left, and places held there go to the next in line.
    waitlist.leave_all(mentor_request.mentee_id, by)
    emails.send_accepted(mentor_request, relationship)
    audit.record(by, "accepted_request", mentor_request)
    return relationship


def _end_unmatched(mentor_request: MentorRequest, now: datetime, action: str, by: User | None,
                   mentor_leaving: bool = False) -> None:
    """A request that ended without a match: the place goes back (perhaps to the waiting list),
    the mentee's time spent waiting does not count towards deactivation, and the mentee is told
    (without the mentor's name when the mentor's data is being erased)."""
    waitlist.release_place(mentor_request.mentor_id, now)
    mentee = MenteeProfile.get_by_id(mentor_request.mentee_id)
    # The time waited does not count, and any warnings start again for the new date.
    MenteeProfile.update(period_started_at=mentee.period_started_at + (now - mentor_request.created_at),
                         deactivation_warnings=0).where(MenteeProfile.id == mentee.id).execute()
    emails.send_unmatched(mentor_request, action, mentor_leaving)
    audit.record(by, action, mentor_request)


def cancel(mentor_request: MentorRequest, user: User, leaving: bool = False) -> None:
    """The mentee takes back their request; `leaving`: because their data is being erased, so the
    mentor is not told their name."""
    now = clock.now()
    try:
        rules.request_move(MentorRequest.get_by_id(mentor_request.id).status, "cancel", rules.MENTEE)
    except MoveRefused:
        raise RequestRefused(_what_happened(MentorRequest.get_by_id(mentor_request.id))) from None
    with database.atomic():
        if not MentorRequest.update(status=rules.CANCELLED, decided_at=now, decided_by=rules.MENTEE,
                                    decided_by_user=user).where(
                (MentorRequest.id == mentor_request.id) & (MentorRequest.status == rules.PENDING)).execute():
            raise RequestRefused(_what_happened(MentorRequest.get_by_id(mentor_request.id)))
        _end_unmatched(mentor_request, now, "request_cancelled", user)
        emails.send_cancelled(mentor_request, mentee_leaving=leaving)


def close_requests_if_away(mentor_id: int, now: datetime | None = None) -> int:
    """After a mentor's availability changes: close the requests they cannot answer now, those
    waiting while they are away, and those whose deadline falls in leave they have booked."""
    now = now or clock.now()
    mentor = MentorProfile.get_by_id(mentor_id)
    if mentor_state(mentor, clock.to_london(now).date()) in availability.AWAY:
        return close_requests_to(mentor, now)
    if mentor.leave_from:
        return close_requests_to(mentor, now, due_on_or_after=mentor.leave_from)
    return 0


def close_requests_to(mentor: MentorProfile, now: datetime | None = None, due_on_or_after=None,
                      leaving: bool = False) -> int:
    """Close requests waiting for a mentor who is away (or whose leave begins before their deadline,
    or who is `leaving`: their data is being erased)."""
    now = now or clock.now()
    closed = 0
    waiting = MentorRequest.select().where((MentorRequest.mentor == mentor.id)
                                           & (MentorRequest.status == rules.PENDING))
    for mentor_request in waiting:
        if due_on_or_after and clock.to_london(mentor_request.deadline).date() < due_on_or_after:
            continue
        with database.atomic():
            if MentorRequest.update(status=rules.CLOSED, decided_at=now, decided_by=rules.SYSTEM).where(
                    (MentorRequest.id == mentor_request.id) & (MentorRequest.status == rules.PENDING)).execute():
                _end_unmatched(mentor_request, now, "request_closed", None, mentor_leaving=leaving)
                closed += 1
    return closed


def expire_due(now: datetime, limit: int = 1000) -> int:
    """Requests past their deadline are rejected on the admin team's behalf."""
    due = list(MentorRequest.select().where((MentorRequest.status == rules.PENDING)
                                            & (MentorRequest.deadline <= now)).order_by(MentorRequest.deadline)
               .limit(limit))
    expired = 0
    for mentor_request in due:
        with database.atomic():
            if not MentorRequest.update(status=rules.EXPIRED, decided_at=now, decided_by=rules.SYSTEM).where(
                    (MentorRequest.id == mentor_request.id) & (MentorRequest.status == rules.PENDING)).execute():
                continue
            _end_unmatched(mentor_request, now, "request_expired", None)
            emails.send_expired_to_mentor(mentor_request)
            expired += 1
    return expired


def remind_due(now: datetime, limit: int = 1000) -> int:
    config = current_app.config
    due = list(MentorRequest.select().where((MentorRequest.status == rules.PENDING)
                                            & (MentorRequest.next_reminder_at <= now)).limit(limit))
    sent = 0
    for mentor_request in due:
        times = [t for t in workdays.reminder_times(mentor_request.deadline, config["REMINDER_WORKING_DAYS_BEFORE"],
                                                    config["REMINDER_HOUR"]) if t > now]
        with database.atomic():
            if not MentorRequest.update(reminders_sent=MentorRequest.reminders_sent + 1,
                                        next_reminder_at=times[0] if times else None).where(
                    (MentorRequest.id == mentor_request.id) & (MentorRequest.reminders_sent == mentor_request.reminders_sent)
                    & (MentorRequest.status == rules.PENDING)).execute():
                continue
            last_day = workdays.working_days_left(now, mentor_request.deadline) == 0
            emails.send_reminder(mentor_request, now, last_day, mentor_request.reminders_sent + 1)
            audit.record(None, "reminded_mentor", mentor_request)
            sent += 1
    return sent


def close_for_away_mentors(now: datetime, limit: int = 200) -> int:
    """Requests waiting for a mentor who has since gone on leave, paused or left the register."""
    today = clock.to_london(now).date()
    mentor_ids = {r.mentor_id for r in MentorRequest.select(MentorRequest.mentor).join(MentorProfile).join(User)
                  .where((MentorRequest.status == rules.PENDING) & away_on(today)).limit(limit)}
    return sum(close_requests_to(MentorProfile.get_by_id(mentor_id), now) for mentor_id in mentor_ids)
