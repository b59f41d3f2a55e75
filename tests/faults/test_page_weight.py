"""Page weight, as a phone on a slow line receives it from the real server (gunicorn, compression on):
each page's HTML, its stylesheets and our own JavaScript together stay under 50 KB compressed. htmx
and fonts (the NHS font) are weighed apart, as they are cached once for every page."""
import re
from http.client import HTTPConnection

import brotli

from tests.support.demo_pages import demo_pages, load_demo
from tests.support.portal import portal_here, production_environ

BUDGET = 50 * 1024
ACCEPT = {"Accept-Encoding": "br, gzip"}
STYLESHEET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"')
SCRIPT = re.compile(r'<script[^>]*src="([^"]+)"')
FONT = re.compile(r"url\(\s*['\"]?([^'\")]+\.(?:woff2?|ttf|otf))")


def fetch(port: int, path: str, headers: dict) -> tuple[bytes, str]:
    """The body as sent (compressed, if it was), and its Content-Encoding."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={**ACCEPT, **headers})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, (path, response.status)
        return body, response.getheader("Content-Encoding") or ""
    finally:
        connection.close()


def weigh(port: int, path: str, headers: dict) -> dict[str, int]:
    html, encoding = fetch(port, path, headers)
    assert encoding == "br", f"{path} was sent uncompressed"
    page = brotli.decompress(html).decode()
    weights = {"html": len(html), "css": 0, "ours js": 0, "htmx": 0, "fonts": 0}
    for found in STYLESHEET.finditer(page):
        body, encoding = fetch(port, found.group(1) or found.group(2), {})
        weights["css"] += len(body)
        css = (brotli.decompress(body) if encoding == "br" else body).decode()
        for font in set(FONT.findall(css)):
            if font.startswith("/"):
                weights["fonts"] += len(fetch(port, font, {})[0])
    for script in SCRIPT.findall(page):
        kind = "htmx" if "htmx" in script else "ours js"
        if script.startswith("/"):  # a CDN's copy is out of reach here, and not ours to weigh
            weights[kind] += len(fetch(port, script, {})[0])
    return weights


def test_each_page_with_its_css_and_our_javascript_stays_under_50_kb_compressed(database_url, redis_server, processes):
    environ = production_environ(database_url, redis_server.url, "smtp://127.0.0.1:9")
    processes.environ.update(environ)
    app = portal_here(environ)
    load_demo(app)
    port = processes.web()

    weights = {name: weigh(port, path, headers) for name, (path, headers) in demo_pages(app, port).items()}
    table = "\n".join(f"{name:<13} " + "  ".join(f"{kind} {size / 1024:5.1f} KB" for kind, size in found.items())
                      for name, found in weights.items())
    assert all(found["html"] > 500 and found["css"] > 1000 for found in weights.values()), table
    over = [name for name, found in weights.items() if found["html"] + found["css"] + found["ours js"] >= BUDGET]
    assert not over, f"over {BUDGET // 1024} KB:\n{table}"
