"""The main journey by keyboard alone, at desk size, with JavaScript and without: a mentee signs up and
confirms their address, finds a mentor and asks them; the mentor answers from the link in the email;
the mentee suggests the first session. Every key press moves the focus somewhere the person can see."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.core import clock
from tests.support.factories import make_mentor
from tests.support.pages import new_page, tab_to, type_into
from tests.support.servers import text_of

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 800}
PASSWORD = "tulip orbit kettle"


def press(page, target, key="Enter"):
    """Tab to `target` and press `key`; Enter follows a link or sends a form, so it waits for the next page."""
    tab_to(page, target)
    if key == "Enter":
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the journey, not the database
def test_the_main_journey_by_keyboard_alone(page, browser, app, live_server, run_jobs, mailbox):
    make_mentor("priya@example.org", "Priya Shah")
    page.set_viewport_size(DESK)
    page.goto("/")
    press(page, page.get_by_role("link", name="Sign up as a mentee").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up as a mentee")
    type_into(page, page.get_by_label("Full name"), "Jo Bloggs")
    type_into(page, page.get_by_label("Email address"), "jo.bloggs@example.org")
    type_into(page, page.get_by_label("Create a password"), PASSWORD)
    type_into(page, page.get_by_label("Type your password again"), PASSWORD)
    type_into(page, page.get_by_label("Grade"), "ST3")
    type_into(page, page.get_by_label("School"), "Medicine")
    type_into(page, page.get_by_label("Employing trust"), "Leeds Teaching Hospitals NHS Trust")
    press(page, page.get_by_label("I am out of training now"), " ")
    press(page, page.get_by_label("Parental leave"), " ")
    back = clock.today_london() + timedelta(days=200)
    group = page.get_by_role("group", name="Expected date of return to training")
    for label, value in (("Day", back.day), ("Month", back.month), ("Year", back.year)):
        type_into(page, group.get_by_label(label, exact=True), str(value))
    press(page, page.get_by_label("I have read the mentoring agreement and agree to it"), " ")
    assert (page.get_by_label("Grade").input_value(), page.get_by_label("School").input_value()) == ("ST3", "Medicine")
    press(page, page.get_by_role("button", name="Create my account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    run_jobs()
    page.goto(re.search(r"(http://\S+/confirm/\S+)", text_of(
        mailbox.wait_for("jo.bloggs@example.org", "Confirm your email address"))).group(1))
    press(page, page.get_by_role("button", name="Confirm my email address"))
    assert page.get_by_label("Email address").input_value() == "jo.bloggs@example.org"  # filled in already
    type_into(page, page.get_by_label("Password", exact=True), PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Jo")

    press(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a mentor"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("mentor")
    press(page, page.get_by_role("link", name="Priya Shah"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Shah")
    type_into(page, page.get_by_label("What would you like to talk about?"), "Coming back after parental leave.")
    press(page, page.get_by_role("button", name="Ask Priya to be my mentor"))
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Your request has gone to Priya")

    run_jobs()
    inbox = new_page(browser, app, live_server, javascript=page.javascript, viewport=DESK)  # Priya: not logged in
    inbox.goto(re.search(r"(http://\S+/respond/\S+)", text_of(
        mailbox.wait_for("priya@example.org", "Jo would like you as their mentor"))).group(1))
    press(inbox, inbox.get_by_role("button", name="Accept Jo"))
    expect(inbox.get_by_role("heading", level=1)).to_have_text("You are Jo's mentor")
    inbox.context.close()

    page.goto("/")
    press(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="My mentoring"))
    press(page, page.get_by_role("link", name="Priya Shah"))
    day = clock.today_london() + timedelta(days=7)
    group = page.get_by_role("group", name="Date")
    for label, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        type_into(page, group.get_by_label(label, exact=True), str(value))
    type_into(page, page.get_by_label("Start time"), "18:30")
    press(page, page.get_by_label("By video or phone", exact=True), " ")
    type_into(page, page.get_by_label("Platform"), "Microsoft")  # Priya's platform, Teams
    press(page, page.get_by_role("button", name="Suggest this session"))
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Your suggested time has been sent")
