"""The life of a mentee's request for a mentor.

A request waits for the mentor's answer until its deadline. The mentor (or an admin) accepts
or declines it; the mentee may cancel it; the portal expires it at the deadline, and closes it
if the mentor goes on leave, pauses or leaves the register while it waits. Only a waiting
request can move, and each move belongs to particular people. (The relationship a yes starts
has its own moves, in rules/mentoring.py.)
"""
from portal.core.roles import ADMIN, MENTEE, MENTOR, SYSTEM
from portal.rules import availability
from portal.rules.moves import Move, move

PENDING, ACCEPTED, DECLINED, CANCELLED, EXPIRED, CLOSED = (
    "pending", "accepted", "declined", "cancelled", "expired", "closed")

# (state, action) -> (new state, who may do it)
REQUEST_MOVES = {
    (PENDING, "accept"): (ACCEPTED, {MENTOR, ADMIN}),
    (PENDING, "decline"): (DECLINED, {MENTOR, ADMIN}),
    (PENDING, "cancel"): (CANCELLED, {MENTEE}),
    (PENDING, "expire"): (EXPIRED, {SYSTEM}),
    (PENDING, "close"): (CLOSED, {SYSTEM, ADMIN}),
}

# What a finished request says to someone who comes back to it.
FINISHED = {
    ACCEPTED: "accepted",
    DECLINED: "declined",
    CANCELLED: "cancelled by the mentee",
    EXPIRED: "closed by the scheme's team because it was not answered in time",
    CLOSED: "closed because the mentor is not taking mentees just now",
}

NOTE_LIMIT = 1000
DEACTIVATED = "Your mentee account is paused: ask the team to restart it"
DECLINE_MESSAGE_LIMIT = 500


def request_move(state: str, action: str, by: str) -> Move:
    return move(REQUEST_MOVES, state, action, by, FINISHED)


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
    if has_waiting_request:
        return "You are already waiting for a mentor's answer: you can ask one mentor at a time"
    if mentor_state == availability.FULL:
        return "This mentor is not taking new mentees at the moment: you can join their waiting list"
    if mentor_state != availability.OPEN:
        return "This mentor is not taking mentees just now"
    return None
