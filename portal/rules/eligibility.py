"""Who may join as a mentee (SCHEME.md, "People and roles")."""
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

# What a trainee declares at sign-up; only the first two may join.
DECLARATIONS = {
    "out_now": "I am out of training now",
    "planning": "I am planning to go out of training and have completed an absence planning form",
    "planning_no_form": "I am planning to go out of training but have not completed an absence planning form yet",
    "neither": "None of these describes me",
}
ELIGIBLE = {"out_now", "planning"}

REASONS = {
    "parental_leave": "Parental leave",
    "sick_leave": "Sick leave",
    "out_of_programme": "Out of programme (OOP)",
    "suspension": "Suspension",
    "other": "Another reason",
}

# Parental leave, sick leave and time out of programme rarely pass three years; five covers
# every case we know of while still catching a mistyped year.
LATEST_RETURN_YEARS = 5


def may_join(declaration: str) -> bool:
    return declaration in ELIGIBLE


def check_return_date(expected: date, declaration: str, today: date) -> str | None:
    """Why an expected return date makes no sense, or None when it does."""
    if expected < today:
        return "Your expected return date must be today or in the future"
    if declaration == "planning" and expected == today:
        return "You have not gone out of training yet, so your return date must be after today"
    if expected > today + timedelta(days=round(365.25 * LATEST_RETURN_YEARS)):
        return f"Your expected return date must be within {LATEST_RETURN_YEARS} years of today"
    return None


def deactivation_due(period_started_at: datetime, months: int) -> datetime:
    """When a mentee who has not been matched is deactivated: `months` after their period began."""
    return period_started_at + relativedelta(months=months)


def warning_times(due: datetime, days_before: list[int]) -> list[datetime]:
    """When to warn of a deactivation, earliest first."""
    return sorted(due - timedelta(days=days) for days in days_before)


# Generous for months of different lengths: the thresholds below are a first cut for an indexed
# query, and each mentee it finds is checked exactly with deactivation_due and warning_times.
MONTH_SLACK = timedelta(days=3)


def attention_from(now: datetime, months: int, warn_days: list[int]) -> datetime:
    """Mentees whose period began on or before this may be due a warning or deactivation now."""
    return now + timedelta(days=max(warn_days, default=0)) + MONTH_SLACK - relativedelta(months=months)


def warnings_due_from(now: datetime, months: int, warn_days: list[int]) -> list[tuple[int, datetime]]:
    """(n, started): a mentee whose period began on or before `started` may be due their n-th warning
    now (n counting from the earliest); one already warned n times has nothing more due from it."""
    return [(n, now + timedelta(days=days) + MONTH_SLACK - relativedelta(months=months))
            for n, days in enumerate(sorted(warn_days, reverse=True), start=1)]


def deactivation_from(now: datetime, months: int) -> datetime:
    """Mentees whose period began on or before this may be due deactivation now."""
    return now + MONTH_SLACK - relativedelta(months=months)


def why_not_deactivate(*, deactivated: bool, waiting_for_answer: bool, in_mentoring: bool) -> str | None:
    """Why the team cannot close a mentee's account by hand (None when they can). It is the state the
    sweep leaves an idle mentee in, so, as for the sweep, a request waiting for an answer or a mentoring
    under way keeps it open: each ends its own way first, telling the mentor."""
    if deactivated:
        return "Their account is already deactivated."
    if in_mentoring:
        return "They are in mentoring: end the mentoring first."
    if waiting_for_answer:
        return "They are waiting for a mentor's answer: that request needs to end first."
    return None
