"""The life of a MentorRequest: made (with up to two backups), answered (accepted, which opens the
relationship, or declined, perhaps with a pause), cancelled by the mentee, closed when the mentor goes
away, expired at its deadline, and the reminders and the one question before it. Its states and who may
move them are rules/requests.py.

Every move of a request is a conditional update from the state it was read in, so of two people acting
at once (a mentor clicking twice, or in the email and the portal) exactly one succeeds; emails carry
dedupe keys, so nothing is sent twice. When a request ends without a match, the next backup is asked
in the same transaction, taking its mentor's place by the same conditional update as a new request."""
from datetime import date, datetime

from flask import current_app
from peewee import Case, IntegrityError, fn

from portal.core import audit, clock, db, links, mail
from portal.core.db import database
from portal.core.refused import Refused
from portal.models import (MenteeProfile, MentorProfile, MentorRequest, ProfileChange, Relationship, User,
                           WaitlistEntry, WaitlistStatus, available_on, away_on, mentor_state)
from portal.requests import emails, waitlist
from portal.rules import availability
from portal.rules import requests as rules
from portal.rules import workdays
from portal.rules.availability import MentorState
from portal.rules.mentoring import RelationshipStatus
from portal.rules.moves import MoveRefused
from portal.rules.requests import RequestStatus


class RequestRefused(Refused):
    """Why a request cannot be made or moved, in words for the person trying."""


def waiting_request(mentee: MenteeProfile) -> MentorRequest | None:
    return MentorRequest.get_or_none((MentorRequest.mentee == mentee) & (MentorRequest.status == RequestStatus.PENDING))


def latest_request(mentee: MenteeProfile) -> MentorRequest | None:
    """The newest request the mentee has sent (not a backup still waiting its turn), with its mentor: the
    one waiting for an answer if there is one, since a mentee has one at a time, else how the last ended."""
    return (MentorRequest.select(MentorRequest, MentorProfile, User).join(MentorProfile).join(User)
            .where((MentorRequest.mentee == mentee)
                   & MentorRequest.status.not_in([RequestStatus.BACKUP, RequestStatus.DROPPED, RequestStatus.SKIPPED]))
            .order_by(MentorRequest.created_at.desc(), MentorRequest.id.desc()).first())


def active_relationship(mentee: MenteeProfile) -> Relationship | None:
    return Relationship.get_or_none((Relationship.mentee == mentee)
                                    & (Relationship.status == RelationshipStatus.ACTIVE))


def backups_of(mentee_id: int) -> list[MentorRequest]:
    """The backups a mentee named that are still waiting their turn, in order."""
    return list(MentorRequest.select().where((MentorRequest.mentee == mentee_id)
                                             & (MentorRequest.status == RequestStatus.BACKUP))
                .order_by(MentorRequest.choice))


def _standing(mentee_id: int, mentor: MentorProfile, today: date) -> str:
    """Where a mentor stands for this mentee: a full mentor who is holding a place for them (from their
    waiting list) is open to them."""
    state = mentor_state(mentor, today)
    holds_offer = WaitlistEntry.select().where(
        (WaitlistEntry.mentee == mentee_id) & (WaitlistEntry.mentor == mentor.id)
        & (WaitlistEntry.status == WaitlistStatus.OFFERED)).exists()
    return MentorState.OPEN if holds_offer and state == MentorState.FULL else state


def why_cannot_request(user: User, mentor: MentorProfile) -> str | None:
    mentee = user.mentee
    return rules.why_cannot_request(
        is_self=mentor.user_id == user.id, confirmed=bool(user.email_confirmed_at),
        deactivated=bool(mentee.deactivated_at), has_waiting_request=waiting_request(mentee) is not None,
        has_active_relationship=active_relationship(mentee) is not None,
        mentor_state=_standing(mentee.id, mentor, clock.today_london()))


def backup_problems(user: User, asking_id: int, chosen: list[int]) -> dict[int, str]:
    """Why each named backup (mentor ids, in order) cannot be one, by its place in the list."""
    offered = {m.id for m in MentorProfile.select(MentorProfile.id).join(User).where(
        MentorProfile.id.in_(chosen) & available_on(clock.today_london()))} if chosen else set()
    return rules.check_backups(asking_id, chosen, offered, user.mentor.id if user.mentor else None)


def _check_backups(user: User, asking_id: int, backups: list[tuple[MentorProfile, str]]) -> None:
    problems = backup_problems(user, asking_id, [mentor.id for mentor, _ in backups])
    notes = [rules.check_note(note) for _, note in backups if note]
    if problems or any(notes):
        raise RequestRefused(next(iter(problems.values()), None) or next(p for p in notes if p))


def _add_backups(mentee_id: int, backups: list[tuple[MentorProfile, str]], note: str, now: datetime,
                 deadline: datetime) -> None:
    """Backups wait their turn holding no place; a backup without a note of its own carries the
    request's. Its deadline is set afresh when its turn comes."""
    for choice, (mentor, backup_note) in enumerate(backups, start=2):
        MentorRequest.create(mentee=mentee_id, mentor=mentor.id, note=(backup_note or note).strip(), created_at=now,
                             deadline=deadline, status=RequestStatus.BACKUP, choice=choice)


def make_request(user: User, mentor: MentorProfile, note: str,
                 backups: list[tuple[MentorProfile, str]] = ()) -> MentorRequest:
    """Ask `mentor`, naming up to two `backups` (mentor, note) to be asked in turn if it comes to nothing."""
    now = clock.now()
    problem = rules.check_note(note) or why_cannot_request(user, mentor)
    if problem:
        raise RequestRefused(problem)
    _check_backups(user, mentor.id, list(backups))
    mentee = user.mentee
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
        deadline, reminder = deadline_and_reminder(now)
        try:
            with database.atomic():
                mentor_request = MentorRequest.create(mentee=mentee, mentor=mentor, note=note.strip(), created_at=now,
                                                      deadline=deadline, next_reminder_at=reminder)
        except IntegrityError:
            # Another request of theirs got in first (two tabs, say): one waiting request at a time.
            raise RequestRefused("You are already waiting for a mentor's answer: you can ask one mentor at a "
                                 "time") from None
        _add_backups(mentee.id, list(backups), note, now, deadline)
        emails.send_request(mentor_request, now)
        audit.record(user, "requested_mentor", mentor_request)
    return mentor_request


def deadline_and_reminder(now: datetime) -> tuple[datetime, datetime | None]:
    config = current_app.config
    deadline = workdays.deadline(now, config["ANSWER_WORKING_DAYS"])
    reminders = [t for t in workdays.reminder_times(deadline, config["REMINDER_WORKING_DAYS_BEFORE"],
                                                    config["REMINDER_HOUR"]) if t > now]
    return deadline, reminders[0] if reminders else None


def change_backups(user: User, mentor_request: MentorRequest, backups: list[tuple[MentorProfile, str]]) -> None:
    """Replace the backups of the request waiting for an answer (none: drop them all)."""
    now = clock.now()
    if user.mentee is None or mentor_request.mentee_id != user.mentee.id:
        raise RequestRefused("Only the mentee who asked can change the backups of a request")
    _check_backups(user, mentor_request.mentor_id, backups)
    with database.atomic():
        # The mentee's row first, as a request ending does before it asks the next backup: the two take turns.
        MenteeProfile.update(period_started_at=MenteeProfile.period_started_at).where(
            MenteeProfile.id == mentor_request.mentee_id).execute()
        current = MentorRequest.get_by_id(mentor_request.id)
        if current.status != RequestStatus.PENDING:
            raise RequestRefused(f"{what_happened(current)}, so your backups were not changed: see where your "
                                 "request stands now")
        _drop_backups(current.mentee_id, now, rules.MENTEE)
        _add_backups(current.mentee_id, backups, current.note, now, current.deadline)
        audit.record(user, "changed_backups", current)


def _drop_backups(mentee_id: int, now: datetime, by: str) -> int:
    return MentorRequest.update(status=RequestStatus.DROPPED, decided_at=now, decided_by=by).where(
        (MentorRequest.mentee == mentee_id) & (MentorRequest.status == RequestStatus.BACKUP)).execute()


def _pass_on(ended: MentorRequest, now: datetime) -> tuple[MentorRequest | None, list[MentorRequest]]:
    """After a request ended without a match: ask the mentee's next backup with a free place, skipping
    those without one. Returns the backup asked (None: the mentee chooses again) and those skipped."""
    remaining, skipped = backups_of(ended.mentee_id), []
    today = clock.to_london(now).date()
    while remaining:
        mentors = {m.id: m for m in MentorProfile.select(MentorProfile, User).join(User).where(
            MentorProfile.id.in_([b.mentor_id for b in remaining]))}
        plan = rules.next_in_line(ended.status, [_standing(ended.mentee_id, mentors[b.mentor_id], today)
                                                 for b in remaining])
        skipped += [remaining[i] for i in plan.skip if _skip(remaining[i], now)]
        if plan.back_to_choosing:
            return None, skipped
        backup = remaining[plan.ask]
        if _ask_backup(backup, mentors[backup.mentor_id], now):
            return MentorRequest.get_by_id(backup.id), skipped
        # Its mentor's last place went a moment ago: passed over like the others.
        if _skip(backup, now):
            skipped.append(backup)
        remaining = remaining[plan.ask + 1:]
    return None, skipped


def _skip(backup: MentorRequest, now: datetime) -> bool:
    return bool(MentorRequest.update(status=RequestStatus.SKIPPED, decided_at=now, decided_by=rules.SYSTEM).where(
        (MentorRequest.id == backup.id) & (MentorRequest.status == RequestStatus.BACKUP)).execute())


def _ask_backup(backup: MentorRequest, mentor: MentorProfile, now: datetime) -> bool:
    """Send a backup its request: it takes a place (or the one its mentor holds for this mentee) and has
    a fresh deadline, as any new request; False, changing nothing, when the mentor has no place left."""
    deadline, reminder = deadline_and_reminder(now)
    with database.atomic() as step:
        if not MentorRequest.update(status=RequestStatus.PENDING, created_at=now, deadline=deadline,
                                    next_reminder_at=reminder, reminders_sent=0).where(
                (MentorRequest.id == backup.id) & (MentorRequest.status == RequestStatus.BACKUP)).execute():
            return False
        mentee = MenteeProfile.get_by_id(backup.mentee_id)
        if not waitlist.take_offer(mentee, mentor) and not waitlist.take_place(mentor.id):
            step.rollback()
            return False
        asked = MentorRequest.get_by_id(backup.id)
        emails.send_request(asked, now)
        audit.record(None, "asked_backup", asked)
    return True


def decide(mentor_request: MentorRequest, action: str, by: User, role: str, message: str = "", link=None,
           pause_until: date | None = None) -> MentorRequest:
    """Accept or decline a waiting request, and with the same press, if `pause_until` is given, stop new
    requests until the end of that day. Raises RequestRefused saying what happened when it is no longer
    waiting (answered already, cancelled, expired)."""
    now = clock.now()
    problem = rules.check_decline_message(message)  # a message goes with either answer
    if pause_until is not None:
        problem = problem or availability.check_pause_until(pause_until, clock.to_london(now).date())
    if problem:
        raise RequestRefused(problem)
    current = MentorRequest.get_by_id(mentor_request.id)
    try:
        move = rules.request_move(current.status, action, role)
    except MoveRefused as refused:
        raise RequestRefused(what_happened(current, str(refused))) from None
    with database.atomic():
        moved = MentorRequest.update(status=move.after, decided_at=now, decided_by=role, decided_by_user=by,
                                     decline_message=(message or "").strip()).where(
            (MentorRequest.id == mentor_request.id) & (MentorRequest.status == RequestStatus.PENDING)
            & (MentorRequest.deadline > now)).execute()
        if not moved:
            raise RequestRefused(what_happened(MentorRequest.get_by_id(mentor_request.id)))
        if link is not None:
            links.spend(link)
        mentor_request = MentorRequest.get_by_id(mentor_request.id)
        # The pause first, so the place a decline frees is not offered to the mentor's waiting list.
        if pause_until is not None:
            pause_new_requests(mentor_request.mentor_id, by, pause_until, now)
        if action == "accept":
            start_relationship(mentor_request, by, now)
        else:
            end_unmatched(mentor_request, now, "request_declined", by)
    return mentor_request


def pause_new_requests(mentor_id: int, by: User, until: date, now: datetime) -> None:
    """The mentor stops new requests until the end of `until` (register.availability.end_pauses lifts it):
    from now on they are a paused mentor, so requests waiting for them close as for any pause."""
    current = MentorProfile.get_by_id(mentor_id)
    MentorProfile.update(paused=True, paused_until=until).where(MentorProfile.id == mentor_id).execute()
    ProfileChange.create(mentor=mentor_id, changed_by=by, changes={
        "paused": [current.paused, True],
        "paused_until": [current.paused_until.isoformat() if current.paused_until else None, until.isoformat()]})
    audit.record(by, "paused_new_requests", current, detail=f"until {until.isoformat()}")
    close_requests_to(MentorProfile.get_by_id(mentor_id), now)


def what_happened(mentor_request: MentorRequest, fallback: str = "") -> str:
    if mentor_request.status == RequestStatus.PENDING and mentor_request.deadline <= clock.now():
        return "This request has run out of time"
    if mentor_request.status in rules.FINISHED:
        return f"This request has already been {rules.FINISHED[mentor_request.status]}"
    return fallback or "This request can no longer be answered"


def start_relationship(mentor_request: MentorRequest, by: User, now: datetime) -> Relationship:
    relationship = Relationship.create(mentor_request=mentor_request, mentee=mentor_request.mentee_id,
                                       mentor=mentor_request.mentor_id,
                                       opened_at=now)
    MenteeProfile.update(matched_at=now).where(
        (MenteeProfile.id == mentor_request.mentee_id) & MenteeProfile.matched_at.is_null()).execute()
    # Matched now: backups are not needed, other waiting lists are left, and places held there go to the
    # next in line.
    _drop_backups(mentor_request.mentee_id, now, rules.SYSTEM)
    left = waitlist.leave_all(mentor_request.mentee_id, by)
    emails.send_accepted(mentor_request, relationship)
    if left:
        emails.send_waitlists_left(mentor_request, left)
    audit.record(by, "accepted_request", mentor_request)
    return relationship


def end_unmatched(mentor_request: MentorRequest, now: datetime, action: str, by: User | None,
                   mentor_leaving: bool = False) -> None:
    _end_all_unmatched([MentorRequest.get_by_id(mentor_request.id)], now, action, by, mentor_leaving)


def _end_all_unmatched(ended: list[MentorRequest], now: datetime, action: str, by: User | None,
                       mentor_leaving: bool = False) -> None:
    """Requests that ended without a match (one, or a sweep's many; read after their move): the places
    go back (perhaps to the waiting lists), the mentees' time spent waiting does not count towards
    deactivation, the next backup is asked (unless the mentee cancelled), and each mentee is told
    (without the mentor's name when the mentor's data is being erased). A few statements for all of
    them; the backups, which few name, are passed on one mentee at a time."""
    if not ended:
        return
    mentee_ids = [r.mentee_id for r in ended]
    backups = {}
    for backup in MentorRequest.select().where(MentorRequest.mentee.in_(mentee_ids)
                                               & (MentorRequest.status == RequestStatus.BACKUP)):
        backups.setdefault(backup.mentee_id, []).append(backup.mentor_id)
    # Every mentor whose places may change, the backups' included, in one order (waitlist.hold_places).
    waitlist.hold_places([r.mentor_id for r in ended] + [m for ms in backups.values() for m in ms])
    waitlist.release_places([r.mentor_id for r in ended], now)
    # The time waited does not count, and any warnings start again for the new date. This holds the
    # mentees' rows, so a change to their backups made meanwhile waits, then finds the request moved on.
    mentees = MenteeProfile.select(MenteeProfile.id, MenteeProfile.period_started_at).where(
        MenteeProfile.id.in_(mentee_ids)).order_by(MenteeProfile.id)
    waited = {r.mentee_id: now - r.created_at for r in ended}
    MenteeProfile.update(period_started_at=Case(MenteeProfile.id, [
        (m.id, m.period_started_at + waited[m.id]) for m in (mentees.for_update() if db.is_postgres() else mentees)]),
        deactivation_warnings=0).where(MenteeProfile.id.in_(mentee_ids)).execute()
    MentorRequest.know_people_of(ended)
    for mentor_request in ended:
        asked, skipped = None, []
        if mentor_request.mentee_id in backups:
            if mentor_request.status in rules.PASSES_ON:
                asked, skipped = _pass_on(mentor_request, now)
            else:
                _drop_backups(mentor_request.mentee_id, now, rules.SYSTEM)
        emails.send_unmatched(mentor_request, action, mentor_leaving, asked, skipped)
    audit.record_all(by, action, ended)


def cancel(mentor_request: MentorRequest, user: User, leaving: bool = False, *, action: str = "cancel",
           role: str = rules.MENTEE) -> None:
    """The mentee takes back their request, or the team does for them (`action` "withdraw" or "pass",
    `role` ADMIN); `leaving`: because their data is being erased, so the mentor is not told their name."""
    now = clock.now()
    try:
        rules.request_move(MentorRequest.get_by_id(mentor_request.id).status, action, role)
    except MoveRefused:
        raise RequestRefused(what_happened(MentorRequest.get_by_id(mentor_request.id))) from None
    with database.atomic():
        if not MentorRequest.update(status=RequestStatus.CANCELLED, decided_at=now, decided_by=role,
                                    decided_by_user=user).where(
                (MentorRequest.id == mentor_request.id) & (MentorRequest.status == RequestStatus.PENDING)).execute():
            raise RequestRefused(what_happened(MentorRequest.get_by_id(mentor_request.id)))
        end_unmatched(mentor_request, now, "request_cancelled", user)
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
    waiting = [r.id for r in MentorRequest.select(MentorRequest.id, MentorRequest.deadline).where(
        (MentorRequest.mentor == mentor.id) & (MentorRequest.status == RequestStatus.PENDING))
        if not due_on_or_after or clock.to_london(r.deadline).date() >= due_on_or_after]
    with database.atomic(), mail.batched():
        closed = _move_waiting(waiting, "close", now)
        _end_all_unmatched(closed, now, "request_closed", None, mentor_leaving=leaving)
    return len(closed)


# How many requests a sweep moves in one transaction: a few statements and inserts for all of them,
# and the rows they touch held for well under a second.
BATCH = 500


def _claim_waiting(due, batch: int) -> list[int]:
    """Up to `batch` waiting requests matching `due`, the earliest deadlines first, held for this
    transaction. On PostgreSQL a request someone holds (a mentor answering it, another sweep) is left
    for now, and the next run finds it if it is still due; SQLite's transactions take turns."""
    query = (MentorRequest.select(MentorRequest.id).where((MentorRequest.status == RequestStatus.PENDING) & due)
             .order_by(MentorRequest.deadline, MentorRequest.id).limit(batch))
    return [r.id for r in (query.for_update(skip_locked=True) if db.is_postgres() else query)]


def _move_waiting(ids: list[int], action: str, now: datetime) -> list[MentorRequest]:
    """Move waiting requests by the state machine's `action`, by the portal itself, in one statement;
    the requests moved (those still waiting), as they are now."""
    if not ids:
        return []
    after = rules.request_move(RequestStatus.PENDING, action, rules.SYSTEM).after
    return list(MentorRequest.update(status=after, decided_at=now, decided_by=rules.SYSTEM).where(
        MentorRequest.id.in_(ids) & (MentorRequest.status == RequestStatus.PENDING)).returning(MentorRequest).execute())


def expire_due(now: datetime, batch: int = BATCH) -> int:
    """Requests past their deadline are rejected on the admin team's behalf, a batch a transaction."""
    expired = 0
    while True:
        with database.atomic(), mail.batched():
            claimed = _claim_waiting(MentorRequest.deadline <= now, batch)
            ended = _move_waiting(claimed, "expire", now)
            _end_all_unmatched(ended, now, "request_expired", None)
            for mentor_request in ended:
                emails.send_expired_to_mentor(mentor_request)
        expired += len(ended)
        if len(claimed) < batch:
            return expired


def remind_due(now: datetime, batch: int = BATCH) -> int:
    """Mentors are reminded of the requests waiting for them, a batch a transaction."""
    config = current_app.config
    sent = 0
    while True:
        with database.atomic(), mail.batched():
            claimed = _claim_waiting(MentorRequest.next_reminder_at <= now, batch)
            due = MentorRequest.know_people_of(list(MentorRequest.select().where(MentorRequest.id.in_(claimed))))
            # The next reminder of each, a statement for all those sharing a time (most do: the reminders
            # fall at one hour of a working day).
            following: dict[datetime | None, list[int]] = {}
            for mentor_request in due:
                times = [t for t in workdays.reminder_times(mentor_request.deadline,
                                                            config["REMINDER_WORKING_DAYS_BEFORE"],
                                                            config["REMINDER_HOUR"]) if t > now]
                following.setdefault(times[0] if times else None, []).append(mentor_request.id)
            for next_at, ids in following.items():
                MentorRequest.update(reminders_sent=MentorRequest.reminders_sent + 1, next_reminder_at=next_at).where(
                    MentorRequest.id.in_(ids)).execute()
            emails.send_reminders([(r, workdays.working_days_left(now, r.deadline) == 0, r.reminders_sent + 1)
                                   for r in due], now)
            audit.record_all(None, "reminded_mentor", due)
        sent += len(due)
        if len(claimed) < batch:
            return sent


def close_for_away_mentors(now: datetime, limit: int = 200) -> int:
    """Requests waiting for a mentor who has since gone on leave, paused or left the register."""
    today = clock.to_london(now).date()
    mentor_ids = {r.mentor_id for r in MentorRequest.select(MentorRequest.mentor).join(MentorProfile).join(User)
                  .where((MentorRequest.status == RequestStatus.PENDING) & away_on(today)).limit(limit)}
    return sum(close_requests_to(MentorProfile.get_by_id(mentor_id), now) for mentor_id in mentor_ids)


def drop_backups_to(mentor: MentorProfile) -> int:
    """A mentor leaving the scheme (their data erased) is taken off every backup list they are on; their
    mentees were never told of those, so no one is told."""
    return MentorRequest.update(status=RequestStatus.DROPPED, decided_at=clock.now(), decided_by=rules.SYSTEM).where(
        (MentorRequest.mentor == mentor.id) & (MentorRequest.status == RequestStatus.BACKUP)).execute()


def ask_question(mentor_request: MentorRequest, by: User, question: str) -> None:
    """The mentor's one short question before answering, sent to the mentee through the portal (neither
    sees the other's contact details). The deadline stays where it was."""
    problem = rules.check_question(question)
    if problem:
        raise RequestRefused(problem)
    now = clock.now()
    with database.atomic():
        if not MentorRequest.update(question=question.strip(), question_at=now).where(
                (MentorRequest.id == mentor_request.id) & (MentorRequest.status == RequestStatus.PENDING)
                & (MentorRequest.deadline > now) & (MentorRequest.question == "")).execute():
            current = MentorRequest.get_by_id(mentor_request.id)
            raise RequestRefused(what_happened(current, "You have already asked a question of this request"))
        asked = MentorRequest.get_by_id(mentor_request.id)
        emails.send_question(asked)
        audit.record(by, "asked_question", asked)


def reply_to_question(mentor_request: MentorRequest, user: User, reply: str) -> None:
    """The mentee's answer, shown to the mentor on the page where they answer the request."""
    problem = rules.check_reply(reply)
    if problem:
        raise RequestRefused(problem)
    now = clock.now()
    with database.atomic():
        if not MentorRequest.update(reply=reply.strip(), reply_at=now).where(
                (MentorRequest.id == mentor_request.id) & (MentorRequest.status == RequestStatus.PENDING)
                & (MentorRequest.question != "") & (MentorRequest.reply == "")).execute():
            current = MentorRequest.get_by_id(mentor_request.id)
            raise RequestRefused(what_happened(current, "You have already answered this question"))
        replied = MentorRequest.get_by_id(mentor_request.id)
        emails.send_reply(replied, now)
        audit.record(user, "answered_question", replied)
