"""A mentee signs up on a phone, reads the confirmation email off the SMTP server, confirms,
logs in, downloads their data and asks for its erasure: once with JavaScript and once without."""
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.core import clock
from tests.support.factories import make_user
from tests.support.pages import axe_violations, banner, dump, fill_date, fits_the_screen, go_to, log_in, new_page
from tests.support.servers import text_of

# What the browser shows does not depend on the database; the journeys of test_request_browser.py and
# test_sessions_browser.py run on PostgreSQL too, and every page and rule is on both in tests/web.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["sqlite"], indirect=True)]


def test_a_mentee_signs_up_on_a_phone(page, run_jobs, mailbox, live_server):
    page.goto("/")
    page.get_by_role("link", name="Sign up as a mentee").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up as a mentee")
    if page.javascript:
        page.wait_for_load_state("load")  # the click returns before the page's scripts have run
        assert page.evaluate("typeof htmx") == "object"  # loaded, and its SRI hash matched
        assert fits_the_screen(page)
        assert axe_violations(page) == [], dump(axe_violations(page))

    page.get_by_label("Full name").fill("Jo Bloggs")
    page.get_by_label("Email address").fill("jo.bloggs@example.org")
    page.get_by_label("Create a password").fill("tulip orbit kettle")
    page.get_by_label("Type your password again").fill("tulip orbit kettle")
    page.get_by_label("Grade").select_option("ST3")
    page.get_by_label("School").select_option("Medicine")
    page.get_by_label("Employing trust").fill("Leeds Teaching Hospitals NHS Trust")
    page.get_by_label("I am out of training now").check()
    page.get_by_label("Parental leave").check()
    fill_date(page, "Expected date of return to training", clock.today_london() + timedelta(days=200))
    page.get_by_label("I have read the mentoring agreement and agree to it").check()
    page.get_by_role("button", name="Create my account").click()

    # expect() waits for the next page; a bare inner_text() could still read the one being left.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    run_jobs()
    message = mailbox.wait_for("jo.bloggs@example.org", "Confirm your email address")
    link = re.search(r"(http://127\.0\.0\.1:\d+/confirm/\S+)", text_of(message)).group(1)
    assert link.startswith(live_server)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.get_by_role("button", name="Confirm my email address").click()
    expect(banner(page)).to_contain_text("your email address is confirmed")
    page.get_by_label("Email address").fill("jo.bloggs@example.org")
    page.get_by_label("Password", exact=True).fill("tulip orbit kettle")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Jo")
    if page.javascript:
        assert fits_the_screen(page)
        assert axe_violations(page) == [], dump(axe_violations(page))

    # Their data: a copy to keep, and asking for erasure.
    go_to(page, "Account")
    page.get_by_role("link", name=re.compile("^Your data")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    if page.javascript:
        assert fits_the_screen(page)
        assert axe_violations(page) == [], dump(axe_violations(page))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a copy of your data").click()
    assert json.loads(Path(download.value.path()).read_text())["account"]["email"] == "jo.bloggs@example.org"
    page.get_by_role("button", name="Ask the team to erase my data").click()
    expect(banner(page)).to_contain_text("They will be in touch by email before they do it")


def test_mistakes_are_listed_at_the_top_and_linked_to_their_fields(page):
    page.goto("/signup")
    page.get_by_label("Full name").fill("Jo Bloggs")
    page.get_by_role("button", name="Create my account").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Full name").input_value() == "Jo Bloggs"
    summary.get_by_role("link", name="Enter your email address").click()
    if page.javascript:  # the design system's script moves the focus to the box itself, and its label into view
        expect(page.get_by_label("Email address")).to_be_focused()
        assert axe_violations(page) == [], dump(axe_violations(page))
    else:
        assert page.url.endswith("#email")


def test_inline_checks_explain_a_field_as_soon_as_it_is_left(browser, app, live_server):
    page = new_page(browser, app, live_server)
    page.goto("/signup")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_label("Create a password").focus()  # leaving the field fires the check
    message = page.locator("#email-error")
    message.wait_for()
    assert "correct format" in message.inner_text()
    assert page.get_by_label("Email address").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Email address").input_value() == "not an address"
    page.get_by_label("Email address").fill("jo@example.org")
    page.get_by_label("Create a password").focus()
    page.locator("#email-field:not(.nhsuk-form-group--error)").wait_for()
    page.context.close()


def test_the_keyboard_reaches_the_skip_link_first(page):
    page.goto("/signup")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text() == "Skip to main content"
    page.keyboard.press("Enter")
    page.wait_for_url("**/signup#maincontent", timeout=5000)  # following the link is not instant: it failed once under load


def test_a_mentor_joining_as_a_mentee_keeps_one_form_while_fields_are_checked(browser, app, live_server):
    make_user("priya@example.org", "Priya Shah", mentor=True)
    page = new_page(browser, app, live_server)
    log_in(page, "priya@example.org")
    go_to(page, "Account")
    page.get_by_role("link", name="Join as a mentee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join as a mentee")
    page.wait_for_load_state("load")  # htmx is in place before the first field is left

    for label, value, field, next_label in [
            ("Specialty (optional)", "Paediatrics", "specialty", "Employing trust"),
            ("Employing trust", "Leeds Teaching Hospitals NHS Trust", "trust", "I am out of training now")]:
        page.locator(f"#{field}-field").evaluate("element => element.dataset.old = 'yes'")
        page.get_by_label(label).fill(value)
        page.get_by_label(next_label).focus()  # leaving the field fires its check
        page.locator(f"#{field}-field:not([data-old])").first.wait_for()  # its answer is in
        focused = page.evaluate("document.activeElement.labels?.[0]?.textContent.trim()"
                                " ?? document.activeElement.outerHTML.slice(0, 100)")
        assert focused == next_label, field

    assert page.locator("main form").count() == 1
    assert page.locator("h1").count() == 1
    assert page.get_by_role("button", name="Join as a mentee").count() == 1
    assert page.locator(".nhsuk-error-summary").count() == 0
    assert page.evaluate("document.activeElement.closest('main form') !== null")
    assert page.get_by_label("Employing trust").input_value() == "Leeds Teaching Hospitals NHS Trust"
    page.context.close()


def test_pages_read_in_the_fallback_fonts_when_the_nhs_font_host_is_out_of_reach(browser, app, live_server):
    page = new_page(browser, app, live_server, viewport={"width": 320, "height": 640})
    asked = []
    page.context.route("https://assets.nhs.uk/**", lambda route: (asked.append(route.request.url), route.abort()))
    page.goto("/signup")
    page.wait_for_load_state("load")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Frutiger W01"') and "arial" in family.lower() and "sans-serif" in family
    assert asked and all(url.startswith("https://assets.nhs.uk/fonts/") for url in asked)  # asked, refused
    page.evaluate("document.fonts.ready")
    tried = page.evaluate("[...document.fonts].filter(f => f.family.includes('Frutiger')).map(f => f.status)")
    assert "error" in tried and "loaded" not in tried  # so the text is drawn in the fallback
    assert fits_the_screen(page) and axe_violations(page) == [], dump(axe_violations(page))
    page.context.close()
