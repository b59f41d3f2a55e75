"""An admin's round, on a laptop and on a phone: a waiting request and its time left, the inbox,
a new agreement version, a report's chart and its CSV."""
import csv
import io
import re

import pytest
from playwright.sync_api import expect

from portal.core import inbox
from portal.models import Content, InboxItem, MenteeProfile, MentorRequest
from tests.support.clock import at
from tests.support.factories import make_user
from tests.support.mentoring import make_pair
from tests.support.pages import PHONE, axe_violations, banner, dump, fits_the_screen, log_in, new_page

# What the browser shows does not depend on the database; the journeys of test_request_browser.py and
# test_sessions_browser.py run on PostgreSQL too, and every page and rule is on both in tests/web.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["sqlite"], indirect=True)]

LAPTOP = {"width": 1280, "height": 800}


def check(page, javascript):
    if not javascript:  # page.evaluate waits for ever where scripts are off; the same pages are checked with them on
        return
    assert fits_the_screen(page), page.url
    assert axe_violations(page) == [], dump(axe_violations(page))


@pytest.mark.parametrize("viewport, javascript", [(LAPTOP, True), (PHONE, True), (PHONE, False)],
                         ids=["laptop", "phone", "phone-no-javascript"])
def test_an_admins_round(browser, app, live_server, viewport, javascript):
    make_user("ada@example.org", "Ada Admin", admin=True)
    make_pair(app, 1, accept=False, when="2026-11-24T10:00")
    with app.app_context():
        inbox.raise_item("concern", name="Sam Concerned", email="sam@example.org",
                         message="My mentor has not replied for a while.")
    page = new_page(browser, app, live_server, javascript=javascript, viewport=viewport)

    with at("2026-11-26T10:00"):
        log_in(page, "ada@example.org")
        page.goto("/admin/")
        waiting = page.get_by_role("table", name="Requests waiting for an answer, soonest deadline first")
        row = waiting.get_by_role("row").filter(has_text="Mentee Number1")
        assert "3 working days, to the end of Tuesday 1 December 2026" in row.inner_text()
        check(page, javascript)

        page.get_by_role("navigation", name="Admin").get_by_role("link", name="Inbox").click()
        page.get_by_role("link", name="A concern raised").click()
        assert "My mentor has not replied for a while." in page.content()
        check(page, javascript)
        page.get_by_role("button", name="Close this item").click()
        expect(banner(page)).to_contain_text("closed", ignore_case=True)
        assert InboxItem.get().status == "closed"

        page.goto("/admin/")
        page.get_by_role("navigation", name="Admin").get_by_role("link", name="Texts").click()
        page.get_by_role("main").get_by_role("link", name="Mentoring agreement").click()
        # Typed before htmx has set up the new page, the text would never ask for its preview.
        expect(page).to_have_url(re.compile(r"/admin/content/agreement$"))
        page.wait_for_load_state("load")
        body = page.get_by_label("Text", exact=True)
        body.fill("## Version two\n\nWe meet by video or in person, and **nothing said is written down**.")
        if javascript:  # the preview follows the typing
            page.get_by_role("region", name="Preview").get_by_text("nothing said is written down").wait_for()
        check(page, javascript)
        page.get_by_role("button", name="Publish as version 2").click()
        expect(banner(page)).to_contain_text("version 2", ignore_case=True)
        assert Content.select().where(Content.key == "agreement").count() == 2

        page.goto("/admin/reports?start=2026-11-01&end=2026-11-30")
        chart = page.get_by_role("img", name="Mentees signing up, by month: the table below gives the figures")
        assert chart.is_visible() and chart.bounding_box()["width"] > 200
        assert page.get_by_role("table", name="Mentees signing up, by month").is_visible()
        check(page, javascript)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download these figures as CSV").click()
        rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
        assert rows[0] == ["report", "group", "value"]
        assert ["Mentees signing up, by month", "November 2026", "fewer than 5"] in rows
    assert MenteeProfile.get().agreement_version == 1  # the mentee accepts version 2 at their next visit
    page.context.close()


# Every label, figure and bar of each chart on the page, as boxes on the screen: [{svg, items: [[what, box]]}].
CHART_BOXES = """() => [...document.querySelectorAll('.app-chart svg')].map(svg => {
  const box = element => { const r = element.getBoundingClientRect();
                           return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {svg: box(svg), items: [...svg.querySelectorAll('.app-chart__label, .app-chart__value, .app-chart__bar')]
                                .map(element => [element.textContent || "a bar", box(element)])};
})"""


def overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("viewport", [LAPTOP, {"width": 320, "height": 640}], ids=["1280", "320"])
def test_a_reports_labels_figures_and_bars_never_overlap(browser, app, live_server, viewport):
    make_user("ada@example.org", "Ada Admin", admin=True)
    for n in range(13):
        make_pair(app, n, accept=n < 6)
    # The longest labels there are, with a bar, a figure kept back and none beside them.
    MentorRequest.update(status="expired").where(MentorRequest.status == "pending").execute()
    MentorRequest.update(status="cancelled").where(MentorRequest.id == MentorRequest.select(
        MentorRequest.id).where(MentorRequest.status == "expired").limit(1)).execute()
    page = new_page(browser, app, live_server, viewport=viewport)
    with at("2026-11-26T10:00"):
        log_in(page, "ada@example.org")
        page.goto("/admin/reports?start=2026-11-01&end=2026-11-30")
    charts = page.evaluate(CHART_BOXES)
    assert len(charts) >= 5
    shown = [what for chart in charts for what, _ in chart["items"]]
    assert "fewer than 5" in shown and any(what.startswith("Closed by the scheme") for what in shown)
    for chart in charts:
        items = chart["items"]
        for n, (what, box) in enumerate(items):
            inside = chart["svg"]
            # A glyph such as T may start a pixel before its text's x: within a pixel is inside.
            assert inside["left"] - 1 <= box["left"] and box["right"] <= inside["right"] + 1, (what, box, inside)
            assert not [other for other, its in items[n + 1:] if overlap(box, its)], (what, dump(items))
    assert fits_the_screen(page)
    page.context.close()
