"""Whether a mentor is available today, as a table: no Flask, no database."""
from datetime import date, timedelta

import pytest

from portal.rules import availability as rule

TODAY = date(2026, 11, 25)
DAY = timedelta(days=1)
OPEN_MENTOR = dict(login_set_up=True, listed=True, paused=False, leave_from=None, leave_until=None, capacity=2,
                   places_taken=0)


@pytest.mark.parametrize("changes, expected", [
    ({}, rule.OPEN),
    ({"places_taken": 1}, rule.OPEN),
    ({"places_taken": 2}, rule.FULL),
    ({"capacity": 1, "places_taken": 2}, rule.FULL),  # a capacity lowered below the places taken
    ({"capacity": 0}, rule.CLOSED),
    ({"capacity": 0, "places_taken": 1}, rule.CLOSED),
    ({"leave_from": TODAY, "leave_until": TODAY}, rule.ON_LEAVE),
    ({"leave_from": TODAY - DAY, "leave_until": TODAY + DAY}, rule.ON_LEAVE),
    ({"leave_from": TODAY + DAY, "leave_until": TODAY + 9 * DAY}, rule.OPEN),  # booked, not begun
    ({"leave_from": TODAY - 9 * DAY, "leave_until": TODAY - DAY}, rule.OPEN),  # over, not yet tidied away
    ({"paused": True}, rule.PAUSED),
    ({"listed": False}, rule.UNLISTED),
    ({"login_set_up": False}, rule.NOT_SET_UP),
    # The first reason that applies is the one given.
    ({"paused": True, "capacity": 0}, rule.PAUSED),
    ({"paused": True, "leave_from": TODAY, "leave_until": TODAY}, rule.PAUSED),
    ({"leave_from": TODAY, "leave_until": TODAY, "places_taken": 2}, rule.ON_LEAVE),
    ({"listed": False, "paused": True}, rule.UNLISTED),
    ({"login_set_up": False, "listed": False}, rule.NOT_SET_UP),
])
def test_where_a_mentor_stands(changes, expected):
    assert rule.state(**(OPEN_MENTOR | changes), today=TODAY) == expected


def test_every_state_is_either_offered_or_away():
    states = {rule.NOT_SET_UP, rule.UNLISTED, rule.PAUSED, rule.ON_LEAVE, rule.CLOSED, rule.FULL, rule.OPEN}
    assert set(rule.OFFERED) | set(rule.AWAY) == states
    assert not set(rule.OFFERED) & set(rule.AWAY)


@pytest.mark.parametrize("leave_from, leave_until, on_leave", [
    (None, None, False),
    (TODAY, TODAY, True),
    (TODAY - DAY, TODAY, True),
    (TODAY, TODAY + DAY, True),
    (TODAY + DAY, TODAY + DAY, False),
    (TODAY - DAY, TODAY - DAY, False),
])
def test_on_leave(leave_from, leave_until, on_leave):
    assert rule.on_leave(leave_from, leave_until, TODAY) is on_leave
