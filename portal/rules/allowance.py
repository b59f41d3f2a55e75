"""The session allowance and the advised window (SCHEME.md, "Rules with numbers")."""
from datetime import datetime

from dateutil.relativedelta import relativedelta


def used_text(held: int, allowed: int) -> str:
    """"2 of 4 used"."""
    return f"{held} of {allowed} used"


def may_book(allowed: int, held: int, planned: int) -> bool:
    """Another session fits the allowance: those held and those still planned count against it."""
    return held + planned < allowed


def why_cannot_book(allowed: int, held: int, planned: int) -> str | None:
    if held >= allowed:
        return (f"All {allowed} sessions have been used. The mentee can ask the team for more, and the team "
                "can agree another set")
    if not may_book(allowed, held, planned):
        return (f"The sessions already planned use up the allowance ({held} held and {planned} planned, of "
                f"{allowed})")
    return None


def finished(allowed: int, held: int, planned: int) -> bool:
    """The allowance is used and nothing more is planned: the mentoring can close."""
    return held >= allowed and planned == 0


def nudge_due(opened_at: datetime, now: datetime, months: int) -> bool:
    """Time for a word about the advised window (default: 5 months after the match)."""
    return now >= opened_at + relativedelta(months=months)


def past_window(opened_at: datetime, now: datetime, months: int) -> bool:
    """Past the advised window (default 6 months): the admin dashboard flags it."""
    return now >= opened_at + relativedelta(months=months)


def cohort(closed_at: datetime) -> str:
    """The quarter a relationship closed in, e.g. "2026 Q4": as fine as a survey answer is kept."""
    return f"{closed_at.year} Q{(closed_at.month - 1) // 3 + 1}"


def sessions_band(held: int) -> str:
    return "4+" if held >= 4 else str(held)
