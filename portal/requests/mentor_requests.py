"""Requests for a mentor, their answers and deadlines, the relationships they start, withdrawals,
and deactivating mentees who have not found a mentor.

Every move of a request is a conditional update from "pending", so of two people acting at
once (a mentor clicking twice, or in the email and the portal) exactly one succeeds; emails
carry dedupe keys, so nothing is sent twice."""
from datetime import datetime

from flask import current_app
from peewee import IntegrityError, fn

from portal.core import audit, clock, links, mail
from portal.core.db import database
from portal.core.refused import Refused
from portal.models import (MenteeProfile, MentorProfile, MentorRequest, Relationship, User, WaitlistEntry, away_on,
                           mentor_state)
from portal.requests import waitlist
from portal.rules import availability
from portal.rules import mentoring as mentoring_rules
from portal.rules import requests as rules
from portal.rules import workdays
from portal.rules.moves import MoveRefused

DECISION = "request_decision"


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
                request = MentorRequest.create(mentee=mentee, mentor=mentor, note=note.strip(), created_at=now,
                                               deadline=deadline,
                                               next_reminder_at=reminders[0] if reminders else None)
        except IntegrityError:
            # Another request of theirs got in first (two tabs, say): one waiting request at a time.
            raise RequestRefused("You are already waiting for a mentor's answer: you can ask one mentor at a "
                                 "time") from None
        mentor_user = User.get_by_id(mentor.user_id)
        token = links.issue(DECISION, mentor_user, deadline - now, target_id=request.id, replace=False)
        mail.send(mentor_user.email, "request_new", f"{user.first_name} would like you as their mentor",
                  user=mentor_user, **_request_context(request, mentee, user, mentor_user),
                  url=links.external_url("requests.respond", token=token),
                  dedupe_key=f"request-new:{request.id}")
        audit.record(user, "requested_mentor", request)
    return request


def _request_context(request: MentorRequest, mentee: MenteeProfile, mentee_user: User, mentor_user: User) -> dict:
    return {"name": mentor_user.first_name, "mentee_name": mentee_user.first_name, "grade": mentee.grade,
            "specialty": mentee.specialty or mentee.school, "note": request.note, "deadline": request.deadline}


def decide(request: MentorRequest, action: str, by: User, role: str, message: str = "", link=None) -> MentorRequest:
    """Accept or decline a waiting request. Raises RequestRefused saying what happened when it is
    no longer waiting (answered already, cancelled, expired)."""
    now = clock.now()
    problem = rules.check_decline_message(message)  # a message goes with either answer
    if problem:
        raise RequestRefused(problem)
    current = MentorRequest.get_by_id(request.id)
    try:
        move = rules.request_move(current.status, action, role)
    except MoveRefused as refused:
        raise RequestRefused(_what_happened(current, str(refused))) from None
    with database.atomic():
        moved = MentorRequest.update(status=move.after, decided_at=now, decided_by=role, decided_by_user=by,
                                     decline_message=(message or "").strip()).where(
            (MentorRequest.id == request.id) & (MentorRequest.status == rules.PENDING)
            & (MentorRequest.deadline > now)).execute()
        if not moved:
            raise RequestRefused(_what_happened(MentorRequest.get_by_id(request.id)))
        if link is not None:
            links.spend(link)
        request = MentorRequest.get_by_id(request.id)
        if action == "accept":
            _start_relationship(request, by, now)
        else:
            _end_unmatched(request, now, "request_declined", by)
    return request


def _what_happened(request: MentorRequest, fallback: str = "") -> str:
    if request.status == rules.PENDING and request.deadline <= clock.now():
        return "This request has run out of time"
    if request.status in rules.FINISHED:
        return f"This request has already been {rules.FINISHED[request.status]}"
    return fallback or "This request can no longer be answered"


def _start_relationship(request: MentorRequest, by: User, now: datetime) -> Relationship:
    relationship = Relationship.create(request=request, mentee=request.mentee_id, mentor=request.mentor_id,
                                       opened_at=now)
    MenteeProfile.update(matched_at=now).where(
        (MenteeProfile.id == request.mentee_id) & MenteeProfile.matched_at.is_null()).execute()
    # Matched now: any other waiting lists are left, and places held there go to the next in line.
    waitlist.leave_all(request.mentee_id, by)
    mentee_user = request.mentee_user
    mentor = MentorProfile.get_by_id(request.mentor_id)
    mentor_user = User.get_by_id(mentor.user_id)
    url = links.external_url("mentoring.relationship", relationship_id=relationship.id)
    mail.send(mentee_user.email, "request_accepted_mentee", f"{mentor_user.first_name} will be your mentor",
              user=mentee_user, name=mentee_user.first_name, mentor_name=mentor_user.name,
              contact=mentor.contact_details, mentor_email=mentor_user.email, message=request.decline_message,
              url=url, dedupe_key=f"request-accepted:{request.id}:mentee")
    mail.send(mentor_user.email, "request_accepted_mentor", f"You are now {mentee_user.first_name}'s mentor",
              user=mentor_user, name=mentor_user.first_name, mentee_name=mentee_user.name,
              mentee_email=mentee_user.email, url=url, dedupe_key=f"request-accepted:{request.id}:mentor")
    audit.record(by, "accepted_request", request)
    return relationship


def _end_unmatched(request: MentorRequest, now: datetime, action: str, by: User | None,
                   mentor_leaving: bool = False) -> tuple[User, User]:
    """A request that ended without a match: the place goes back (perhaps to the waiting list),
    the mentee's time spent waiting does not count towards deactivation, and the mentee is told
    (without the mentor's name when the mentor's data is being erased).
    Returns (mentee's user, mentor's user)."""
    waitlist.release_place(request.mentor_id, now)
    mentee = MenteeProfile.get_by_id(request.mentee_id)
    # The time waited does not count, and any warnings start again for the new date.
    MenteeProfile.update(period_started_at=mentee.period_started_at + (now - request.created_at),
                         deactivation_warnings=0).where(MenteeProfile.id == mentee.id).execute()
    mentee_user = request.mentee_user
    mentor_user = request.mentor_user
    directory = links.external_url("directory.directory")
    template, subject = {
        "request_declined": ("request_declined", f"{mentor_user.first_name} cannot be your mentor just now"),
        "request_expired": ("request_expired_mentee", "Your request has closed: please choose another mentor"),
        "request_closed": ("request_closed_mentee", "Your request has closed: please choose another mentor"
                           if mentor_leaving else f"{mentor_user.first_name} is not taking mentees just now"),
    }.get(action, (None, None))
    if template:
        mail.send(mentee_user.email, template, subject, user=mentee_user, name=mentee_user.first_name,
                  mentor_name="" if mentor_leaving else mentor_user.first_name, left=mentor_leaving,
                  message=request.decline_message, url=directory, dedupe_key=f"{action}:{request.id}")
    audit.record(by, action, request)
    return mentee_user, mentor_user


def cancel(request: MentorRequest, user: User, leaving: bool = False) -> None:
    """The mentee takes back their request; `leaving`: because their data is being erased, so the
    mentor is not told their name."""
    now = clock.now()
    try:
        rules.request_move(MentorRequest.get_by_id(request.id).status, "cancel", rules.MENTEE)
    except MoveRefused:
        raise RequestRefused(_what_happened(MentorRequest.get_by_id(request.id))) from None
    with database.atomic():
        if not MentorRequest.update(status=rules.CANCELLED, decided_at=now, decided_by=rules.MENTEE,
                                    decided_by_user=user).where(
                (MentorRequest.id == request.id) & (MentorRequest.status == rules.PENDING)).execute():
            raise RequestRefused(_what_happened(MentorRequest.get_by_id(request.id)))
        _, mentor_user = _end_unmatched(request, now, "request_cancelled", user)
        mail.send(mentor_user.email, "request_cancelled", "A request to you has been withdrawn" if leaving
                  else f"{user.first_name} has withdrawn their request", user=mentor_user,
                  name=mentor_user.first_name, mentee_name="" if leaving else user.first_name, left=leaving,
                  dedupe_key=f"request-cancelled:{request.id}")


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
    for request in waiting:
        if due_on_or_after and clock.to_london(request.deadline).date() < due_on_or_after:
            continue
        with database.atomic():
            if MentorRequest.update(status=rules.CLOSED, decided_at=now, decided_by=rules.SYSTEM).where(
                    (MentorRequest.id == request.id) & (MentorRequest.status == rules.PENDING)).execute():
                _end_unmatched(request, now, "request_closed", None, mentor_leaving=leaving)
                closed += 1
    return closed


def expire_due(now: datetime, limit: int = 1000) -> int:
    """Requests past their deadline are rejected on the admin team's behalf."""
    due = list(MentorRequest.select().where((MentorRequest.status == rules.PENDING)
                                            & (MentorRequest.deadline <= now)).order_by(MentorRequest.deadline)
               .limit(limit))
    expired = 0
    for request in due:
        with database.atomic():
            if not MentorRequest.update(status=rules.EXPIRED, decided_at=now, decided_by=rules.SYSTEM).where(
                    (MentorRequest.id == request.id) & (MentorRequest.status == rules.PENDING)).execute():
                continue
            mentee_user, mentor_user = _end_unmatched(request, now, "request_expired", None)
            mail.send(mentor_user.email, "request_expired_mentor", "A request to you has closed",
                      user=mentor_user, name=mentor_user.first_name, mentee_name=mentee_user.first_name,
                      dedupe_key=f"request-expired:{request.id}:mentor")
            expired += 1
    return expired


def remind_due(now: datetime, limit: int = 1000) -> int:
    config = current_app.config
    due = list(MentorRequest.select().where((MentorRequest.status == rules.PENDING)
                                            & (MentorRequest.next_reminder_at <= now)).limit(limit))
    sent = 0
    for request in due:
        times = [t for t in workdays.reminder_times(request.deadline, config["REMINDER_WORKING_DAYS_BEFORE"],
                                                    config["REMINDER_HOUR"]) if t > now]
        with database.atomic():
            if not MentorRequest.update(reminders_sent=MentorRequest.reminders_sent + 1,
                                        next_reminder_at=times[0] if times else None).where(
                    (MentorRequest.id == request.id) & (MentorRequest.reminders_sent == request.reminders_sent)
                    & (MentorRequest.status == rules.PENDING)).execute():
                continue
            mentee = MenteeProfile.get_by_id(request.mentee_id)
            mentee_user = User.get_by_id(mentee.user_id)
            mentor_user = request.mentor_user
            token = links.issue(DECISION, mentor_user, request.deadline - now, target_id=request.id, replace=False)
            last_day = workdays.working_days_left(now, request.deadline) == 0
            mail.send(mentor_user.email, "request_reminder",
                      "Today is the last day to answer a request" if last_day else "A reminder: a request is waiting",
                      user=mentor_user, **_request_context(request, mentee, mentee_user, mentor_user),
                      last_day=last_day, url=links.external_url("requests.respond", token=token),
                      dedupe_key=f"request-reminder:{request.id}:{request.reminders_sent + 1}")
            audit.record(None, "reminded_mentor", request)
            sent += 1
    return sent


def close_for_away_mentors(now: datetime, limit: int = 200) -> int:
    """Requests waiting for a mentor who has since gone on leave, paused or left the register."""
    today = clock.to_london(now).date()
    mentor_ids = {r.mentor_id for r in MentorRequest.select(MentorRequest.mentor).join(MentorProfile).join(User)
                  .where((MentorRequest.status == rules.PENDING) & away_on(today)).limit(limit)}
    return sum(close_requests_to(MentorProfile.get_by_id(mentor_id), now) for mentor_id in mentor_ids)
