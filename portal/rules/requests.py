"""The life of a mentee's request for a mentor, and of the backups they name with it.

A request waits for the mentor's answer until its deadline. The mentor (or an admin) accepts
or declines it; the mentee may cancel it; the portal expires it at the deadline, and closes it
if the mentor goes on leave, pauses or leaves the register while it waits. Only a waiting
request can move, and each move belongs to particular people. (The relationship a yes starts
has its own moves, in rules/mentoring.py.)

A mentee may name up to two backups, in order. A backup is a request not yet sent: it holds no
place and its mentor does not know of it. When the request being answered ends without a match
(declined, expired, closed), the next backup whose mentor has room is asked at once, and those
without room are skipped (next_in_line); when it ends in a match or is cancelled, the backups left
are dropped. A mentor never learns they were not the first choice.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from statistics import median_high

from portal.core.roles import ADMIN, MENTEE, MENTOR, SYSTEM
from portal.rules.availability import MentorState
from portal.rules.moves import Move, move


class RequestStatus(StrEnum):
    """A MentorRequest's status."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    CLOSED = "closed"
    # A backup waiting its turn; one passed over because its mentor had no room then; one the mentee
    # took back, or that was no longer needed.
    BACKUP = "backup"
    SKIPPED = "skipped"
    DROPPED = "dropped"


# Never sent to the mentor: they cannot see these, and they are not counted as requests to them.
NEVER_ASKED = (RequestStatus.BACKUP, RequestStatus.SKIPPED, RequestStatus.DROPPED)

# (state, action) -> (new state, who may do it)
REQUEST_MOVES = {
    (RequestStatus.PENDING, "accept"): (RequestStatus.ACCEPTED, {MENTOR, ADMIN}),
    (RequestStatus.PENDING, "decline"): (RequestStatus.DECLINED, {MENTOR, ADMIN}),
    (RequestStatus.PENDING, "cancel"): (RequestStatus.CANCELLED, {MENTEE}),
    (RequestStatus.PENDING, "expire"): (RequestStatus.EXPIRED, {SYSTEM}),
    (RequestStatus.PENDING, "close"): (RequestStatus.CLOSED, {SYSTEM, ADMIN}),
    # The team, for the mentee who asked them: taken back, or passed to another mentor they agreed to.
    (RequestStatus.PENDING, "withdraw"): (RequestStatus.CANCELLED, {ADMIN}),
    (RequestStatus.PENDING, "pass"): (RequestStatus.CANCELLED, {ADMIN}),
    (RequestStatus.BACKUP, "ask"): (RequestStatus.PENDING, {SYSTEM}),
    (RequestStatus.BACKUP, "skip"): (RequestStatus.SKIPPED, {SYSTEM}),
    (RequestStatus.BACKUP, "drop"): (RequestStatus.DROPPED, {MENTEE, SYSTEM}),
}

# What a finished request says to someone who comes back to it.
FINISHED = {
    RequestStatus.ACCEPTED: "accepted",
    RequestStatus.DECLINED: "declined",
    RequestStatus.CANCELLED: "cancelled by the mentee",
    RequestStatus.EXPIRED: "closed by the scheme's team because it was not answered in time",
    RequestStatus.CLOSED: "closed because the mentor is not taking mentees just now",
}

# How a request can end without a match: the mentee's next step is to choose another mentor.
UNMATCHED = {RequestStatus.DECLINED, RequestStatus.EXPIRED, RequestStatus.CLOSED}

# What a backup that was never sent says to the mentee who named it.
PASSED_OVER = {
    RequestStatus.BACKUP: "kept as a backup",
    RequestStatus.SKIPPED: "skipped, as the mentor had no room when their turn came",
    RequestStatus.DROPPED: "taken off your backups",
}

# How far the team may move a waiting request's deadline: a mentor back from a week away, say.
LONGEST_EXTENSION_DAYS = 28


def check_extension(deadline_day: date, new_day: date, today: date) -> str | None:
    """Why a waiting request's deadline (the end of `deadline_day`, in London) cannot move to the end
    of `new_day`, or None."""
    if new_day <= deadline_day:
        return "The new date must be after the present deadline"
    if new_day > today + timedelta(days=LONGEST_EXTENSION_DAYS):
        return f"The new date must be within {LONGEST_EXTENSION_DAYS} days of today"
    return None


NOTE_LIMIT = 1000
DEACTIVATED = "Your mentee account is paused: ask the team to restart it"
DECLINE_MESSAGE_LIMIT = 500
MAX_BACKUPS = 2
QUESTION_LIMIT = 300
REPLY_LIMIT = 1000
# "Usually answers within": a mentor's answers over this many months, once there are this many.
ANSWER_TIME_MONTHS = 12
ANSWERS_NEEDED = 3


def request_move(state: str, action: str, by: str) -> Move:
    return move(REQUEST_MOVES, state, action, by, FINISHED | PASSED_OVER)


# How a request that has just ended leaves the backups named with it.
PASSES_ON = (RequestStatus.DECLINED, RequestStatus.EXPIRED, RequestStatus.CLOSED)
ENDS_THE_SEARCH = (RequestStatus.ACCEPTED, RequestStatus.CANCELLED)


@dataclass(frozen=True)
class NextInLine:
    """What happens to a mentee's backups when the request being answered ends: the one to ask (an
    index into the backups, in order), those skipped on the way, and those dropped."""

    ask: int | None = None
    skip: list[int] = field(default_factory=list)
    drop: list[int] = field(default_factory=list)

    @property
    def back_to_choosing(self) -> bool:
        """No one is being asked: the mentee chooses again."""
        return self.ask is None


def next_in_line(ended: str, backups: list[str]) -> NextInLine:
    """`ended`: the state the request has just moved to; `backups`: where each backup's mentor stands
    (a MentorState), in the mentee's order. Only a mentor with a free place is asked."""
    if ended in ENDS_THE_SEARCH:
        return NextInLine(drop=list(range(len(backups))))
    if ended not in PASSES_ON:
        raise ValueError(f"a request that is {ended} has not ended")
    skipped = []
    for index, standing in enumerate(backups):
        if standing == MentorState.OPEN:
            return NextInLine(ask=index, skip=skipped)
        skipped.append(index)
    return NextInLine(skip=skipped)


def check_backups(asking: int, backups: list[int], on_offer: set[int], own: int | None) -> dict[int, str]:
    """Why each named backup (mentor ids, in order) cannot be one, by its place in the list: `asking`
    is the mentor asked first, `on_offer` the mentors in the directory, `own` the mentee's own mentor
    profile if they have one. Empty when all can be."""
    problems, seen = {}, {asking}
    for index, mentor_id in enumerate(backups):
        if index >= MAX_BACKUPS:
            problems[index] = f"You can name up to {MAX_BACKUPS} backups"
        elif mentor_id == own:
            problems[index] = "You cannot name yourself as a backup"
        elif mentor_id == asking:
            problems[index] = "Your backup must be someone other than the mentor you are asking"
        elif mentor_id in seen:
            problems[index] = "You have named this mentor already: choose someone else, or no one"
        elif mentor_id not in on_offer:
            problems[index] = "This mentor is not taking requests just now: choose someone else, or no one"
        seen.add(mentor_id)
    return problems


def usual_answer_days(days: list[int]) -> int | None:
    """"Usually answers within": the median of a mentor's working days to answer (the higher middle
    one of an even count, as "within" promises no better), once there are ANSWERS_NEEDED answers."""
    return median_high(days) if len(days) >= ANSWERS_NEEDED else None


def check_note(note: str) -> str | None:
    """Why a request's note cannot be sent, or None."""
    if not note or not note.strip():
        return "Say briefly what you would like to talk about"
    if len(note) > NOTE_LIMIT:
        return f"Your note must be {NOTE_LIMIT:,} characters or fewer (it is {len(note):,})"
    return None


def check_decline_message(message: str) -> str | None:
    if message and len(message) > DECLINE_MESSAGE_LIMIT:
        return f"The message must be {DECLINE_MESSAGE_LIMIT} characters or fewer (it is {len(message)})"
    return None


def check_question(question: str) -> str | None:
    """Why a mentor's question to a mentee cannot be sent, or None."""
    if not question or not question.strip():
        return "Write your question"
    if len(question) > QUESTION_LIMIT:
        return f"Your question must be {QUESTION_LIMIT} characters or fewer (it is {len(question):,})"
    return None


def check_reply(reply: str) -> str | None:
    """Why a mentee's answer to a mentor's question cannot be sent, or None."""
    if not reply or not reply.strip():
        return "Write your answer"
    if len(reply) > REPLY_LIMIT:
        return f"Your answer must be {REPLY_LIMIT:,} characters or fewer (it is {len(reply):,})"
    return None


def why_cannot_request(*, is_self: bool, confirmed: bool, deactivated: bool, has_waiting_request: bool,
                       has_active_relationship: bool, mentor_state: str) -> str | None:
    """Why a mentee cannot ask this mentor now, in words for them; None when they can."""
    if is_self:
        return "You cannot ask yourself to be your mentor"
    if not confirmed:
        return "Confirm your email address before you ask a mentor"
    if deactivated:
        return DEACTIVATED
    if has_active_relationship:
        return "You already have a mentor. If you would like a different one, ask the team first"
    # A waiting list holds no place, so a mentee waiting for one answer may still join a full mentor's list.
    if has_waiting_request and mentor_state == MentorState.FULL:
        return ("This mentor's places are all taken just now, and you are waiting for another mentor's answer (you "
                "can ask one mentor at a time), but you can join this mentor's waiting list meanwhile")
    if has_waiting_request:
        return "You are already waiting for a mentor's answer: you can ask one mentor at a time"
    if mentor_state == MentorState.FULL:
        return "This mentor's places are all taken just now: you can join their waiting list"
    if mentor_state != MentorState.OPEN:
        return "This mentor is not taking mentees just now"
    return None
