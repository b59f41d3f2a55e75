"""Working days in England: no Saturdays, Sundays or England and Wales bank holidays.

Bank holidays come from the `holidays` package, which computes them (Easter included) for any
year without a network, and carries the one-off ones the government announces.
"""
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from ..clock import from_london, to_london

# "By the end of the day" means 23:59 London time.
END_OF_DAY = time(23, 59)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


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
    today = to_london(now).date()
    last = to_london(until).date()
    left, day = 0, today
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day):
            left += 1
    return left
