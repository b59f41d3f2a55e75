"""A live portal in a thread and Debian's chromium driven by Playwright, at phone size.

The htmx CDN is out of reach here, so its URL is answered with the copy installed from npm
(the same file: the page's SRI hash still has to match it)."""
import json
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.support.factories import PASSWORD
from tests.support.servers import free_port

VENDOR = Path(__file__).parent / "vendor" / "node_modules"
HTMX_COPY = VENDOR / "htmx.org" / "dist" / "htmx.min.js"
AXE = VENDOR / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def live_port():
    return free_port()


@pytest.fixture
def portal_base_url(live_port):
    return f"http://127.0.0.1:{live_port}"


@pytest.fixture
def live_server(app, live_port, portal_base_url):
    server = make_server("127.0.0.1", live_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield portal_base_url
    server.shutdown()
    thread.join()


def new_page(browser, app, base_url, *, javascript=True, viewport=PHONE):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, base_url=base_url)
    context.route(app.config["HTMX_URL"], lambda route: route.fulfill(
        path=str(HTMX_COPY), content_type="application/javascript", headers={"Access-Control-Allow-Origin": "*"}))
    return context.new_page()


@pytest.fixture(params=["javascript", "no-javascript"])
def page(request, browser, app, live_server):
    page = new_page(browser, app, live_server, javascript=request.param == "javascript")
    page.javascript = request.param == "javascript"
    yield page
    page.context.close()


def axe_violations(page) -> list[dict]:
    """Accessibility problems axe-core finds on the page, of any impact."""
    results = page.evaluate(AXE.read_text() + "\n;axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in results["violations"]]


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def dump(value) -> str:
    return json.dumps(value, indent=1)
