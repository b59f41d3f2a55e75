"""Working-day arithmetic, checked against the published England and Wales bank holidays."""
from datetime import date, datetime, timedelta

import pytest

from portal.rules.workdays import add_working_days, deadline, is_working_day, working_days_between, working_days_left

# gov.uk/bank-holidays, England and Wales
PUBLISHED = {
    2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
           "2026-12-28"],
    2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
           "2027-12-28"],
}


@pytest.mark.parametrize("year", PUBLISHED)
def test_bank_holidays_match_the_published_list(year):
    days = (date(year, 1, 1) + timedelta(days=n) for n in range(366))
    weekdays_off = {day for day in days if day.year == year and day.weekday() < 5 and not is_working_day(day)}
    assert weekdays_off == {date.fromisoformat(day) for day in PUBLISHED[year]}


@pytest.mark.parametrize("start, count, expected", [
    ("2026-11-23", 5, "2026-11-30"),  # Monday: the next Monday
    ("2026-11-27", 1, "2026-11-30"),  # Friday: the weekend does not count
    ("2026-11-28", 5, "2026-12-04"),  # Saturday: Monday is the first
    ("2026-12-23", 5, "2027-01-04"),  # across Christmas, Boxing Day (observed) and New Year
    ("2027-12-23", 2, "2027-12-29"),  # Christmas 2027 falls on a Saturday: both days moved
    ("2026-04-02", 1, "2026-04-07"),  # Easter: Good Friday and Easter Monday
    ("2027-03-25", 3, "2027-04-01"),
    ("2026-11-25", 0, "2026-11-25"),
])
def test_add_working_days(start, count, expected):
    assert add_working_days(date.fromisoformat(start), count) == date.fromisoformat(expected)


@pytest.mark.parametrize("made_at_utc, expected_utc", [
    # Winter (GMT): the end of the fifth working day is 23:59 UTC.
    ("2026-12-23T16:00", "2027-01-04T23:59"),
    # 23:30 UTC on a winter Monday is still Monday in London.
    ("2026-11-23T23:30", "2026-11-30T23:59"),
    # Summer (BST): 23:30 UTC on Sunday 28 June is 00:30 Monday in London, so Monday is day 0.
    ("2026-06-28T23:30", "2026-07-06T22:59"),
    # Across the clocks going forward (29 March 2026): made in GMT, due in BST.
    ("2026-03-25T12:00", "2026-04-01T22:59"),
    # Across the clocks going back (25 October 2026): made in BST, due in GMT.
    ("2026-10-21T12:00", "2026-10-28T23:59"),
    # Over Easter 2027.
    ("2027-03-24T09:00", "2027-04-02T22:59"),
])
def test_deadline_is_the_end_of_the_fifth_working_day_in_london(made_at_utc, expected_utc):
    assert deadline(datetime.fromisoformat(made_at_utc), 5) == datetime.fromisoformat(expected_utc)


@pytest.mark.parametrize("now, until, left", [
    ("2026-11-25T10:00", "2026-11-27T23:59", 2),   # Wednesday, due Friday
    ("2026-11-27T10:00", "2026-11-27T23:59", 0),   # the last day itself
    ("2026-11-27T10:00", "2026-11-30T23:59", 1),   # Friday, due Monday
    ("2026-12-23T16:00", "2027-01-04T23:59", 5),
    ("2026-11-30T10:00", "2026-11-27T23:59", 0),   # past
])
def test_working_days_left(now, until, left):
    assert working_days_left(datetime.fromisoformat(now), datetime.fromisoformat(until)) == left


def _walked(start: date, end: date) -> int:
    """Working days after start up to end, a day at a time."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


@pytest.mark.parametrize("start, end", [
    ("2026-12-23", "2027-01-04"), ("2026-11-27", "2026-11-30"), ("2026-11-28", "2026-11-29"),
    ("2026-04-02", "2026-04-07"), ("2025-06-01", "2027-06-01"), ("2026-11-25", "2026-11-25"),
    ("2026-11-25", "2026-11-20"), ("2027-12-24", "2027-12-29"),
])
def test_working_days_between_are_counted_as_they_would_be_walked(start, end):
    start, end = date.fromisoformat(start), date.fromisoformat(end)
    assert working_days_between(start, end) == _walked(start, end)
    every_day = [start + timedelta(days=n) for n in range(0, 40)]
    assert [working_days_between(start, day) for day in every_day] == [_walked(start, day) for day in every_day]
