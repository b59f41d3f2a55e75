"""What the team does with requests, for people who asked them (by phone, say): a waiting request's
deadline moved, the request withdrawn or passed to another mentor with the mentee's agreement, and a
mentee matched to a mentor directly. Each in one transaction, in the audit log."""
from datetime import date, datetime

from flask import current_app
from peewee import IntegrityError, fn

from portal.core import audit, clock, links
from portal.core.db import database
from portal.models import MenteeProfile, MentorProfile, MentorRequest, Relationship, User, mentor_state
from portal.requests import emails, mentor_requests, waitlist
from portal.requests.mentor_requests import RequestRefused, what_happened
from portal.rules import requests as rules
from portal.rules import workdays
from portal.rules.availability import MentorState
from portal.rules.moves import MoveRefused
from portal.rules.requests import RequestStatus


def _waiting(mentor_request: MentorRequest, action: str) -> MentorRequest:
    current = MentorRequest.get_by_id(mentor_request.id)
    try:
        rules.request_move(current.status, action, rules.ADMIN)
    except MoveRefused:
        raise RequestRefused(what_happened(current)) from None
    if current.deadline <= clock.now():
        raise RequestRefused(what_happened(current))
    return current


def extend(mentor_request: MentorRequest, by: User, new_day: date) -> datetime:
    """Give the mentor until the end of `new_day` to answer; their emailed link lasts as long."""
    current = _waiting(mentor_request, "accept")
    problem = rules.check_extension(clock.to_london(current.deadline).date(), new_day, clock.today_london())
    if problem:
        raise RequestRefused(problem)
    deadline = clock.from_london(datetime.combine(new_day, workdays.END_OF_DAY))
    config = current_app.config  # the reminder moves with the deadline, even if the last one was sent
    reminders = [t for t in workdays.reminder_times(deadline, config["REMINDER_WORKING_DAYS_BEFORE"],
                                                    config["REMINDER_HOUR"]) if t > clock.now()]
    with database.atomic():
        if not MentorRequest.update(deadline=deadline, next_reminder_at=reminders[0] if reminders else None).where(
                (MentorRequest.id == current.id) & (MentorRequest.status == RequestStatus.PENDING)).execute():
            raise RequestRefused(what_happened(MentorRequest.get_by_id(current.id)))
        links.extend(emails.DECISION, current.id, deadline)
        audit.record(by, "extended_request", current, detail=f"until {new_day.isoformat()}")
    return deadline


def withdraw(mentor_request: MentorRequest, by: User) -> None:
    """Taken back for the mentee: as if they had cancelled it (the mentor is told, its place is free)."""
    _end(_waiting(mentor_request, "withdraw"), by, "withdraw", "withdrawn_request")


def _end(current: MentorRequest, by: User, move: str, action: str) -> None:
    with database.atomic():
        mentor_requests.cancel(current, by, action=move, role=rules.ADMIN)
        audit.record(by, action, current)


def pass_on(mentor_request: MentorRequest, by: User, mentor: MentorProfile) -> MentorRequest:
    """Send the mentee's request, with their note, to another mentor they agreed to: the first mentor
    is told it was withdrawn, the second is asked as if the mentee had asked them."""
    current = _waiting(mentor_request, "pass")
    if mentor.id == current.mentor_id:
        raise RequestRefused("Choose a different mentor from the one already asked")
    mentee_user = User.get_by_id(MenteeProfile.get_by_id(current.mentee_id).user_id)
    with database.atomic():  # asking the second mentor is checked as any request is; refused, nothing moves
        _end(current, by, "pass", "passed_request")
        passed = mentor_requests.make_request(mentee_user, mentor, current.note)
        audit.record(by, "passed_request_to", passed)
    return passed


def match(mentee: MenteeProfile, mentor: MentorProfile, by: User, note: str) -> Relationship:
    """Match a mentee to a mentor directly, as agreed with both by phone: the request is recorded as
    accepted by the team, a place is taken, and both are put in touch as after any yes."""
    now = clock.now()
    mentor = MentorProfile.select(MentorProfile, User).join(User).where(MentorProfile.id == mentor.id).get()
    if mentor.user_id == mentee.user_id:
        raise RequestRefused("Someone cannot be matched with themselves: choose another mentor")
    if mentor_state(mentor, clock.today_london()) == MentorState.NOT_SET_UP:
        raise RequestRefused(f"{mentor.user.name} has not set up their login yet, so they cannot be matched")
    problem = rules.check_note(note)
    if problem:
        raise RequestRefused(problem)
    try:
        with database.atomic():
            # The mentee's row first, as when they ask: a deactivation or a request of theirs at the same
            # moment either finished first (and is seen below) or waits for this match.
            if not MenteeProfile.update(first_requested_at=fn.COALESCE(MenteeProfile.first_requested_at, now)).where(
                    (MenteeProfile.id == mentee.id) & MenteeProfile.deactivated_at.is_null()).execute():
                raise RequestRefused("This mentee's account is paused: reopen it first")
            if mentor_requests.active_relationship(mentee):
                raise RequestRefused("This mentee already has a mentor")
            if mentor_requests.waiting_request(mentee):
                raise RequestRefused("This mentee is waiting for a mentor's answer: withdraw or pass on that request "
                                     "first")
            if not waitlist.take_offer(mentee, mentor) and not waitlist.take_place(mentor.id):
                raise RequestRefused(f"{mentor.user.name} has no free place: raise their capacity first if they "
                                     "agreed to take one more")
            matched = MentorRequest.create(mentee=mentee, mentor=mentor, note=note.strip(), created_at=now,
                                           deadline=now, status=RequestStatus.ACCEPTED, decided_at=now,
                                           decided_by=rules.ADMIN, decided_by_user=by)
            audit.record(by, "matched_directly", matched)
            return mentor_requests.start_relationship(matched, by, now)
    except IntegrityError:  # a request or a match of theirs got in at the same moment
        raise RequestRefused("This mentee has just been matched or has just asked a mentor: look again") from None
