"""Calendar invitations (.ics) for sessions, so both calendars follow each change.

One UID for a session's whole life and a SEQUENCE that rises with each change: calendar
programs then update or cancel the entry they already have rather than adding another. Times
are written in Europe/London, with the zone's definition in the file.
"""
from datetime import datetime, timedelta, timezone

import icalendar

from portal.core import clock, reference

TITLE = "Mentoring session"  # neutral: work calendars are often shared


def invite(session, *, other_name: str, method: str = "REQUEST") -> str:
    """The .ics text for a session: METHOD REQUEST (new or changed) or CANCEL."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Peer mentoring portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", session.calendar_uid)
    event.add("sequence", session.calendar_sequence)
    event.add("dtstamp", datetime.now(timezone.utc))
    start = clock.to_london(session.starts_at)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.length_minutes))
    event.add("summary", f"{TITLE} with {other_name}")
    event.add("class", "PRIVATE")
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if session.mode == "in_person":
        event.add("location", session.place)
    else:
        platform = reference.PLATFORMS.get(session.platform, session.platform)
        event.add("location", f"{platform} {session.joining_link}".strip())
        if session.joining_link:
            event.add("url", session.joining_link)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def attachment(session, *, other_name: str, method: str = "REQUEST") -> dict:
    return {"filename": "session.ics", "content_type": f"text/calendar; method={method}; charset=UTF-8",
            "text": invite(session, other_name=other_name, method=method)}
