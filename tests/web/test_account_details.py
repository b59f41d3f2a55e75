"""People change their own name and email address; a new address is used only once the link sent to it is
pressed, and the address left is told."""
import re

import pytest

from portal.models import AuditEvent, Email, User
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.web import Web, errors, signed_in, text, words


def emails_to(address) -> list[Email]:
    return list(Email.select().where(Email.to_address == address).order_by(Email.id))


def change_link(address) -> str:
    body = emails_to(address)[-1].text_body
    return re.search(r"http://portal\.test(/account/email/\S+)", body).group(1)


@pytest.fixture
def jo(app):
    return make_user("jo@example.org", "Jo Bloggs", mentee=True)


def test_a_mentee_changes_their_name_at_once(app, jo):
    web = signed_in(app, "jo@example.org")
    assert "Change your name or email address" in text(web.get("/account/"))
    saved = web.submit("/account/details", {"name": "Jo Smith", "email": "jo@example.org"}, follow_redirects=True)
    assert "Your name is changed." in words(saved) and "Jo Smith" in text(saved)
    assert User.get_by_id(jo.id).name == "Jo Smith"
    assert AuditEvent.get(AuditEvent.action == "changed_name").object_id == jo.id
    assert not emails_to("jo@example.org")  # no password asked, nothing sent: the address is the same


def test_a_new_address_is_used_only_once_its_link_is_pressed(app, jo):
    web = signed_in(app, "jo@example.org")
    asked = web.submit("/account/details", {"name": "Jo Bloggs", "email": "Jo.New@Example.org",
                                            "current_password": PASSWORD}, follow_redirects=True)
    assert "We have sent a link to jo.new@example.org" in words(asked)
    assert "Changing to jo.new@example.org once you press the button" in words(asked)
    assert User.get_by_id(jo.id).email == "jo@example.org"  # still the old one
    assert AuditEvent.get(AuditEvent.action == "asked_to_change_email").object_id == jo.id
    url = change_link("jo.new@example.org")
    assert not emails_to("jo@example.org")  # nothing changed yet, so nothing to tell
    # Meanwhile the form holds the address in use, so a change of name alone asks for no password.
    form = web.get("/account/details")
    assert 'value="jo@example.org"' in text(form) and "We sent a link to jo.new@example.org" in words(form)
    assert web.submit("/account/details", {"name": "Jo B", "email": "jo@example.org"}).status_code == 302

    # Until the button is pressed, the old address logs in and is written to.
    elsewhere = Web(app.test_client())
    elsewhere.login("jo@example.org", PASSWORD)
    page = elsewhere.get(url)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Press the button to use jo.new@example.org" in words(page)
    assert User.get_by_id(jo.id).email == "jo@example.org"

    moved = web.submit(url)
    assert moved.headers["Location"] == "/account/"
    user = User.get_by_id(jo.id)
    assert user.email == "jo.new@example.org" and user.pending_email is None and user.email_confirmed_at
    assert AuditEvent.get(AuditEvent.action == "changed_email").object_id == jo.id
    told = emails_to("jo@example.org")
    assert [e.subject for e in told] == ["Your email address has been changed"]
    assert "jo.new@example.org" in told[0].text_body and "You have changed" in told[0].text_body
    assert web.get(url).status_code == 410  # once only
    web.logout()
    assert web.submit("/login", {"email": "jo@example.org", "password": PASSWORD}).status_code == 200
    web.login("jo.new@example.org", PASSWORD)


def test_changing_the_address_asks_for_the_password(app, jo):
    web = signed_in(app, "jo@example.org")
    for password, message in (("", "Enter your password to change your email address"),
                              ("not it at all", "Your password is not right")):
        refused = web.submit("/account/details", {"name": "Jo Bloggs", "email": "thief@example.org",
                                                  "current_password": password})
        assert refused.status_code == 400 and errors(refused)["current_password"] == message
    assert not emails_to("thief@example.org") and User.get_by_id(jo.id).pending_email is None


def test_only_the_newest_link_works(app, jo):
    web = signed_in(app, "jo@example.org")
    web.submit("/account/details", {"name": "Jo Bloggs", "email": "first@example.org", "current_password": PASSWORD})
    first = change_link("first@example.org")
    web.submit("/account/details", {"name": "Jo Bloggs", "email": "second@example.org", "current_password": PASSWORD})
    assert "A newer link has been sent" in text(web.get(first))
    web.submit(change_link("second@example.org"))
    assert User.get_by_id(jo.id).email == "second@example.org"


def test_an_address_with_an_account_of_its_own_is_not_taken_over(app, jo):
    make_user("sam@example.org", "Sam Other", mentee=True)
    web = signed_in(app, "jo@example.org")
    asked = web.submit("/account/details", {"name": "Jo Bloggs", "email": "sam@example.org",
                                            "current_password": PASSWORD}, follow_redirects=True)
    # Said the same as for any address, so the page tells no one which addresses have accounts.
    assert "We have sent a link to sam@example.org" in words(asked)
    refused = web.submit(change_link("sam@example.org"))
    assert refused.status_code == 409 and "sam@example.org already belongs to another account" in words(refused)
    assert User.get_by_id(jo.id).email == "jo@example.org"
    assert not AuditEvent.select().where(AuditEvent.action == "changed_email").exists()


def test_a_mentor_changes_their_name_on_their_profile(app):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    web = signed_in(app, "priya@example.org")
    page = web.get("/account/details")
    assert "change it on your profile" in words(page) and 'name="name"' not in text(page)
    web.submit("/account/details", {"name": "Someone Else", "email": "priya@example.org"})
    assert User.get_by_id(mentor.user_id).name == "Priya Shah"
