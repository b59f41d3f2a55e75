"""Whether a mentor is available to mentees today: the one rule behind the directory, requests,
the waiting list and the sweeps (portal/mentors.py writes the same rule as a query)."""
from datetime import date

NOT_SET_UP, UNLISTED, PAUSED, ON_LEAVE, CLOSED, FULL, OPEN = (
    "not_set_up", "unlisted", "paused", "leave", "closed", "full", "open")
# In the directory, and open to asking: a full mentor is shown (when the scheme shows full
# mentors) and can be waited for, but only an open one has a place.
OFFERED = (OPEN, FULL)
# Not taking mentees for now, whatever their places: requests waiting for them close.
AWAY = (NOT_SET_UP, UNLISTED, PAUSED, ON_LEAVE, CLOSED)


def on_leave(leave_from: date | None, leave_until: date | None, today: date) -> bool:
    return bool(leave_from and leave_from <= today <= leave_until)


def state(*, login_set_up: bool, listed: bool, paused: bool, leave_from: date | None, leave_until: date | None,
          capacity: int, places_taken: int, today: date) -> str:
    """Where a mentor stands for mentees today; the first reason that applies is the one given."""
    if not login_set_up:
        return NOT_SET_UP
    if not listed:
        return UNLISTED
    if paused:
        return PAUSED
    if on_leave(leave_from, leave_until, today):
        return ON_LEAVE
    if capacity <= 0:
        return CLOSED
    return FULL if places_taken >= capacity else OPEN
