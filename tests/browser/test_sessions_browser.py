"""On a phone: plan a session, both confirm, read the calendar invitation off the SMTP server,
mark it held, close the mentoring, answer the survey; the admin sees results only once five
people have answered."""
import re
from datetime import date

import icalendar
import pytest
from playwright.sync_api import expect

from jobs.sweeps import send_surveys
from portal.models import Relationship, SurveyResponse
from portal.requests import mentor_requests
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.forms import GOOD
from tests.support.jobs import sweep
from tests.support.mentoring import NOTE
from tests.support.pages import axe_violations, banner, dump, fill_date, fits_the_screen, log_in, new_page
from tests.support.servers import text_of

pytestmark = pytest.mark.browser


def test_a_session_from_plan_to_survey(browser, app, live_server, run_jobs, mailbox):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah", platforms=["zoom"])
    make_user("ada@example.org", "Ada Admin", admin=True)
    with app.app_context(), at("2026-11-25T12:00"):
        mentor_requests.decide(mentor_requests.make_request(jo, priya, NOTE), "accept", priya.user, "mentor")
    relationship = Relationship.get()
    mentee, mentor = new_page(browser, app, live_server), new_page(browser, app, live_server)

    with at("2026-11-26T09:00"):
        log_in(mentee, "jo@example.org")
        mentee.goto(f"/mentoring/{relationship.id}")
        expect(mentee.get_by_role("heading", name="Plan your first session")).to_be_visible()  # open, first
        fill_date(mentee, "Date", date(2026, 12, 1))
        mentee.get_by_label("Start time").fill("18:30")
        mentee.get_by_label("Length in minutes").fill("60")
        mentee.get_by_label("By video or phone", exact=True).check()
        mentee.get_by_label("Platform").select_option("zoom")
        mentee.get_by_label("Joining link (optional)").fill("https://zoom.example/j/42")
        mentee.get_by_role("button", name="Suggest this session").click()
        expect(banner(mentee)).to_contain_text("Your suggested time has been sent")
        assert fits_the_screen(mentee)
        assert axe_violations(mentee) == [], dump(axe_violations(mentee))

        log_in(mentor, "priya@example.org")
        mentor.goto(f"/mentoring/{relationship.id}")
        mentor.get_by_role("button", name="Confirm").click()
        expect(banner(mentor)).to_contain_text("Confirmed")
    run_jobs()
    for address in ("jo@example.org", "priya@example.org"):
        message = mailbox.wait_for(address, "Your mentoring session is confirmed")
        attachment = next(part for part in message.iter_attachments() if part.get_content_type() == "text/calendar")
        event = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
        start = event.decoded("DTSTART")
        assert (start.year, start.month, start.day, start.hour, start.minute) == (2026, 12, 1, 18, 30)
        assert str(start.tzinfo) == "Europe/London" or event["DTSTART"].params["TZID"] == "Europe/London"

    with at("2026-12-02T09:00"):
        mentor.goto(f"/mentoring/{relationship.id}")
        mentor.get_by_role("button", name="Yes, it took place").click()
        assert "1 of 4 used" in mentor.content()
        mentor.get_by_role("button", name="Suggest ending the mentoring").click()
        mentee.goto(f"/mentoring/{relationship.id}")
        mentee.get_by_role("button", name="Agree to end it").click()
        expect(banner(mentee)).to_contain_text("ended")
    assert Relationship.get().status == "closed"

    sweep(app, send_surveys, "2026-12-02T09:01")
    link = re.search(r"(http://127\.0\.0\.1:\d+/survey/\S+)", text_of(
        mailbox.wait_for("jo@example.org", "How was your peer mentoring?"))).group(1)
    answer = new_page(browser, app, live_server)  # from the email: no login needed
    answer.goto(link)
    assert axe_violations(answer) == [], dump(axe_violations(answer))
    answer.get_by_label("Extremely useful").check()
    answer.get_by_label("Easy", exact=True).check()
    answer.get_by_label("About right").check()
    answer.get_by_label("By video or phone").check()
    answer.get_by_label("Yes").check()
    answer.get_by_role("button", name="Send my answers").click()
    expect(answer.get_by_role("heading", level=1)).to_have_text("Thank you")

    admin = new_page(browser, app, live_server)
    log_in(admin, "ada@example.org")
    admin.goto("/admin/survey")
    assert "Results appear here once at least 5 people have answered" in admin.content()
    for _ in range(4):
        SurveyResponse.create(cohort="2026 Q4", sessions_band="1", answers={k: v for k, v in GOOD.items() if v})
    admin.reload()
    assert "5 people have answered" in admin.content()
    table = admin.get_by_role("table", name="How useful was peer mentoring to you?")
    assert table.get_by_role("row", name="Extremely useful 5").is_visible()
    assert axe_violations(admin) == [], dump(axe_violations(admin))
    for page in (mentee, mentor, answer, admin):
        page.context.close()
