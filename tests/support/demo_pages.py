"""The pages a person sees most, on a portal loaded with the demo data (portal/dev/demo.py), and their
weight over the wire, for tests/faults/test_page_weight.py and Lighthouse (`make audit`): the home
page, the directory and a profile as a mentee, the page a mentor's emailed link opens, and the admin
dashboard."""
import re
from http.client import HTTPConnection
from urllib.parse import urljoin, urlsplit

import brotli

from portal.dev import demo
from portal.models import Email, MentorProfile
from tests.support.processes import Visitor


def load_demo(app) -> None:
    with app.app_context():
        assert demo.load(), "the demo people go into an empty database"


def demo_pages(app, port: int) -> dict[str, tuple[str, dict]]:
    """name -> (path, request headers) of each page, once load_demo has been called."""
    def cookie(email: str) -> dict:
        visitor = Visitor(port).login(email, demo.PASSWORD)
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in visitor.cookies.items())}

    with app.app_context():
        mentor = MentorProfile.select().where(MentorProfile.listed).order_by(MentorProfile.id).first()
        asked = Email.select().where(Email.text_body.contains("/respond/")).order_by(Email.id).first()
        answer = re.search(r"(/respond/\S+)", asked.text_body).group(1)
    mentee = cookie(demo.MENTEE[0])
    return {"home": ("/", {}), "directory": ("/mentors/", mentee), "profile": (f"/mentors/{mentor.id}", mentee),
            "email answer": (answer, {}), "dashboard": ("/admin/", cookie(demo.ADMIN[0]))}


ACCEPT = {"Accept-Encoding": "br, gzip"}  # as a browser asks
STYLESHEET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"')
SCRIPT = re.compile(r'<script[^>]*src="([^"]+)"')
# A module's own imports (js/nhsuk.js imports the design system's script): weighed with it.
IMPORT = re.compile(r"""^import\s[^"']*["']([^"']+)["']""", re.M)
FONT = re.compile(r"url\(\s*['\"]?([^'\")]+\.(?:woff2?|ttf|otf))")


def fetch(port: int, url: str, headers: dict) -> tuple[bytes, str]:
    """The body as sent (compressed, if it was), and its Content-Encoding; `url` on the portal at `port`
    unless it names another server."""
    target = urlsplit(urljoin(f"http://127.0.0.1:{port}/", url))
    connection = HTTPConnection(target.hostname, target.port, timeout=60)
    try:
        connection.request("GET", target.path + (f"?{target.query}" if target.query else ""),
                           headers={**ACCEPT, **headers})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, (url, response.status)
        return body, response.getheader("Content-Encoding") or ""
    finally:
        connection.close()


def on_this_machine(url: str) -> bool:
    """The portal's own files, or a copy served here: a CDN or a font service is out of reach."""
    return url.startswith("/") or urlsplit(url).hostname == "127.0.0.1"


def weigh(port: int, path: str, headers: dict) -> dict[str, int]:
    """The compressed bytes of a page, its stylesheets and our scripts; htmx and fonts apart."""
    html, encoding = fetch(port, path, headers)
    assert encoding == "br", f"{path} was sent uncompressed"
    page = brotli.decompress(html).decode()
    weights = {"html": len(html), "css": 0, "ours js": 0, "htmx": 0, "fonts": 0}
    for found in STYLESHEET.finditer(page):
        stylesheet = found.group(1) or found.group(2)
        body, encoding = fetch(port, stylesheet, {})
        weights["css"] += len(body)
        css = (brotli.decompress(body) if encoding == "br" else body).decode()
        for font in {urljoin(stylesheet, font) for font in FONT.findall(css)}:
            if on_this_machine(font):
                weights["fonts"] += len(fetch(port, font, {})[0])
    scripts = [script for script in SCRIPT.findall(page) if on_this_machine(script)]
    while scripts:
        script = scripts.pop()
        body, encoding = fetch(port, script, {"Accept-Encoding": "br"})
        weights["htmx" if "htmx" in script else "ours js"] += len(body)
        source = (brotli.decompress(body) if encoding == "br" else body).decode()
        scripts += [urljoin(script, imported) for imported in IMPORT.findall(source)]
    return weights


def weights_table(weights: dict[str, dict[str, int]]) -> str:
    return "\n".join(f"{name:<13} " + "  ".join(f"{kind} {size / 1024:5.1f} KB" for kind, size in found.items())
                      for name, found in weights.items())
