"""Which kind each email is, and what a kind means: whether it may wait for a person's daily summary,
and whether they can turn it off.

A busy trainee who gets several separate emails a day stops reading them all, so news that needs
nothing from them may come in one daily summary, or not at all, as they choose. What needs an answer
or is time-critical always comes at once and cannot be turned off.
"""
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from portal.core.clock import from_london, to_london

# Links to confirm an address, reset a password or accept an invitation, and notices about the account
# itself (its password changed, a role added, paused or reopened): at once, always.
ACCOUNT = "account"
# Needs an answer or is time-critical (a request to answer and its reminders, a deadline near, a session
# to confirm or about to happen, a cancellation at short notice): at once, always.
ACTION = "action"
# Needs nothing from the person (a session confirmed, a waiting list closed, a survey reminder): at once,
# in their daily summary, or not at all, as they choose.
NEWS = "news"
# News, unless what it cancels is close (see kind_of): a cancellation within the usual notice is action.
CANCELLATION = "cancellation"
# To the scheme's shared inbox: at once; no one's preference applies to a shared address.
TEAM = "team"
# The daily summary itself: never held again; stopping it stops the news it carries.
SUMMARY = "summary"
# The team's weekly summary: it always goes to the shared inbox, and to each admin who keeps their copy.
WEEKLY = "weekly"

# Every email, by its template (templates/emails/<name>.md). A new email has no kind until it is given
# one here, and tests/rules/test_email_kinds.py fails until it is.
KINDS = {
    "confirm_email": ACCOUNT,
    "reset_password": ACCOUNT,
    "invitation": ACCOUNT,
    "password_changed": ACCOUNT,
    "change_email": ACCOUNT,
    "email_changed": ACCOUNT,
    "signup_existing": ACCOUNT,
    "role_added": ACCOUNT,
    "interest_received": ACCOUNT,
    "mentee_deactivated": ACCOUNT,
    "mentee_reactivated": ACCOUNT,
    "request_new": ACTION,
    "request_reminder": ACTION,
    "deactivation_warning": ACTION,
    "waitlist_offer": ACTION,  # the place is held for a few working days only
    "request_accepted_mentee": ACTION,  # get in touch and plan a first session
    "request_accepted_mentor": ACTION,
    "request_declined": ACTION,  # choose another mentor
    "request_expired_mentee": ACTION,
    "request_closed_mentee": ACTION,
    "session_proposed": ACTION,  # a time to confirm
    "session_reminder": ACTION,  # tomorrow
    "session_outcome": ACTION,  # did it take place?
    "close_suggested": ACTION,  # agree to end, or not
    "request_choices_ended": ACTION,  # no backup left: choose again
    "request_question": ACTION,  # the mentor waits for the mentee's answer before deciding
    "request_reply": ACTION,  # the mentee's answer: the request still waits for the mentor
    "inbox_reply": ACTION,  # the team writing to one person
    "session_cancelled": CANCELLATION,
    "session_cancelled_own": CANCELLATION,
    "relationship_closed": CANCELLATION,  # carries the cancellations of any sessions still planned
    "relationship_withdrawn": CANCELLATION,
    "session_confirmed": NEWS,
    "sessions_granted": NEWS,
    "request_cancelled": NEWS,
    "request_expired_mentor": NEWS,
    "waitlist_closed": NEWS,
    "waitlist_left": NEWS,
    "leave_ended": NEWS,
    "pause_ended": NEWS,
    "request_passed_on": NEWS,  # the next choice has been asked: nothing to do but wait
    "window_nudge": NEWS,
    "survey_invite": NEWS,
    "inbox_new": TEAM,
    "daily_summary": SUMMARY,
    "weekly_summary": WEEKLY,
}

class NewsChoice(StrEnum):
    """How a person takes their news (EmailPreference.news): as it happens (the default), in one daily
    summary, or not by email."""

    AT_ONCE = "at_once"
    DAILY = "daily"
    OFF = "off"


NEWS_CHOICES = {
    NewsChoice.AT_ONCE: "As it happens",
    NewsChoice.DAILY: "In one daily summary",
    NewsChoice.OFF: "Not by email",
}
SUMMARY_HOURS = range(6, 22)  # the times offered for the daily summary, London time
DEFAULT_SUMMARY_HOUR = 8

# What one click in an email can turn off, and the kinds it turns off.
STOPPABLE = {"news": {NEWS, SUMMARY}, "weekly": {WEEKLY}}

# What mail.send does with an email.
SEND, HOLD, SKIP = "send", "hold", "skip"

# The team's weekly summary: Monday at 08:00, London time.
WEEKLY_DAY, WEEKLY_HOUR = 0, 8


def kind_of(template: str, urgent: bool = False) -> str:
    """The kind of an email; a cancellation is action when `urgent` (what it cancels is within the usual
    notice). A KeyError for an email with no kind: the test of the table catches it first."""
    kind = KINDS[template]
    if kind == CANCELLATION:
        return ACTION if urgent else NEWS
    return kind


def delivery(kind: str, news: str = NewsChoice.AT_ONCE, weekly: bool = True) -> str:
    """SEND now, HOLD for the daily summary, or SKIP, for an email of `kind` to a person whose choices
    are `news` (a key of NEWS_CHOICES) and `weekly` (keeps their copy of the weekly summary)."""
    if kind == NEWS:
        return {NewsChoice.AT_ONCE: SEND, NewsChoice.DAILY: HOLD, NewsChoice.OFF: SKIP}[news]
    if kind == SUMMARY:
        return SKIP if news == NewsChoice.OFF else SEND
    if kind == WEEKLY:
        return SEND if weekly else SKIP
    return SEND


def stoppable(kind: str) -> str | None:
    """What one click in an email of this kind turns off (a key of STOPPABLE), or None when it is
    needed and so cannot be turned off."""
    return next((what for what, kinds in STOPPABLE.items() if kind in kinds), None)


def next_summary(after: datetime, hour: int) -> datetime:
    """The first daily summary strictly after `after` (naive UTC), at `hour` London time, as naive UTC:
    the same wall-clock hour on either side of a change of the clocks."""
    day = to_london(after).date()
    while True:
        moment = from_london(datetime.combine(day, time(hour)))
        if moment > after:
            return moment
        day += timedelta(days=1)


def weekly_summary_due(now: datetime) -> date | None:
    """The Monday whose weekly summary is due at `now` (naive UTC): from 08:00 London time to the end of
    that Monday, so a sweep missed at 08:00 still sends it later that morning. None on other days."""
    local = to_london(now)
    if local.weekday() == WEEKLY_DAY and local.hour >= WEEKLY_HOUR:
        return local.date()
    return None
