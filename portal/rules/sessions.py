"""Planning a session: when it may be, how long, how it is held; cancelling with notice."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

MIN_MINUTES, MAX_MINUTES = 30, 120


class SessionStatus(StrEnum):
    """A MentoringSession's status: asked for, agreed, then took place or did not; or called off, or
    moved to a new time (replaced)."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    HELD = "held"
    NOT_HELD = "not_held"
    CANCELLED = "cancelled"
    REPLACED = "replaced"


PLANNED = (SessionStatus.PROPOSED, SessionStatus.CONFIRMED)  # sessions still to happen


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    def overlaps(self, other: "Slot") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


def problems(slot: Slot, now: datetime, others: list[Slot], mode: str, platform: str, location: str,
             platforms: set[str]) -> dict[str, str]:
    """Field -> why a proposed session cannot be planned (empty when it can)."""
    found = {}
    if slot.starts_at <= now:
        found["date"] = "The session must be in the future"
    if not MIN_MINUTES <= slot.minutes <= MAX_MINUTES:
        found["length"] = f"A session lasts from {MIN_MINUTES} to {MAX_MINUTES} minutes"
    elif any(slot.overlaps(other) for other in others):
        found["start"] = "This overlaps another session already planned: choose another time"
    if mode == "video" and platform not in platforms:
        found["platform"] = "Choose the platform you will use"
    if mode == "in_person" and not location.strip():
        found["location"] = "Say where you will meet"
    if mode not in ("video", "in_person"):
        found["mode"] = "Choose how you will meet"
    return found


def notice_hours(starts_at: datetime, now: datetime) -> int:
    """Whole hours of notice a cancellation gives (0 if the session has begun)."""
    return max(0, int((starts_at - now).total_seconds() // 3600))


def short_notice(starts_at: datetime, now: datetime, usual_hours: int) -> bool:
    return (starts_at - now) < timedelta(hours=usual_hours)
