"""A mentee on a phone filters the directory, with JavaScript and without, and opens a profile."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import make_mentor, make_user
from tests.support.pages import axe_violations, dump, fits_the_screen, go_to, log_in, new_page

# What the browser shows does not depend on the database; the journeys of test_request_browser.py and
# test_sessions_browser.py run on PostgreSQL too, and every page and rule is on both in tests/web.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["sqlite"], indirect=True)]


@pytest.fixture
def register(app):
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    make_mentor("ann@example.org", "Ann Leeds", grade="ST5", school="Paediatrics", meets_online=False, platforms=[],
                locations="Leeds", slots=["mon-evening"], interests="Fell walking")
    make_mentor("bob@example.org", "Bob York", grade="ST3", school="Surgery", platforms=["zoom"], locations="York",
                slots=["sat-morning"], interests="Cricket")
    make_mentor("cat@example.org", "Cat Video", grade="ST5", school="Psychiatry", meets_in_person=False,
                locations="", platforms=["teams"], slots=["sat-afternoon"], interests="Choir")


def card_names(page) -> list[str]:
    return page.locator(".app-mentor-card__name a").all_inner_texts()


def test_filter_the_directory_and_open_a_profile(page, register):
    log_in(page, "mel@example.org")
    go_to(page, "Find a mentor")
    # Best fit for Mel (ST3): the two a couple of grades ahead first, then A to Z at a switch.
    assert card_names(page) == ["Ann Leeds", "Cat Video", "Bob York"]
    assert page.get_by_role("status").inner_text() == "3 mentors to choose from"
    if page.javascript:
        assert fits_the_screen(page)
        assert axe_violations(page) == [], dump(axe_violations(page))
    page.get_by_label("A to Z").check()
    if not page.javascript:
        page.get_by_role("button", name="Show mentors").click()
    page.wait_for_url(re.compile(r"sort=name"))
    expect(page.locator(".app-mentor-card__name a").nth(1)).to_have_text("Bob York")
    assert card_names(page) == ["Ann Leeds", "Bob York", "Cat Video"]

    page.get_by_text("Filters").click()
    page.get_by_label("Grade").select_option("ST5")
    page.get_by_label("Day of the week").select_option("sat")
    if not page.javascript:
        page.get_by_role("button", name="Show mentors").click()
    page.locator("#result-count", has_text="1 mentor matches").wait_for()
    assert card_names(page) == ["Cat Video"]
    assert "grade=ST5" in page.url and "day=sat" in page.url

    page.get_by_label("Search").fill("cricket")
    page.get_by_label("Grade").select_option("")
    page.get_by_label("Day of the week").select_option("")
    if not page.javascript:
        page.get_by_role("button", name="Show mentors").click()
    page.locator("#result-count", has_text="1 mentor matches").wait_for()
    if page.javascript:
        page.wait_for_function("() => !location.search.includes('grade=ST5')")
    assert card_names(page) == ["Bob York"]
    assert "q=cricket" in page.url

    page.get_by_role("link", name="Bob York").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Bob York"))
    assert "Cricket" in page.content() and "07700" not in page.content()
    if page.javascript:
        assert fits_the_screen(page)
        assert axe_violations(page) == [], dump(axe_violations(page))

    page.go_back()
    page.locator("#result-count", has_text="1 mentor matches").wait_for()
    assert card_names(page) == ["Bob York"]
    assert page.get_by_label("Search").input_value() == "cricket"


def test_active_search_updates_only_the_results(browser, app, live_server, register):
    page = new_page(browser, app, live_server)
    log_in(page, "mel@example.org")
    page.goto("/mentors/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Search").press_sequentially("choir", delay=30)
    page.locator("#result-count", has_text="1 mentor matches").wait_for()
    assert card_names(page) == ["Cat Video"]
    assert page.evaluate("window.notReloaded") is True  # the page stayed; only the results changed
    assert page.url.endswith("/mentors/?q=choir")
    page.go_back()
    page.locator("#result-count", has_text="3 mentors to choose from").wait_for()
    page.context.close()
