"""The one clock of the portal.

Times are naive UTC everywhere in the database and in code; pages and emails show them in
Europe/London. Tests move this clock instead of sleeping (see `travel`).
"""
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc).replace(tzinfo=None) + _offset


def today_london() -> date:
    return to_london(now()).date()


def to_london(moment: datetime) -> datetime:
    """A naive UTC time as an aware time in London."""
    return moment.replace(tzinfo=timezone.utc).astimezone(LONDON)


def from_london(moment: datetime) -> datetime:
    """An aware time (or a naive London wall-clock time) as naive UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@contextmanager
def travel(by: timedelta):
    """Move the clock forward (or back) for the duration of a block."""
    global _offset
    before = _offset
    _offset = before + by
    try:
        yield
    finally:
        _offset = before


@contextmanager
def frozen(at: datetime):
    """Stop the clock at a naive UTC time for the duration of a block."""
    global _frozen
    before = _frozen
    _frozen = at
    try:
        yield
    finally:
        _frozen = before
