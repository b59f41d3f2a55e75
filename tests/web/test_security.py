"""Security from the start: CSRF, cookies, headers, the secret key, htmx pinned by hash."""
import re
import base64
import hashlib
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from portal import config, create_app
from portal.models import User
from tests.support.concurrency import all_at_once
from tests.support.factories import PASSWORD, make_user
from tests.support.forms import signup_form
from tests.support.servers import free_port
from tests.support.web import Web, text

ROOT = Path(__file__).resolve().parents[2]


def test_every_post_needs_the_csrf_token(web, client):
    make_user("pat@example.org")
    for url in ("/login", "/signup", "/become-a-mentor", "/password/forgot", "/logout"):
        response = client.post(url, data={"email": "pat@example.org", "password": PASSWORD})
        assert response.status_code == 400, url
        assert "Your form expired" in text(response)
    wrong = client.post("/login", data={"email": "pat@example.org", "password": PASSWORD, "csrf_token": "forged"})
    assert wrong.status_code == 400


def test_htmx_requests_carry_the_token_in_a_header(web, client):
    token = web.token()
    without = client.post("/signup?check=email", data={"email": "x"}, headers={"HX-Request": "true"})
    assert without.status_code == 400
    with_header = client.post("/signup?check=email", data={"email": "x"},
                              headers={"HX-Request": "true", "X-CSRFToken": token})
    assert with_header.status_code == 200


def test_passwords_are_hashed_with_scrypt(web):
    web.submit("/signup", signup_form())
    stored = User.get().password_hash
    assert stored.startswith("scrypt:") and "tulip" not in stored


def test_cookies_are_httponly_lax_secure_and_host_only_in_production(environ):
    production = create_app(environ={**environ, "PORTAL_ENV": "production"})
    assert production.config["SESSION_COOKIE_SECURE"] and production.config["REMEMBER_COOKIE_SECURE"]
    make_user("pat@example.org")
    client = production.test_client()
    client.environ_base["HTTP_REFERER"] = "https://portal.test/login"  # checked on HTTPS, as browsers send it
    page = client.get("/login", base_url="https://portal.test").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", base_url="https://portal.test", data={
        "email": "pat@example.org", "password": PASSWORD, "remember": "y", "csrf_token": token})
    assert response.status_code == 302
    cookies = {cookie.split("=")[0]: cookie for cookie in response.headers.getlist("Set-Cookie")}
    # __Host-: the browser keeps them only if Secure, for the whole site and for this host alone.
    assert set(cookies) == {"__Host-session", "__Host-remember_token"}
    for cookie in cookies.values():
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
        assert "Path=/;" in cookie + ";" and "Domain" not in cookie
    assert client.get("/account/", base_url="https://portal.test").status_code == 200

    # Logging out removes the remember cookie: a browser ignores a __Host- cookie, even one that removes it,
    # unless it is Secure.
    page = client.get("/account/", base_url="https://portal.test").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    out = client.post("/logout", base_url="https://portal.test", data={"csrf_token": token})
    removed = [cookie for cookie in out.headers.getlist("Set-Cookie") if "Expires=Thu, 01 Jan 1970" in cookie]
    assert [cookie.split("=")[0] for cookie in removed] == ["__Host-remember_token"]
    for cookie in removed:
        assert "Secure" in cookie and "Path=/;" in cookie + ";" and "Domain" not in cookie, cookie


def test_development_cookies_keep_plain_names(environ):
    development = create_app(environ={**environ, "PORTAL_ENV": "development"})
    assert development.config["SESSION_COOKIE_NAME"] == "session"
    assert development.config["REMEMBER_COOKIE_NAME"] == "remember_token"


def test_login_limits_hold_when_redis_cannot_be_reached(app, environ):
    """Limits then count in memory: slowing down guessing never stops because Redis is down."""
    cut_off = create_app(environ={**environ, "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}/0"})
    make_user("pat@example.org")
    web = Web(cut_off.test_client())
    for _ in range(5):
        assert web.submit("/login", {"email": "pat@example.org", "password": "guess again"}).status_code == 200
    assert web.submit("/login", {"email": "pat@example.org", "password": PASSWORD}).status_code == 429
    cut_off.config["ATTEMPTS_PER_NETWORK"] = "1 per hour"
    assert web.submit("/signup", {"email": "jo@example.org"}).status_code == 200
    assert web.submit("/signup", {"email": "jo@example.org"}).status_code == 429



def test_many_logins_finding_redis_silent_at_once_are_all_answered_and_counted(app, environ):
    """Redis stops answering while several logins are being checked: each waits out its timeout, and
    every one is answered (counted in memory), not only the first to notice."""
    with socket.socket() as silent:  # accepts connections and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        hanging = create_app(environ={**environ, "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0"})
        make_user("pat@example.org")
        people = [Web(hanging.test_client()) for _ in range(6)]
        for person in people:
            person.get("/login")
        answers = all_at_once([lambda person=person: person.submit(
            "/login", {"email": "pat@example.org", "password": "guess again"}).status_code for person in people])
    # Each is answered, none with an error; on a busy machine the last of them may find the other five
    # counted already, and be refused like any sixth attempt.
    assert answers.count(200) >= 5 and set(answers) <= {200, 429}, answers
    assert people[0].submit("/login", {"email": "pat@example.org", "password": PASSWORD}).status_code == 429

def test_pages_send_protective_headers(client):
    headers = client.get("/").headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    # The one htmx file, not everything the CDN serves.
    assert f"script-src 'self' {config.HTMX_CDN_URL};" in policy
    assert "frame-ancestors 'self'" in policy and headers["X-Frame-Options"] == "SAMEORIGIN"  # older browsers
    assert headers["X-Content-Type-Options"] == "nosniff"
    features = dict(part.strip().split("=") for part in headers["Permissions-Policy"].split(","))
    for unused in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[unused] == "()", unused
    assert "Strict-Transport-Security" not in headers  # only in production, which runs on HTTPS


def test_production_tells_browsers_to_use_https_only(environ):
    production = create_app(environ={**environ, "PORTAL_ENV": "production"})
    response = production.test_client().get("/", base_url="https://portal.test")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_portal_refuses_to_start_without_a_secret_key_outside_development():
    result = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PORTAL_ENV": "production"})
    assert result.returncode == 1
    assert result.stderr.strip() == \
        "SECRET_KEY is not set: the portal will not start without it outside development."


def test_development_makes_and_keeps_its_own_secret(tmp_path):
    first = config.from_environment({"PORTAL_ENV": "development"}, tmp_path)
    again = config.from_environment({"PORTAL_ENV": "development"}, tmp_path)
    assert first["SECRET_KEY"] == again["SECRET_KEY"] and len(first["SECRET_KEY"]) == 64
    assert not first["SESSION_COOKIE_SECURE"]


@pytest.mark.parametrize("environ, message", [
    ({"PORTAL_ENV": "staging"}, "PORTAL_ENV must be one of"),
    ({"PORTAL_ENV": "development", "ANSWER_WORKING_DAYS": "five"}, "ANSWER_WORKING_DAYS must be a whole number"),
    ({"PORTAL_ENV": "development", "SWEEP_SCHEDULE": "every minute"}, "SWEEP_SCHEDULE must be a cron schedule"),
    ({"PORTAL_ENV": "development", "LOGIN_ATTEMPTS": "five a quarter"}, "LOGIN_ATTEMPTS must be a rate"),
    ({"PORTAL_ENV": "development", "ATTEMPTS_PER_NETWORK": "50/fortnight"}, "ATTEMPTS_PER_NETWORK must be a rate"),
])
def test_bad_settings_stop_the_portal_with_one_line(tmp_path, environ, message):
    with pytest.raises(config.ConfigError, match=message):
        config.from_environment(environ, tmp_path)


def test_the_pinned_htmx_hash_matches_the_npm_package():
    copy = ROOT / "tests/browser/vendor/node_modules/htmx.org/dist/htmx.min.js"
    digest = base64.b64encode(hashlib.sha384(copy.read_bytes()).digest()).decode()
    assert config.HTMX_CDN_SRI == f"sha384-{digest}"
    assert f"htmx.org@{config.HTMX_VERSION}/" in config.HTMX_CDN_URL


def test_pages_load_htmx_with_its_integrity_hash(client):
    page = text(client.get("/"))
    assert f'src="{config.HTMX_CDN_URL}" integrity="{config.HTMX_CDN_SRI}" crossorigin="anonymous"' in page


def test_htmx_can_be_self_hosted(environ):
    self_hosted = create_app(environ={**environ, "HTMX_URL": "/static/vendor/htmx.min.js"})
    page = self_hosted.test_client().get("/").get_data(as_text=True)
    assert 'src="/static/vendor/htmx.min.js"' in page and "integrity" not in page
    policy = self_hosted.test_client().get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy


def test_error_summaries_take_the_focus_and_pages_vary_by_htmx(app, client):
    response = Web(client).submit("/signup", {})
    assert re.search(r'class="nhsuk-error-summary"[^>]*tabindex="-1" autofocus>\s*<div role="alert">', text(response))
    assert "HX-Request" in client.get("/").headers["Vary"]
