"""Time to a mentor, measured: working days from signing up to a first request and from there to a match,
by month, with small groups held back; and how many matches came through a backup. On the reports page,
in their CSV and on the dashboard."""
import csv
import io
from datetime import datetime, timedelta

import pytest

from portal.models import MenteeProfile, MentorRequest
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.web import signed_in, text, words

MONDAY = datetime(2026, 11, 2, 10, 0)


@pytest.fixture
def scheme(app):
    """Six mentees who signed up on Monday 2 November: they asked after 0, 1, 2, 3, 4 and 10 working days,
    and all but the last were matched 1, 1, 2, 5 and 8 working days later, two of them by a backup.
    Two more asked in October, too few to show."""
    mentor = make_mentor("priya@example.org", "Priya Shah")
    asked_after = [0, 1, 2, 3, 4, 14]  # calendar days: 10 working days is two weeks on
    matched_after = [1, 1, 2, 7, 12, None]  # calendar days after asking: 1, 1, 2, 5, 8 working days
    for n, (ask, match) in enumerate(zip(asked_after, matched_after)):
        with at(MONDAY.isoformat()):
            user = make_user(f"m{n}@example.org", f"Mentee {n}", mentee=True)
        asked = MONDAY + timedelta(days=ask)
        matched = asked + timedelta(days=match) if match is not None else None
        MenteeProfile.update(first_requested_at=asked, matched_at=matched).where(
            MenteeProfile.user == user.id).execute()
        if matched:
            MentorRequest.create(mentee=user.mentee.id, mentor=mentor.id, note="", status="accepted",
                                 choice=2 if n in (3, 4) else 1, created_at=asked, deadline=asked + timedelta(days=7),
                                 decided_at=matched, decided_by="mentor")
    for n in range(2):
        with at("2026-10-05T10:00"):
            user = make_user(f"october{n}@example.org", f"October {n}", mentee=True)
        MenteeProfile.update(first_requested_at=datetime(2026, 10, 6, 10)).where(
            MenteeProfile.user == user.id).execute()
    make_user("ada@example.org", "Ada Admin", admin=True)
    return signed_in(app, "ada@example.org")


def test_the_reports_show_the_median_and_90th_percentile_by_month(scheme):
    with at("2026-11-30T12:00"):
        page = words(scheme.get("/admin/reports?start=2026-10-01&end=2026-11-30"))
    first = page[page.index("Working days from signing up to asking a first mentor By the month"):]
    # Waits of 0, 1, 2, 3, 4 and 10 working days: median 2.5, 90th percentile 7.
    assert "October 2026 fewer than 5 November 2026 6 2.5 7" in first
    to_match = page[page.index("Working days from asking a first mentor to being matched By the month"):]
    # 1, 1, 2, 5 and 8 working days: median 2, 90th percentile 6.8.
    assert "October 2026 none November 2026 5 2 6.8" in to_match
    assert "Matches by choice" in page and "The mentor asked first 3" not in page  # 3 is a small group
    assert "The mentor asked first fewer than 5 A backup fewer than 5" in page


def test_the_csv_has_the_same_figures_held_back_the_same_way(scheme):
    with at("2026-11-30T12:00"):
        rows = list(csv.reader(io.StringIO(text(scheme.get("/admin/reports.csv?start=2026-10-01&end=2026-11-30")))))
    title = "Working days from signing up to asking a first mentor"
    assert [title + ": people", "October 2026", "fewer than 5"] in rows
    assert not any(row[0] == title + ": median" and row[1] == "October 2026" for row in rows)
    assert [title + ": people", "November 2026", "6"] in rows
    assert [title + ": median", "November 2026", "2.5"] in rows
    assert [title + ": 90th percentile", "November 2026", "7"] in rows
    matched = "Working days from asking a first mentor to being matched"
    assert [matched + ": median", "November 2026", "2"] in rows and [matched + ": people", "October 2026", "0"] in rows
    assert ["Matches by choice", "A backup", "fewer than 5"] in rows


def test_the_dashboard_shows_the_time_to_a_mentor_lately(scheme):
    with at("2026-12-10T12:00"):
        page = words(scheme.get("/admin/"))
    shown = page[page.index("Time to a mentor"):page.index("Requests waiting for an answer")]
    assert "October 2026 fewer than 5 November 2026 6 2.5 7 December 2026 none" in shown
    assert "3 matched with the mentor they asked first 2 matched through a backup" in shown
