"""The allowance, the window, planning and cancelling sessions, and the survey's arithmetic: tables."""
from datetime import datetime, timedelta

import pytest

from portal.rules import allowance
from portal.rules import sessions as rules
from portal.rules import survey
from tests.support.forms import GOOD

NOW = datetime(2026, 11, 25, 12, 0)
PLATFORMS = {"zoom", "teams"}


@pytest.mark.parametrize("allowed, held, planned, may, finished", [
    (4, 0, 0, True, False),
    (4, 3, 0, True, False),
    (4, 3, 1, False, False),
    (4, 4, 0, False, True),
    (4, 4, 1, False, False),
    (8, 4, 0, True, False),
    (4, 5, 0, False, True),
])
def test_the_allowance(allowed, held, planned, may, finished):
    assert allowance.may_book(allowed, held, planned) is may
    assert (allowance.why_cannot_book(allowed, held, planned) is None) is may
    assert allowance.finished(allowed, held, planned) is finished


def test_the_allowance_in_words():
    assert allowance.used_text(2, 4) == "2 of 4 used"
    assert "can ask the team for more" in allowance.why_cannot_book(4, 4, 0)
    assert "already planned use up" in allowance.why_cannot_book(4, 2, 2)


@pytest.mark.parametrize("opened, now, nudge, past", [
    ("2026-06-25", "2026-11-24", False, False),
    ("2026-06-25", "2026-11-25", True, False),
    ("2026-05-25", "2026-11-25", True, True),
    ("2026-08-31", "2027-01-31", True, False),  # month ends: 31 Aug + 5 months is 31 Jan
])
def test_the_advised_window(opened, now, nudge, past):
    opened_at, moment = datetime.fromisoformat(opened), datetime.fromisoformat(now)
    assert allowance.nudge_due(opened_at, moment, 5) is nudge
    assert allowance.past_window(opened_at, moment, 6) is past


@pytest.mark.parametrize("closed, cohort", [("2026-01-01", "2026 Q1"), ("2026-03-31", "2026 Q1"),
                                            ("2026-04-01", "2026 Q2"), ("2026-12-31", "2026 Q4")])
def test_survey_cohorts_are_quarters(closed, cohort):
    assert allowance.cohort(datetime.fromisoformat(closed)) == cohort


@pytest.mark.parametrize("held, band", [(0, "0"), (1, "1"), (3, "3"), (4, "4+"), (9, "4+")])
def test_sessions_bands(held, band):
    assert allowance.sessions_band(held) == band


OTHER = rules.Slot(datetime(2026, 12, 1, 18, 0), 60)


@pytest.mark.parametrize("start, minutes, mode, platform, location, fields", [
    ("2026-12-01T19:00", 60, "video", "zoom", "", set()),  # straight after the other one
    ("2026-12-01T17:00", 60, "in_person", "", "A quiet room at the library", set()),
    ("2026-11-25T11:59", 60, "video", "zoom", "", {"date"}),
    ("2026-12-01T18:30", 60, "video", "zoom", "", {"start"}),
    ("2026-12-01T17:30", 45, "video", "zoom", "", {"start"}),
    ("2026-12-02T10:00", 29, "video", "zoom", "", {"length"}),
    ("2026-12-02T10:00", 121, "video", "zoom", "", {"length"}),
    ("2026-12-02T10:00", 60, "video", "", "", {"platform"}),
    ("2026-12-02T10:00", 60, "video", "carrier pigeon", "", {"platform"}),
    ("2026-12-02T10:00", 60, "in_person", "", "  ", {"location"}),
    ("2026-12-02T10:00", 60, "telepathy", "", "", {"mode"}),
])
def test_planning_a_session(start, minutes, mode, platform, location, fields):
    found = rules.problems(rules.Slot(datetime.fromisoformat(start), minutes), NOW, [OTHER], mode, platform, location,
                           PLATFORMS)
    assert set(found) == fields


@pytest.mark.parametrize("starts_in, hours, short", [
    (timedelta(days=3), 72, False),
    (timedelta(hours=24), 24, False),
    (timedelta(hours=23, minutes=59), 23, True),
    (timedelta(hours=2), 2, True),
    (timedelta(hours=-1), 0, True),
])
def test_notice_for_a_cancellation(starts_in, hours, short):
    assert rules.notice_hours(NOW + starts_in, NOW) == hours
    assert rules.short_notice(NOW + starts_in, NOW, 24) is short


@pytest.mark.parametrize("changes, problems", [
    ({}, set()),
    ({"useful": "6"}, {"useful"}),
    ({"useful": "0"}, {"useful"}),
    ({"useful": ""}, {"useful"}),
    ({"sessions": "lots"}, {"sessions"}),
    ({"better": "x" * 1001}, {"better"}),
    ({"better": "More evening mentors"}, set()),
])
def test_survey_answers_are_checked(changes, problems):
    answers, found = survey.check({**GOOD, **changes})
    assert set(found) == problems
    if not problems:
        assert answers["useful"] == GOOD["useful"] and ("better" in answers) == bool(changes.get("better"))


def test_survey_results_hide_small_groups():
    four = [dict(GOOD, better=f"idea {n}") for n in range(4)]
    assert survey.summarise(four, 5) == {"total": 4, "shown": False, "questions": []}

    answers = [dict(GOOD, better=f"idea {n}") for n in range(5)] + [dict(GOOD, useful="2", better="")] * 2
    result = survey.summarise(answers, 5, shuffle=lambda texts: texts.reverse())
    useful = next(q for q in result["questions"] if q["question"]["key"] == "useful")
    by_label = {c["label"]: c for c in useful["counts"]}
    assert by_label["Extremely useful"]["count"] == 5
    assert by_label["A little useful"] == {"label": "A little useful", "count": None, "hidden": True}
    assert by_label["Not useful"] == {"label": "Not useful", "count": None, "hidden": False}
    better = next(q for q in result["questions"] if q["question"]["key"] == "better")
    assert better["texts"] == [f"idea {n}" for n in reversed(range(5))]


def test_free_text_waits_for_five_answers():
    answers = [dict(GOOD, better="" if n else "one idea") for n in range(6)]
    better = next(q for q in survey.summarise(answers, 5)["questions"] if q["question"]["key"] == "better")
    assert better["texts"] == [] and better["text_count_hidden"]
