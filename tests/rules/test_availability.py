"""Whether a mentor is available today, as a table: no Flask, no database."""
from datetime import date, timedelta

import pytest

from portal.rules import availability as rule
from portal.rules.availability import MentorState

TODAY = date(2026, 11, 25)
DAY = timedelta(days=1)
OPEN_MENTOR = dict(login_set_up=True, listed=True, paused=False, leave_from=None, leave_until=None, capacity=2,
                   places_taken=0)


@pytest.mark.parametrize("changes, expected", [
    ({}, MentorState.OPEN),
    ({"places_taken": 1}, MentorState.OPEN),
    ({"places_taken": 2}, MentorState.FULL),
    ({"capacity": 1, "places_taken": 2}, MentorState.FULL),  # a capacity lowered below the places taken
    ({"capacity": 0}, MentorState.CLOSED),
    ({"capacity": 0, "places_taken": 1}, MentorState.CLOSED),
    ({"leave_from": TODAY, "leave_until": TODAY}, MentorState.ON_LEAVE),
    ({"leave_from": TODAY - DAY, "leave_until": TODAY + DAY}, MentorState.ON_LEAVE),
    ({"leave_from": TODAY + DAY, "leave_until": TODAY + 9 * DAY}, MentorState.OPEN),  # booked, not begun
    ({"leave_from": TODAY - 9 * DAY, "leave_until": TODAY - DAY}, MentorState.OPEN),  # over, not yet tidied away
    ({"paused": True}, MentorState.PAUSED),
    ({"listed": False}, MentorState.UNLISTED),
    ({"login_set_up": False}, MentorState.NOT_SET_UP),
    # The first reason that applies is the one given.
    ({"paused": True, "capacity": 0}, MentorState.PAUSED),
    ({"paused": True, "leave_from": TODAY, "leave_until": TODAY}, MentorState.PAUSED),
    ({"leave_from": TODAY, "leave_until": TODAY, "places_taken": 2}, MentorState.ON_LEAVE),
    ({"listed": False, "paused": True}, MentorState.UNLISTED),
    ({"login_set_up": False, "listed": False}, MentorState.NOT_SET_UP),
])
def test_where_a_mentor_stands(changes, expected):
    assert rule.state(**(OPEN_MENTOR | changes), today=TODAY) == expected


def test_every_state_is_either_offered_or_away():
    assert set(rule.OFFERED) | set(rule.AWAY) == set(MentorState)
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
