"""Whether a mentor is available to mentees today: the one rule behind the directory, requests,
the waiting list and the sweeps (portal/mentors.py writes the same rule as a query)."""
from datetime import date, timedelta
from enum import StrEnum


class MentorState(StrEnum):
    NOT_SET_UP = "not_set_up"
    UNLISTED = "unlisted"
    PAUSED = "paused"
    ON_LEAVE = "leave"
    CLOSED = "closed"
    FULL = "full"
    OPEN = "open"


# In the directory, and open to asking: a full mentor is shown (when the scheme shows full
# mentors) and can be waited for, but only an open one has a place.
OFFERED = (MentorState.OPEN, MentorState.FULL)
# Not taking mentees for now, whatever their places: requests waiting for them close.
AWAY = (MentorState.NOT_SET_UP, MentorState.UNLISTED, MentorState.PAUSED, MentorState.ON_LEAVE, MentorState.CLOSED)


def on_leave(leave_from: date | None, leave_until: date | None, today: date) -> bool:
    return bool(leave_from and leave_from <= today <= leave_until)


def state(*, login_set_up: bool, listed: bool, paused: bool, leave_from: date | None, leave_until: date | None,
          capacity: int, places_taken: int, today: date) -> MentorState:
    """Where a mentor stands for mentees today; the first reason that applies is the one given."""
    if not login_set_up:
        return MentorState.NOT_SET_UP
    if not listed:
        return MentorState.UNLISTED
    if paused:
        return MentorState.PAUSED
    if on_leave(leave_from, leave_until, today):
        return MentorState.ON_LEAVE
    if capacity <= 0:
        return MentorState.CLOSED
    return MentorState.FULL if places_taken >= capacity else MentorState.OPEN


# A mentor can stop new requests from the page where they answer one, until a day they choose.
LONGEST_PAUSE_DAYS = 366


def check_pause_until(until: date, today: date) -> str | None:
    """Why a mentor cannot pause until `until`, or None: new requests start again the day after it."""
    if until <= today:
        return "The date must be after today"
    if until > today + timedelta(days=LONGEST_PAUSE_DAYS):
        return "The date must be within a year of today. For longer, ask the team to take you off the register"
    return None
