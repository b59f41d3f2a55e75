"""Every page a person can reach by following links, as each role: no accessibility problem axe-core
can find (of any impact) at 320, 360 and 1280 px, with the page's scripts running and without them;
no sideways scrolling at 320 px nor at 400 % zoom (a 1280 × 800 window at 400 % is 320 × 200); a
title of its own that says where you are, and a description.

The pages are found, not listed: from the home page, every link on a page that stays on the portal
is followed, so a new page is checked the day a link leads to it. One address stands for each view
(/admin/people/1 and /admin/people/2 are one page drawn twice), and the walk
runs on SQLite only: what a browser is sent does not depend on the database, and the tests of every
route's answer run on both.

"Without scripts" is the page as a browser with JavaScript off receives it: the portal's scripts and
htmx are refused, so the design system never marks the page as scripted. (With JavaScript really off,
Playwright cannot run axe in the page.)"""
import re
from collections import deque
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from portal.core import clock, inbox
from portal.mentoring import sessions
from portal.models import Relationship
from tests.support.factories import make_user
from tests.support.mentoring import make_pair
from tests.support.pages import axe_violations, dump, fits_the_screen, log_in, new_page

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 1280)
ZOOMED = {"width": 320, "height": 200}
# Not pages: files, feeds, photos, and the links that act (logging out is a form, not a link).
NOT_PAGES = re.compile(r"^/(static/|photos/|logout)|\.(csv|ics|json|zip)$|/download$|/feed/")
SERVICE = " – "


@pytest.fixture
def people(app):
    """A mentee matched with a session planned, a mentee waiting for an answer, their mentors, an
    admin with an item in the inbox."""
    make_user("ada@example.org", "Ada Admin", admin=True)
    with clock.travel(timedelta(days=-2)):
        make_pair(app, 1)
        make_pair(app, 2, accept=False)
    with app.app_context():
        relationship = Relationship.get()
        sessions.propose(relationship, relationship.mentee.user, {
            "starts_at": (clock.now() + timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0),
            "length_minutes": 60, "mode": "video", "platform": "teams", "joining_link": "", "location": ""})
        inbox.raise_item("concern", name="Sam Concerned", email="sam@example.org",
                         message="My mentor has not replied for a while.")
    return {"anonymous": None, "mentee": "mentee1@example.org", "waiting mentee": "mentee2@example.org",
            "mentor": "mentor1@example.org", "admin": "ada@example.org"}


def without_scripts(page, app):
    page.context.route(re.compile(r"/static/js/|" + re.escape(app.config["HTMX_URL"])), lambda route: route.abort())


def reachable(page, app, start="/"):
    """Goes to every page on the portal that links lead to from `start`, breadth first, one page per
    view, yielding each page's path while the browser is on it."""
    urls = app.url_map.bind("portal")

    def view(path):
        try:
            return urls.match(path)[0]
        except HTTPException:  # a redirect to the address with a slash, or no such page
            return path

    seen, queue, landed = {view(start)}, deque([start]), set()
    while queue:
        path = queue.popleft()
        response = page.goto(path)
        if not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urlsplit(href)
            if target.netloc != urlsplit(page.url).netloc or NOT_PAGES.search(target.path):
                continue
            if view(target.path) not in seen:
                seen.add(view(target.path))
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
        here = view(urlsplit(page.url).path)  # where a redirect lands counts once
        if here not in landed:
            landed.add(here)
            yield path


def resize(page, size) -> None:
    """The header folds its navigation into "More" in an animation frame after a resize: wait for it."""
    page.set_viewport_size(size)
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def problems_on(page) -> dict:
    """What is wrong with the page as it stands, at each width."""
    found = {}
    for width in WIDTHS:
        resize(page, {"width": width, "height": 740})
        violations = axe_violations(page)
        if violations:
            found[f"axe at {width}"] = violations
    for size in ({"width": 320, "height": 640}, ZOOMED):
        resize(page, size)
        if not fits_the_screen(page):
            found[f"scrolls sideways at {size['width']}×{size['height']}"] = True
    return found


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
@pytest.mark.parametrize("role", ["anonymous", "mentee", "waiting mentee", "mentor", "admin"])
def test_every_reachable_page(browser, app, live_server, people, role, scripts):
    page = new_page(browser, app, live_server)
    if not scripts:
        without_scripts(page, app)
    if people[role]:
        log_in(page, people[role])
    problems, titles, checked = {}, {}, []
    for path in reachable(page, app):
        checked.append(path)
        title = page.title()
        place, _, service = title.partition(SERVICE)
        if not place or not service or title.startswith("Error:"):
            problems.setdefault(path, {})["title"] = title
        if not page.locator('meta[name="description"]').get_attribute("content"):
            problems.setdefault(path, {})["description"] = "missing"
        titles.setdefault(title, []).append(path)
        found = problems_on(page)
        if found:
            problems.setdefault(path, {}).update(found)
    assert len(checked) > 5, checked
    shared = {title: shared for title, shared in titles.items() if len(shared) > 1}
    assert not problems, dump(problems)
    assert not shared, dump(shared)
