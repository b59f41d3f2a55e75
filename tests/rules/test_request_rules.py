"""The request state machine and its companions, as tables: no Flask, no database."""
from datetime import date, datetime, timedelta

import pytest

from portal.rules import availability, eligibility
from portal.rules import mentoring as mentoring_rules
from portal.rules import requests as rules
from portal.rules import workdays
from portal.rules.moves import MoveRefused
from portal.rules.requests import RequestStatus

STATES = list(RequestStatus)
ACTIONS = ["accept", "decline", "cancel", "expire", "close", "ask", "skip", "drop"]
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
    # A backup is sent when its turn comes, passed over when its mentor has no room, or dropped (by the
    # mentee changing their backups, or by the portal when the search ends). Nothing else touches it.
    ("backup", "ask", "system"): "pending",
    ("backup", "skip", "system"): "skipped",
    ("backup", "drop", "mentee"): "dropped",
    ("backup", "drop", "system"): "dropped",
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
    ({"mentor_state": "full", "has_waiting_request": True}, "you can join this mentor's waiting list meanwhile"),
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


OPEN, FULL, PAUSED, ON_LEAVE = "open", "full", "paused", "leave"


@pytest.mark.parametrize("ended, backups, ask, skip, drop", [
    ("declined", [OPEN, OPEN], 0, [], []),  # decline: the next is asked
    ("expired", [OPEN], 0, [], []),  # the deadline passed: the next is asked
    ("closed", [OPEN], 0, [], []),  # the mentor went away: the next is asked
    ("declined", [FULL, OPEN], 1, [0], []),  # the next is full: skipped, the one after asked
    ("expired", [PAUSED, ON_LEAVE, OPEN], 2, [0, 1], []),  # gone on leave or paused since: skipped
    ("declined", [FULL, PAUSED], None, [0, 1], []),  # all gone: back to choosing
    ("declined", [], None, [], []),  # no backups: back to choosing
    ("accepted", [OPEN, FULL], None, [], [0, 1]),  # a match: the backups are not needed
    ("cancelled", [OPEN], None, [], [0]),  # withdrawn: the backups go with it
])
def test_what_happens_to_the_backups_when_a_request_ends(ended, backups, ask, skip, drop):
    plan = rules.next_in_line(ended, backups)
    assert (plan.ask, plan.skip, plan.drop) == (ask, skip, drop)
    assert plan.back_to_choosing == (ask is None)


def test_a_request_still_waiting_has_not_ended():
    with pytest.raises(ValueError):
        rules.next_in_line("pending", [OPEN])


@pytest.mark.parametrize("backups, problems", [
    ([], {}),
    ([2, 3], {}),
    ([1], {0: "someone other than the mentor you are asking"}),
    ([2, 2], {1: "named this mentor already"}),
    ([9], {0: "not taking requests just now"}),
    ([7], {0: "cannot name yourself"}),
    ([2, 3, 4], {2: "up to 2 backups"}),
    ([9, 1], {0: "not taking requests just now", 1: "someone other than the mentor you are asking"}),
])
def test_who_can_be_a_backup(backups, problems):
    found = rules.check_backups(1, backups, on_offer={1, 2, 3, 4, 7}, own=7)
    assert set(found) == set(problems)
    for index, words in problems.items():
        assert words in found[index]


@pytest.mark.parametrize("days, usual", [
    ([], None), ([1, 2], None), ([0, 0, 4], 0), ([1, 2, 3, 4], 3), ([5, 1, 2], 2), ([0, 1, 1, 1, 9], 1)])
def test_usually_answers_within(days, usual):
    assert rules.usual_answer_days(days) == usual


@pytest.mark.parametrize("check, text, problem", [
    (rules.check_question, "Are evenings all right for you?", None),
    (rules.check_question, "  ", "Write your question"),
    (rules.check_question, "x" * 300, None),
    (rules.check_question, "x" * 301, "300 characters or fewer (it is 301)"),
    (rules.check_reply, "Yes, evenings suit me.", None),
    (rules.check_reply, "", "Write your answer"),
    (rules.check_reply, "x" * 1001, "1,000 characters or fewer (it is 1,001)"),
])
def test_a_question_before_answering_and_its_reply(check, text, problem):
    found = check(text)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize("until, problem", [
    ("2026-12-02", None), ("2027-12-01", None),
    ("2026-12-01", "after today"), ("2026-11-30", "after today"),
    ("2027-12-03", "within a year"),
])
def test_a_pause_until_a_day(until, problem):
    found = availability.check_pause_until(date.fromisoformat(until), date(2026, 12, 1))
    assert (found is None) if problem is None else (problem in found)
