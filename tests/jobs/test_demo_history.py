"""The demo's year of history: figures in every month of the reports, places that add up, nothing left
due for the sweeps, and a best-fit order for the demo mentee that is plain to see."""
import re

from jobs.sweeps import EVERY_MINUTE
from portal.dev import demo
from portal.models import MentorProfile, MentorRequest, Relationship, WaitlistEntry
from portal.rules.requests import RequestStatus
from tests.support.clock import at
from tests.support.web import Web, words

NOW = "2026-11-18T11:00"


def test_a_year_of_history_fills_the_reports_and_leaves_nothing_due(app):
    with app.app_context(), at(NOW):
        assert demo.load()
        # Each mentor's places are what holds them: waiting requests, mentoring under way, offers held.
        for mentor in MentorProfile.select():
            held = (MentorRequest.select().where((MentorRequest.mentor == mentor.id)
                                                 & (MentorRequest.status == RequestStatus.PENDING)).count()
                    + Relationship.select().where((Relationship.mentor == mentor.id)
                                                  & (Relationship.status == "active")).count()
                    + WaitlistEntry.select().where((WaitlistEntry.mentor == mentor.id)
                                                   & (WaitlistEntry.status == "offered")).count())
            assert mentor.places_taken == held <= mentor.capacity, mentor.id
        statuses = {r.status for r in MentorRequest.select(MentorRequest.status)}
        assert {"accepted", "declined", "expired", "skipped", "dropped", "pending"} <= statuses
        assert MentorRequest.select().where((MentorRequest.choice > 1) & (MentorRequest.status == "accepted")).exists()
        # Loaded as if it had all happened: no sweep finds anything to do on its first minute.
        assert {sweep.__name__: sweep() for sweep in EVERY_MINUTE} == {sweep.__name__: 0 for sweep in EVERY_MINUTE}

    with at(NOW):  # the pages as the admin and the demo mentee see them, each request in a context of its own
        admin = Web(app.test_client())
        admin.login("admin@example.org", demo.PASSWORD)
        reports = words(admin.get("/admin/reports"))
        signups = reports[reports.index("Mentees signing up, by month Answer People"):]
        signups = signups[:signups.index("What happened to requests")]
        months = re.findall(r"(\w+ 20\d\d) (\d+|fewer than 5|0)", signups)
        assert len(months) == 12 and all(count not in ("0", "fewer than 5") for _, count in months[:-1])
        assert "Working days from asking a first mentor to being matched" in reports
        assert "Survey results appear once" not in reports
        assert "matched through a backup" in words(admin.get("/admin/"))

        mentee = Web(app.test_client())
        mentee.login(demo.MENTEE[0], demo.PASSWORD)
        directory = mentee.get("/mentors/").get_data(as_text=True)
        first = re.search(r'mentor-card__name"><a href="/mentors/\d+">([^<]+)', directory).group(1)
        assert first == "Priya Shah"
        assert re.findall(r'nhsuk-tag--green">([^<]+)', directory)[:3] == [
            "Also took parental leave", "Paediatrics", "ST5: 2 steps ahead of you"]
