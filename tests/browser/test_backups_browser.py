"""On a phone, with JavaScript and without: a mentee asks a mentor naming one backup; the mentor declines
from the link in their email; the backup is asked at once and accepts from theirs."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import make_mentor, make_user
from tests.support.pages import axe_violations, banner, dump, fits_the_screen, log_in, new_page
from tests.support.servers import text_of

# What the browser shows does not depend on the database; the journeys of test_request_browser.py and
# test_sessions_browser.py run on PostgreSQL too, and every page and rule is on both in tests/web.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["sqlite"], indirect=True)]
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/respond/\S+)")


def answer_from_email(browser, app, live_server, mailbox, address, button, javascript):
    """The mentor opens the link in their email on their phone, not logged in, and presses `button`."""
    link = LINK.search(text_of(mailbox.wait_for(address, "Jo would like you as their mentor"))).group(1)
    phone = new_page(browser, app, live_server, javascript=javascript)
    phone.goto(link)
    assert phone.get_by_role("heading", level=1).inner_text() == "Jo would like you as their mentor"
    if javascript:
        assert axe_violations(phone) == [], dump(axe_violations(phone))
    phone.get_by_role("button", name=button).click()
    return phone


def test_asking_with_a_backup_who_is_asked_when_the_first_declines(page, browser, app, live_server, run_jobs,
                                                                   mailbox):
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    make_mentor("tom@example.org", "Tom Lee", contact_details="07700 900456")
    log_in(page, "jo@example.org")
    page.goto(f"/mentors/{priya.id}")
    page.get_by_label("What would you like to talk about?").fill("Coming back after parental leave.")
    page.get_by_text("Name up to two backups (optional)").click()
    page.get_by_label("First backup (optional)", exact=True).select_option(label="Tom Lee, ST5, Neonatology")
    if page.javascript:
        assert fits_the_screen(page)
        assert axe_violations(page) == [], dump(axe_violations(page))
    page.get_by_role("button", name="Ask Priya to be my mentor").click()
    expect(banner(page)).to_contain_text("We will ask your backups in turn")
    expect(page.get_by_role("heading", name="Your backups")).to_be_visible()
    assert "Tom Lee" in page.locator("ol").inner_text()

    run_jobs()
    declined = answer_from_email(browser, app, live_server, mailbox, "priya@example.org", "Decline", page.javascript)
    expect(declined.get_by_role("heading", level=1)).to_have_text("Request declined")
    declined.context.close()

    run_jobs()
    told = text_of(mailbox.wait_for("jo@example.org", "We have asked your backup, Tom"))
    assert "Priya cannot be your mentor just now" in told
    accepted = answer_from_email(browser, app, live_server, mailbox, "tom@example.org", "Accept Jo", page.javascript)
    expect(accepted.get_by_role("heading", level=1)).to_have_text("You are Jo's mentor")
    accepted.context.close()

    page.goto("/mentoring")
    page.get_by_role("link", name="Tom Lee").click()
    assert "07700 900456" in page.content()
    if page.javascript:
        assert fits_the_screen(page)
