"""Driving the portal through Flask's test client as a person would: forms carry their CSRF token."""
import html
import re

from tests.support.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
HIDDEN = re.compile(r'<input[^>]*name="([^"]+)" type="hidden" value="([^"]*)"')
# The NHS.UK error summary's list: each problem a link to the box to put it right.
ERRORS = re.compile(r'<li>\s*<a href="#([^"]+)"\s*>\s*([^<]+?)\s*</a>\s*</li>')


class Web:
    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self) -> str:
        # Following redirects: someone with a new agreement to accept is sent there from the home page.
        page = self.client.get("/", follow_redirects=True).get_data(as_text=True)
        found = TOKEN.search(page)
        assert found, "no CSRF token on the home page"
        return found.group(1) or found.group(2)

    def submit(self, url, data=None, **kwargs):
        """POST a form with this browser's CSRF token."""
        return self.client.post(url, data={**(data or {}), "csrf_token": self.token()}, **kwargs)

    def submit_page(self, url, data=None, **kwargs):
        """Open the form's page, then POST `data` with the page's own hidden fields (such as what it
        showed, or the version it was opened at), as a browser would."""
        hidden = {name: html.unescape(value) for name, value in HIDDEN.findall(text(self.get(url)))}
        hidden.pop("csrf_token", None)
        return self.submit(url, {**hidden, **(data or {})}, **kwargs)

    def login(self, email, password):
        response = self.submit("/login", {"email": email, "password": password})
        assert response.status_code == 302, errors(response)
        return response

    def logout(self):
        return self.submit("/logout")


def signed_in(app, email) -> Web:
    """A browser of its own, logged in as `email` (a test person, with the test password)."""
    web = Web(app.test_client())
    web.login(email, PASSWORD)
    return web


def errors(response) -> dict:
    """The error summary of a page: field id -> message. A date's problem links to its day box
    (x-day); it is found under the field's own name too."""
    found = dict(ERRORS.findall(response.get_data(as_text=True)))
    return found | {anchor.removesuffix("-day"): message for anchor, message in found.items() if anchor.endswith("-day")}


DATE_BOX = re.compile(r'name="([\w-]+)\[(day|month|year)\]"[^>]*?value="([^"]*)"')


def typed_date(response, name: str) -> str:
    """What a date's three boxes show, as "day month year"."""
    boxes = {part: value for field, part, value in DATE_BOX.findall(text(response)) if field == name}
    return " ".join(boxes.get(part, "") for part in ("day", "month", "year")).strip()


def text(response) -> str:
    return response.get_data(as_text=True)


def version_in(page) -> dict:
    """The form's version field as the page gave it, to send back with the form."""
    found = re.search(r'name="version" type="hidden" value="([^"]*)"', text(page))
    return {"version": found.group(1)} if found else {}


TAG = re.compile(r"<[^>]+>")


def words(response) -> str:
    """The page as a reader sees it: tags dropped, entities such as &#39; turned back into
    characters, and any run of spaces and line breaks read as one space."""
    return " ".join(html.unescape(TAG.sub(" ", text(response))).split())
