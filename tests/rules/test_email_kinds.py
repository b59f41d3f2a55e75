"""Which kind each email is, which kinds wait for a daily summary, and when the summaries fall."""
from datetime import date, datetime
from pathlib import Path

import pytest

from portal.rules import emails as rules
from portal.rules.emails import NewsChoice

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
TEMPLATES = sorted(p.stem for p in EMAILS.glob("*.md") if not p.stem.startswith("_"))


def test_every_email_has_a_kind():
    missing = sorted(set(TEMPLATES) - rules.KINDS.keys())
    assert not missing, ("Give each new email a kind in KINDS, portal/rules/emails.py (does it need an answer, or is "
                         f"it news that may wait for a daily summary?): {', '.join(missing)}")
    assert not rules.KINDS.keys() - set(TEMPLATES), "KINDS names an email that no longer exists"
    assert set(rules.KINDS.values()) <= {rules.ACCOUNT, rules.ACTION, rules.NEWS, rules.CANCELLATION, rules.TEAM,
                                         rules.SUMMARY, rules.WEEKLY}


# The issue's own list: never held back, whatever the person chose.
NEVER_HELD = ["request_new", "request_reminder", "deactivation_warning", "reset_password", "confirm_email",
              "invitation"]
# Its examples of news that needs no action.
MAY_WAIT = ["session_confirmed", "waitlist_closed", "survey_invite"]


@pytest.mark.parametrize("template", NEVER_HELD)
@pytest.mark.parametrize("news", list(rules.NEWS_CHOICES))
def test_what_needs_action_or_is_time_critical_always_goes_at_once(template, news):
    assert rules.delivery(rules.kind_of(template), news) == rules.SEND
    assert rules.stoppable(rules.kind_of(template)) is None  # and cannot be turned off


@pytest.mark.parametrize("template", MAY_WAIT)
def test_news_goes_as_the_person_chose(template):
    kind = rules.kind_of(template)
    assert [rules.delivery(kind, news) for news in (NewsChoice.AT_ONCE, NewsChoice.DAILY, NewsChoice.OFF)] == [
        rules.SEND, rules.HOLD, rules.SKIP]
    assert rules.stoppable(kind) == "news"


@pytest.mark.parametrize("template", ["session_cancelled", "session_cancelled_own", "relationship_withdrawn"])
def test_a_cancellation_at_short_notice_is_never_held_and_one_further_off_is_news(template):
    assert rules.kind_of(template, urgent=True) == rules.ACTION
    assert rules.delivery(rules.kind_of(template, urgent=True), NewsChoice.DAILY) == rules.SEND
    assert rules.delivery(rules.kind_of(template, urgent=False), NewsChoice.DAILY) == rules.HOLD


def test_the_summaries_themselves():
    summary, weekly = rules.kind_of("daily_summary"), rules.kind_of("weekly_summary")
    assert [rules.delivery(summary, news) for news in (NewsChoice.AT_ONCE, NewsChoice.DAILY, NewsChoice.OFF)] == [
        rules.SEND, rules.SEND, rules.SKIP]  # never held again; none once news is off
    assert rules.stoppable(summary) == "news"
    assert rules.delivery(weekly, weekly=True) == rules.SEND and rules.delivery(weekly, weekly=False) == rules.SKIP
    assert rules.stoppable(weekly) == "weekly"
    assert rules.delivery(rules.kind_of("inbox_new"), NewsChoice.OFF) == rules.SEND


@pytest.mark.parametrize("after, hour, expected", [
    # Summer (BST): 08:00 London is 07:00 UTC.
    ("2026-07-01T06:59", 8, "2026-07-01T07:00"),
    ("2026-07-01T07:00", 8, "2026-07-02T07:00"),  # strictly after: the one just sent is done
    # The clocks go back at 02:00 BST on Sunday 25 October 2026: 08:00 that morning is 08:00 UTC.
    ("2026-10-24T07:30", 8, "2026-10-25T08:00"),
    ("2026-10-25T07:30", 8, "2026-10-25T08:00"),  # 07:30 UTC is 07:30 GMT: before 8
    ("2026-10-25T08:00", 8, "2026-10-26T08:00"),
    # The clocks go forward at 01:00 GMT on Sunday 28 March 2027: 08:00 that morning is 07:00 UTC.
    ("2027-03-27T08:30", 8, "2027-03-28T07:00"),
    ("2027-03-28T06:30", 8, "2027-03-28T07:00"),
    ("2027-03-28T07:30", 8, "2027-03-29T07:00"),
    # An evening summary, across the night of a change.
    ("2026-10-24T20:00", 21, "2026-10-25T21:00"),
    ("2026-10-24T19:00", 21, "2026-10-24T20:00"),
])
def test_a_daily_summary_keeps_its_london_hour_across_a_change_of_the_clocks(after, hour, expected):
    assert rules.next_summary(datetime.fromisoformat(after), hour) == datetime.fromisoformat(expected)


@pytest.mark.parametrize("now, expected", [
    ("2026-10-26T07:59", None),  # Monday after the clocks went back: 08:00 GMT
    ("2026-10-26T08:00", "2026-10-26"),
    ("2026-10-26T23:59", "2026-10-26"),  # still that Monday in London
    ("2026-10-27T00:00", None),  # Tuesday
    ("2026-10-19T06:59", None),  # a Monday in summer: 08:00 BST is 07:00 UTC
    ("2026-10-19T07:00", "2026-10-19"),
    ("2027-03-29T07:00", "2027-03-29"),  # the Monday after the clocks went forward
    ("2027-03-29T06:59", None),
    ("2027-03-28T23:30", None),  # 00:30 BST on Monday: too early
    ("2027-03-28T12:00", None),  # a Sunday
])
def test_the_weekly_summary_is_due_from_eight_on_monday_london_time(now, expected):
    due = rules.weekly_summary_due(datetime.fromisoformat(now))
    assert due == (date.fromisoformat(expected) if expected else None)
