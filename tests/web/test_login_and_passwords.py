"""Logging in and out, changing a password, resetting a forgotten one: without revealing who has an account."""
import re
from datetime import timedelta

import pytest

from portal.core import clock
from portal.models import User
from tests.support.factories import PASSWORD, make_user
from tests.support.servers import text_of
from tests.support.web import Web, errors, text, words


def reset_link(mailbox, address) -> str:
    message = mailbox.wait_for(address, "Reset your password")
    return re.search(r"http://portal\.test(/password/reset/\S+)", text_of(message)).group(1)


def test_log_in_and_out(web):
    make_user("pat@example.org", mentee=True)
    response = web.login("Pat@Example.org ", PASSWORD)
    assert response.headers["Location"] == "/"
    assert "Hello, Pat" in text(web.get("/"))
    assert User.get().last_login_at is not None
    web.logout()
    assert "Sign up as a mentee" in text(web.get("/"))
    assert web.get("/account/").status_code == 302


def test_logging_out_ends_every_copy_of_the_session(app, web):
    make_user("pat@example.org")
    assert web.submit("/login", {"email": "pat@example.org", "password": PASSWORD, "remember": "y"}).status_code == 302
    token = web.token()
    copied = {name: web.client.get_cookie(name).value for name in ("session", "remember_token")}
    web.logout()

    # A form left open in another tab no longer submits.
    stale = web.client.post("/password/forgot", data={"email": "pat@example.org", "csrf_token": token})
    assert stale.status_code == 400 and "Your form expired" in text(stale)

    # Cookies copied before logging out let no one back in, together or apart.
    for names in (("session", "remember_token"), ("session",), ("remember_token",)):
        thief = app.test_client()
        for name in names:
            thief.set_cookie(name, copied[name])
        assert thief.get("/account/").status_code == 302, names
        replayed = thief.post("/password/forgot", data={"email": "pat@example.org", "csrf_token": token})
        assert replayed.status_code == 400, names

    # Logging in again works as before.
    web.login("pat@example.org", PASSWORD)
    assert web.get("/account/").status_code == 200


def test_after_login_only_local_pages_are_followed(web):
    make_user("pat@example.org")
    local = web.submit("/login?next=/account/", {"email": "pat@example.org", "password": PASSWORD})
    assert local.headers["Location"] == "/account/"
    web.logout()
    # A browser reads a backslash as a slash, and drops tabs and line breaks from an address.
    for elsewhere in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example/",
                      "/\t/evil.example/", "\\/evil.example/"):
        response = web.submit("/login", {"email": "pat@example.org", "password": PASSWORD},
                              query_string={"next": elsewhere})
        assert response.headers["Location"] == "/"
        web.logout()


@pytest.mark.parametrize("email, password", [
    ("pat@example.org", "not the password"),
    ("nobody@example.org", PASSWORD),
])
def test_a_failed_login_says_the_same_whoever_you_are(web, email, password):
    make_user("pat@example.org")
    response = web.submit("/login", {"email": email, "password": password})
    assert response.status_code == 200
    assert errors(response) == {"password": "The email address or password is not right"}
    assert 'value="' + email + '"' in text(response)


def test_a_login_without_a_password_yet_cannot_log_in(web):
    make_user("invited@example.org", password=False, mentor=True)
    response = web.submit("/login", {"email": "invited@example.org", "password": ""})
    assert "Enter your password" in errors(response)["password"]


def test_five_wrong_passwords_slow_things_down(web):
    make_user("pat@example.org")
    make_user("sam@example.org", "Sam Person")
    for _ in range(5):
        assert web.submit("/login", {"email": "pat@example.org", "password": "guess again"}).status_code == 200
    # Even the right password waits now, so guessing on cannot succeed.
    blocked = web.submit("/login", {"email": "pat@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in text(blocked)
    # Someone else on the same network is not locked out by it.
    assert web.submit("/login", {"email": "sam@example.org", "password": PASSWORD}).status_code == 302


def test_successful_logins_do_not_count_towards_the_limit(web):
    make_user("pat@example.org")
    for _ in range(7):
        web.login("pat@example.org", PASSWORD)
        web.logout()


def test_many_wrong_passwords_from_one_network_are_slowed_down(app, web):
    app.config["ATTEMPTS_PER_NETWORK"] = "12 per hour"
    make_user("pat@example.org")
    # Colleagues behind one trust address logging in as they should are never held up.
    for _ in range(13):
        web.login("pat@example.org", PASSWORD)
        web.logout()
    # A few wrong guesses at each of many accounts stay under each account's own limit...
    for n in range(3):
        for _ in range(4):
            response = web.submit("/login", {"email": f"doctor{n}@example.org", "password": "guess again"})
            assert response.status_code == 200
    # ...but not under the network's.
    blocked = web.submit("/login", {"email": "doctor9@example.org", "password": "guess again"})
    assert blocked.status_code == 429 and "Too many attempts" in text(blocked)
    assert web.submit("/login", {"email": "pat@example.org", "password": PASSWORD}).status_code == 429


def test_the_probed_attack_is_stopped_by_the_default_network_limit(app, web):
    # What the probe did: five wrong passwords at each of fifteen accounts, from one address.
    answers = [web.submit("/login", {"email": f"doctor{n}@example.org", "password": f"guess {attempt}"}).status_code
               for n in range(15) for attempt in range(5)]
    assert answers[:50] == [200] * 50
    assert set(answers[50:]) == {429}


def test_change_password_signs_out_other_devices(app, web, run_jobs, mailbox):
    make_user("pat@example.org")
    web.login("pat@example.org", PASSWORD)
    other = Web(app.test_client())
    other.login("pat@example.org", PASSWORD)

    wrong = web.submit("/account/password", {"current_password": "nope nope nope", "password": "new secret words",
                                             "password_confirm": "new secret words"})
    assert errors(wrong) == {"current_password": "Your current password is not right"}
    weak = web.submit("/account/password", {"current_password": PASSWORD, "password": "pat pat pat",
                                            "password_confirm": "pat pat pat"})
    assert "too easy to guess" in errors(weak)["password"]

    done = web.submit("/account/password", {"current_password": PASSWORD, "password": "new secret words",
                                            "password_confirm": "new secret words"})
    assert done.status_code == 302
    assert web.get("/account/").status_code == 200  # this browser stays in
    assert other.get("/account/").status_code == 302  # the other one is out
    run_jobs()
    assert mailbox.wait_for("pat@example.org", "Your password has been changed")
    web.logout()
    web.login("pat@example.org", "new secret words")


def test_reset_a_forgotten_password(web, run_jobs, mailbox):
    make_user("pat@example.org")
    sent = web.submit("/password/forgot", {"email": "pat@example.org"})
    assert "If <strong>pat@example.org</strong> has an account" in text(sent)
    run_jobs()
    url = reset_link(mailbox, "pat@example.org")

    page = web.get(url)
    assert page.status_code == 200 and "Choose a new password" in text(page)
    mismatch = web.submit(url, {"password": "fresh new words", "password_confirm": "fresh new wordz"})
    assert "do not match" in errors(mismatch)["password_confirm"]
    done = web.submit(url, {"password": "fresh new words", "password_confirm": "fresh new words"})
    assert done.headers["Location"] == "/"
    assert web.get("/account/").status_code == 200  # logged in by the new password, not sent to log in again
    web.logout()
    web.login("pat@example.org", "fresh new words")

    used = web.get(url)
    assert used.status_code == 410 and "already been used" in text(used)


def test_forgot_password_reveals_nothing_about_unknown_addresses(web, run_jobs, mailbox):
    make_user("pat@example.org")
    # As read (words): the page's CSRF token carries the second it was made in, which may differ.
    known = words(web.submit("/password/forgot", {"email": "pat@example.org"}))
    unknown = words(web.submit("/password/forgot", {"email": "nobody@example.org"}))
    assert known.replace("pat@", "X@") == unknown.replace("nobody@", "X@")
    run_jobs()
    assert mailbox.to("nobody@example.org") == []
    assert len(mailbox.to("pat@example.org")) == 1


def test_a_reset_link_expires_after_an_hour(web, run_jobs, mailbox):
    make_user("pat@example.org")
    web.submit("/password/forgot", {"email": "pat@example.org"})
    run_jobs()
    url = reset_link(mailbox, "pat@example.org")
    with clock.travel(timedelta(minutes=59)):
        assert web.get(url).status_code == 200
    with clock.travel(timedelta(minutes=61)):
        response = web.get(url)
        assert response.status_code == 410
        assert "This link has expired" in text(response)
        posted = web.submit(url, {"password": "fresh new words", "password_confirm": "fresh new words"})
        assert posted.status_code == 410
    web.login("pat@example.org", PASSWORD)


def test_only_the_newest_reset_link_works(web, run_jobs, mailbox):
    make_user("pat@example.org")
    web.submit("/password/forgot", {"email": "pat@example.org"})
    run_jobs()
    first = reset_link(mailbox, "pat@example.org")
    web.submit("/password/forgot", {"email": "pat@example.org"})
    run_jobs()
    second = reset_link(mailbox, "pat@example.org")
    assert first != second
    assert "A newer link has been sent" in text(web.get(first))
    assert web.get(second).status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "MQ.tampered", "x" * 300])
def test_a_forged_reset_link_gets_a_friendly_page(web, token):
    response = web.get(f"/password/reset/{token}")
    assert response.status_code == 404
    assert "This link does not work" in text(response)
    assert "Ask for a new link" in text(response)


def test_a_reset_link_cannot_be_used_for_another_purpose(web, run_jobs, mailbox):
    make_user("pat@example.org")
    web.submit("/password/forgot", {"email": "pat@example.org"})
    run_jobs()
    token = reset_link(mailbox, "pat@example.org").rsplit("/", 1)[1]
    assert web.get(f"/invitation/{token}").status_code == 404
    assert web.get(f"/confirm/{token}").status_code == 404


def test_too_many_reset_requests_are_slowed_down(web):
    for _ in range(5):
        assert web.submit("/password/forgot", {"email": "pat@example.org"}).status_code == 200
    assert web.submit("/password/forgot", {"email": "pat@example.org"}).status_code == 429


def test_colleagues_behind_one_trust_address_are_not_blocked_by_each_other(web):
    for n in range(8):
        assert web.submit("/password/forgot", {"email": f"doctor{n}@example.org"}).status_code == 200


def test_guessing_from_many_addresses_of_one_ipv6_network_is_one_network(app):
    """Anyone given an IPv6 network (a /64, what one home line or cloud server gets) holds billions of
    addresses: counted one by one, the limits for one account and for one network never bite."""
    app.config["ATTEMPTS_PER_NETWORK"] = "12 per hour"
    make_user("pat@example.org")
    answers = []
    for n in range(14):
        browser = Web(app.test_client())
        browser.client.environ_base["REMOTE_ADDR"] = f"2001:db8:1:2::{n + 1:x}"
        answers.append(browser.submit("/login", {"email": "pat@example.org", "password": f"guess {n}"}).status_code)
    assert answers[:5] == [200] * 5
    assert set(answers[5:]) == {429}
    # Another network is not held up by it.
    elsewhere = Web(app.test_client())
    elsewhere.client.environ_base["REMOTE_ADDR"] = "2001:db8:1:3::1"
    assert elsewhere.submit("/login", {"email": "pat@example.org", "password": PASSWORD}).status_code == 302
