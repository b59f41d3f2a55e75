"""Helpers for pages in Debian's chromium driven by Playwright, at phone size (the fixtures are in
tests/browser/conftest.py).

The htmx CDN is out of reach here, so its URL is answered with the copy installed from npm
(the same file: the page's SRI hash still has to match it)."""
import json
import re
from pathlib import Path

from tests.support.factories import PASSWORD

VENDOR = Path(__file__).parent.parent / "browser" / "vendor" / "node_modules"
HTMX_COPY = VENDOR / "htmx.org" / "dist" / "htmx.min.js"
AXE = VENDOR / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}


def new_page(browser, app, base_url, *, javascript=True, viewport=PHONE):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, base_url=base_url)
    context.route(app.config["HTMX_URL"], lambda route: route.fulfill(
        path=str(HTMX_COPY), content_type="application/javascript", headers={"Access-Control-Allow-Origin": "*"}))
    return context.new_page()


def axe_violations(page) -> list[dict]:
    """Accessibility problems axe-core finds on the page, of any impact."""
    if not page.evaluate("typeof axe !== 'undefined'"):  # once a page, however many widths it is checked at
        page.evaluate(AXE.read_text())
    # target-size (WCAG 2.2: 24 by 24 px) is off in axe by default; Lighthouse turns it on, and so do we.
    results = page.evaluate("axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in results["violations"]]


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def dump(value) -> str:
    return json.dumps(value, indent=1)


def fill_date(page, legend: str, day) -> None:
    """Type a date into the three boxes (day, month, year) of the date whose legend is `legend`."""
    group = page.get_by_role("group", name=legend)
    for label, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(label, exact=True).fill(str(value))


def banner(page):
    """The first notification banner (a flashed message: "Success", "Important", "There is a problem")."""
    return page.locator(".nhsuk-notification-banner").first


def go_to(page, name: str) -> None:
    """Follow a link of the header's navigation. On a narrow screen with JavaScript the design system
    folds the links that do not fit under "More"; a person opens it first, and so does this."""
    navigation = page.get_by_role("navigation", name="Main")
    link = navigation.get_by_role("link", name=name, exact=True)
    page.wait_for_load_state("load")  # the script folds the links once the page is laid out
    more = navigation.get_by_role("button", name=re.compile("More"))
    if more.is_visible() and not link.is_visible():
        more.click()
    link.click()


# Where the focus is and whether a sighted keyboard user can see it. The design system draws focus as a
# yellow box-shadow; a checkbox or radio is an invisible input whose label draws the box (::before).
_FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return "nothing has the focus";
  const drawn = ["checkbox", "radio"].includes(element.type) ? element.labels[0] : element;
  const styles = [getComputedStyle(drawn), getComputedStyle(drawn, "::before")];
  if (!styles.some(style => style.boxShadow !== "none" || (style.outlineStyle !== "none"
                                                             && parseFloat(style.outlineWidth) >= 2
                                                             && style.outlineColor !== "rgba(0, 0, 0, 0)")))
    return "no focus is drawn on " + drawn.outerHTML.slice(0, 120);
  const box = drawn.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 8), y = box.top + box.height / 2;
  const seen = document.elementFromPoint(x, y);
  if (!seen || !(drawn.contains(seen) || seen.contains(drawn) || element.contains(seen)))
    return "hidden (under " + (seen ? seen.outerHTML.slice(0, 80) : "nothing, off the screen") + "): "
           + drawn.outerHTML.slice(0, 120);
  return "";
}"""


def tab_to(page, target, *, limit: int = 80) -> None:
    """Press Tab, as a keyboard user does, until `target` (a locator) has the focus. Every stop on the
    way must show its focus and be in sight, not under anything."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        problem = page.evaluate(_FOCUS)
        assert not problem, f"{page.url}: {problem}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of Tab did not reach {target}")


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)
