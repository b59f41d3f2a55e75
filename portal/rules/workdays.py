"""Working days in England: no Saturdays, Sundays or England and Wales bank holidays.

Bank holidays come from the `holidays` package, which computes them (Easter included) for any
year without a network, and carries the one-off ones the government announces.
"""
from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from portal.core.clock import from_london, to_london

# "By the end of the day" means 23:59 London time.
END_OF_DAY = time(23, 59)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


@lru_cache(maxsize=64)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    return tuple(sorted(day for day in _bank_holidays(year) if day.weekday() < 5))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The count-th working day after `start` (`start` itself never counts)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def deadline(made_at: datetime, working_days: int) -> datetime:
    """When something made at `made_at` (naive UTC) runs out: the end of the working_days-th
    working day after the London day it was made on, as naive UTC."""
    last_day = add_working_days(to_london(made_at).date(), working_days)
    return from_london(datetime.combine(last_day, END_OF_DAY))


def working_days_left(now: datetime, until: datetime) -> int:
    """Working days from today (London) up to and including the day of `until`; 0 once it is
    the last day or later. A deadline on Friday seen on Wednesday has 2 left: Thursday and Friday."""
    return working_days_between(to_london(now).date(), to_london(until).date())


def working_days_between(start: date, end: date) -> int:
    """Working days after `start`, up to and including `end` (0 when `end` is not after `start`).
    Counted, not walked: the reports measure thousands of waits at once."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    weekdays = weeks * 5 + sum(1 for n in range(1, rest + 1) if (start + timedelta(days=weeks * 7 + n)).weekday() < 5)
    holidays_in = 0
    for year in range(start.year, end.year + 1):
        off = _weekday_holidays(year)
        holidays_in += bisect_right(off, end) - bisect_right(off, start)
    return weekdays - holidays_in


def subtract_working_days(end: date, count: int) -> date:
    """The working day `count` working days before `end` (`end` itself when count is 0)."""
    day = end
    remaining = count
    while remaining > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def reminder_times(deadline_utc: datetime, working_days_before: list[int], hour: int) -> list[datetime]:
    """When to remind someone of a deadline: at `hour` London time on each working day so many
    working days before the deadline's day (0: the morning of the last day), earliest first."""
    last_day = to_london(deadline_utc).date()
    times = {from_london(datetime.combine(subtract_working_days(last_day, n), time(hour)))
             for n in working_days_before}
    return sorted(t for t in times if t < deadline_utc)
