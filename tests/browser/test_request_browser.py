"""On a phone: a mentee asks a mentor, the mentor answers from the link in the email read off the
SMTP server, and each then sees the other's contact details."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import make_mentor, make_user
from tests.support.pages import axe_violations, banner, dump, fits_the_screen, log_in, new_page
from tests.support.servers import text_of

pytestmark = pytest.mark.browser


def test_request_accept_and_contact_details(page, browser, app, live_server, run_jobs, mailbox):
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    mentor = make_mentor("priya@example.org", "Priya Shah", contact_details="07700 900123, evenings best")
    log_in(page, "jo@example.org")
    page.goto(f"/mentors/{mentor.id}")
    page.get_by_role("button", name="Ask Priya to be my mentor").click()
    expect(page.get_by_role("alert")).to_contain_text("Say briefly what you would like to talk about")
    page.get_by_label("What would you like to talk about?").fill("Coming back after parental leave.")
    page.get_by_role("button", name="Ask Priya to be my mentor").click()
    expect(banner(page)).to_contain_text("Your request has gone to Priya")
    assert "answer by the end of" in page.content().replace("<strong>", "").replace("</strong>", "")
    if page.javascript:
        assert fits_the_screen(page)
        assert axe_violations(page) == [], dump(axe_violations(page))

    run_jobs()
    email = text_of(mailbox.wait_for("priya@example.org", "Jo would like you as their mentor"))
    link = re.search(r"(http://127\.0\.0\.1:\d+/respond/\S+)", email).group(1)

    inbox = new_page(browser, app, live_server, javascript=page.javascript)  # Priya's phone: not logged in
    inbox.goto(link)
    assert inbox.get_by_role("heading", level=1).inner_text() == "Jo would like you as their mentor"
    assert "Coming back after parental leave." in inbox.content()
    if page.javascript:
        assert axe_violations(inbox) == [], dump(axe_violations(inbox))
    inbox.get_by_role("button", name="Accept Jo").click()
    expect(inbox.get_by_role("heading", level=1)).to_have_text("You are Jo's mentor")
    assert "jo@example.org" not in inbox.content()  # the link page shows no contact details

    log_in(inbox, "priya@example.org")
    inbox.goto("/mentoring")
    inbox.get_by_role("link", name="Jo Bloggs").click()
    assert "jo@example.org" in inbox.content()
    inbox.context.close()

    page.goto("/mentoring")
    page.get_by_role("link", name="Priya Shah").click()
    assert "07700 900123, evenings best" in page.content()
    assert page.get_by_role("link", name="priya@example.org").is_visible()
    if page.javascript:
        assert fits_the_screen(page)
