"""A live portal in a thread and Debian's chromium driven by Playwright, at phone size (the helpers
for pages are in tests/support/pages.py)."""
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.support.pages import new_page
from tests.support.servers import free_port

CHROMIUM = "/usr/bin/chromium"


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


@pytest.fixture(params=["javascript", "no-javascript"])
def page(request, browser, app, live_server):
    page = new_page(browser, app, live_server, javascript=request.param == "javascript")
    page.javascript = request.param == "javascript"
    yield page
    page.context.close()
