"""Calendar entries (.ics) for sessions: the invitations emailed with each change, and a person's private
subscription feed (portal/mentoring/feed.py), so both calendars follow each change.

One UID for a session's whole life and a SEQUENCE that rises with each change, the same in an
invitation and in the feed: calendar programs then update or cancel the entry they already have rather
than adding another. Times are written in Europe/London, with the zone's definition in the file. An
entry says when, how long, how and where, and the other person's first name: nothing else, and never
anything said in mentoring.
"""
from datetime import datetime, timedelta, timezone

import icalendar

from portal.core import clock, reference
from portal.rules.sessions import SessionStatus

TITLE = "Mentoring session"  # neutral: work calendars are often shared
PRODID = "-//Peer mentoring portal//EN"
# How often a subscribed calendar program is asked to look again (RFC 7986, and Outlook's own name for it).
REFRESH = timedelta(hours=1)
# A feed's entry for a session in each of its states; a session replaced by a new time is not shown.
FEED_STATUS = {
    SessionStatus.PROPOSED: "TENTATIVE",
    SessionStatus.CONFIRMED: "CONFIRMED",
    SessionStatus.HELD: "CONFIRMED",
    SessionStatus.NOT_HELD: "CONFIRMED",
    SessionStatus.CANCELLED: "CANCELLED",
}


def _calendar(**properties) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for name, value in properties.items():
        calendar.add(name, value)
    return calendar


def _event(session, other_name: str, status: str, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", session.calendar_uid)
    event.add("sequence", session.calendar_sequence)
    event.add("dtstamp", stamp)
    start = clock.to_london(session.starts_at)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.length_minutes))
    event.add("summary", f"{TITLE} with {other_name}")
    event.add("class", "PRIVATE")
    event.add("status", status)
    if session.mode == "in_person":
        event.add("location", session.location)
    else:
        platform = reference.PLATFORMS.get(session.platform, session.platform)
        event.add("location", f"{platform} {session.joining_link}".strip())
        if session.joining_link:
            event.add("url", session.joining_link)
    return event


def _text(calendar: icalendar.Calendar) -> str:
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def invite(session, *, other_name: str, method: str = "REQUEST") -> str:
    """The .ics text for a session: METHOD REQUEST (new or changed) or CANCEL."""
    calendar = _calendar(method=method)
    calendar.add_component(_event(session, other_name, "CANCELLED" if method == "CANCEL" else "CONFIRMED",
                                  datetime.now(timezone.utc)))
    return _text(calendar)


def attachment(session, *, other_name: str, method: str = "REQUEST") -> dict:
    return {"filename": "session.ics", "content_type": f"text/calendar; method={method}; charset=UTF-8",
            "text": invite(session, other_name=other_name, method=method)}


def feed(sessions: list[tuple], name: str) -> str:
    """A subscription feed of (session, the other person's first name) pairs: no METHOD, as it is
    published rather than sent; each entry stamped with its session's last change."""
    calendar = _calendar(**{"x-wr-calname": name, "refresh-interval": REFRESH,
                            "x-published-ttl": icalendar.vDuration(REFRESH)})
    calendar["refresh-interval"].params["VALUE"] = "DURATION"
    for session, other_name in sessions:
        if session.status not in FEED_STATUS:
            continue
        changed = max(moment for moment in (session.proposed_at, session.confirmed_at, session.cancelled_at) if moment)
        calendar.add_component(_event(session, other_name, FEED_STATUS[session.status],
                                      changed.replace(tzinfo=timezone.utc)))
    return _text(calendar)
