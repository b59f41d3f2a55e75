"""The request state machine and its companions, as tables: no Flask, no database."""
from datetime import datetime, timedelta

import pytest

from portal.rules import eligibility
from portal.rules import mentoring as mentoring_rules
from portal.rules import requests as rules
from portal.rules import workdays
from portal.rules.moves import MoveRefused

STATES = [rules.PENDING, rules.ACCEPTED, rules.DECLINED, rules.CANCELLED, rules.EXPIRED, rules.CLOSED]
ACTIONS = ["accept", "decline", "cancel", "expire", "close"]
ACTORS = [rules.MENTOR, rules.MENTEE, rules.ADMIN, rules.SYSTEM]

ALLOWED = {
    ("pending", "accept", "mentor"): "accepted",
    ("pending", "accept", "admin"): "accepted",
    ("pending", "decline", "mentor"): "declined",
    ("pending", "decline", "admin"): "declined",
    ("pending", "cancel", "mentee"): "cancelled",
    ("pending", "expire", "system"): "expired",
    ("pending", "close", "system"): "closed",
    ("pending", "close", "admin"): "closed",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_move_of_a_request(state, action, actor):
    expected = ALLOWED.get((state, action, actor))
    if expected:
        assert rules.request_move(state, action, actor).after == expected
    else:
        with pytest.raises(MoveRefused):
            rules.request_move(state, action, actor)


@pytest.mark.parametrize("state, action, actor, words", [
    ("accepted", "accept", "mentor", "already been accepted"),
    ("declined", "accept", "mentor", "already been declined"),
    ("expired", "accept", "mentor", "not answered in time"),
    ("cancelled", "decline", "mentor", "cancelled by the mentee"),
    ("pending", "accept", "mentee", "Only the admin or mentor can accept it"),
    ("pending", "cancel", "mentor", "Only the mentee can cancel it"),
])
def test_refusals_say_why(state, action, actor, words):
    with pytest.raises(MoveRefused, match=words):
        rules.request_move(state, action, actor)


@pytest.mark.parametrize("state, action, actor, after", [
    ("active", "close", "mentee", "closed"),
    ("active", "close", "system", "closed"),
    ("active", "withdraw", "admin", "withdrawn"),
    ("active", "withdraw", "mentee", None),
    ("withdrawn", "withdraw", "admin", None),
    ("closed", "close", "mentor", None),
])
def test_relationship_moves(state, action, actor, after):
    if after:
        assert mentoring_rules.relationship_move(state, action, actor).after == after
    else:
        with pytest.raises(MoveRefused):
            mentoring_rules.relationship_move(state, action, actor)


@pytest.mark.parametrize("note, problem", [
    ("Coming back after a year away.", None),
    ("", "Say briefly what you would like to talk about"),
    ("   \n ", "Say briefly what you would like to talk about"),
    ("x" * 1000, None),
    ("x" * 1001, "1,000 characters or fewer (it is 1,001)"),
])
def test_the_note_with_a_request(note, problem):
    found = rules.check_note(note)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize("message, problem", [("", None), ("Sorry, my rota is full.", None),
                                              ("x" * 500, None), ("x" * 501, "500 characters or fewer")])
def test_the_message_with_a_decline(message, problem):
    found = rules.check_decline_message(message)
    assert (found is None) if problem is None else (problem in found)


BASE = dict(is_self=False, confirmed=True, deactivated=False, has_waiting_request=False,
            has_active_relationship=False, mentor_state="open")


@pytest.mark.parametrize("changes, words", [
    ({}, None),
    ({"is_self": True}, "cannot ask yourself"),
    ({"confirmed": False}, "Confirm your email address"),
    ({"deactivated": True}, "account is paused"),
    ({"has_waiting_request": True}, "one mentor at a time"),
    ({"has_active_relationship": True}, "already have a mentor"),
    ({"mentor_state": "full"}, "join their waiting list"),
    ({"mentor_state": "paused"}, "not taking mentees just now"),
    ({"mentor_state": "leave"}, "not taking mentees just now"),
    ({"mentor_state": "unlisted"}, "not taking mentees just now"),
])
def test_who_may_ask_whom(changes, words):
    found = rules.why_cannot_request(**{**BASE, **changes})
    assert (found is None) if words is None else (words in found)


@pytest.mark.parametrize("deadline_utc, expected", [
    # Due end of Monday 4 January 2027: reminded Wednesday 30 December and Monday morning, 9am GMT.
    ("2027-01-04T23:59", ["2026-12-30T09:00", "2027-01-04T09:00"]),
    # Due end of Friday 3 July 2026 (BST): 9am London is 8am UTC.
    ("2026-07-03T22:59", ["2026-07-01T08:00", "2026-07-03T08:00"]),
])
def test_reminder_times(deadline_utc, expected):
    times = workdays.reminder_times(datetime.fromisoformat(deadline_utc), [2, 0], 9)
    assert times == [datetime.fromisoformat(t) for t in expected]


def test_deactivation_dates():
    started = datetime(2026, 11, 30, 10, 0)
    due = eligibility.deactivation_due(started, 3)
    assert due == datetime(2027, 2, 28, 10, 0)
    assert eligibility.warning_times(due, [14, 2]) == [datetime(2027, 2, 14, 10, 0), datetime(2027, 2, 26, 10, 0)]
    # The indexed first cut never misses someone whose first warning is due.
    first_warning = eligibility.warning_times(due, [14, 2])[0]
    assert started <= eligibility.attention_from(first_warning, 3, [14, 2])
    assert started > eligibility.attention_from(first_warning - timedelta(days=20), 3, [14, 2])


@pytest.mark.parametrize("started", [datetime(2026, 11, 30, 10, 0), datetime(2026, 8, 31, 23, 0),
                                     datetime(2027, 1, 31, 9, 0), datetime(2026, 2, 28, 12, 0)])
def test_the_first_cut_finds_each_warning_and_the_deactivation_the_moment_each_is_due(started):
    """For each warning and for the deactivation, on the day it falls due the first cut includes the
    mentee (and the warnings they have already had leave them out), whatever the months' lengths."""
    due = eligibility.deactivation_due(started, 3)
    for n, moment in enumerate(eligibility.warning_times(due, [14, 2]), start=1):
        cuts = dict(eligibility.warnings_due_from(moment, 3, [14, 2]))
        assert started <= cuts[n]
    assert started <= eligibility.deactivation_from(due, 3)
    assert started > eligibility.deactivation_from(due - timedelta(days=10), 3)
