"""Numbers a browser sends back (hidden fields, addresses, cookies) are checked like anything typed:
a value that is not a plain, sensible number gets the form again or "not found", never an error."""
import pytest
from flask_login.utils import encode_cookie

from portal.models import MenteeProfile, User
from tests.support.factories import PASSWORD, make_user
from tests.support.forms import signup_form
from tests.support.web import Web, errors, signed_in, text, words

# A superscript passes str.isdigit but not int(); twenty digits overflow the database's integers.
NOT_VERSIONS = ["²", "9" * 20, "-1", "1.5"]
OUT_OF_DATE = "This page was out of date: read the agreement again and tick to agree"


@pytest.mark.parametrize("version", NOT_VERSIONS)
def test_signing_up_with_an_odd_agreement_version_shows_the_form_again(web, version):
    response = web.submit("/signup", signup_form(agreement_version=version))
    assert response.status_code == 200
    assert OUT_OF_DATE in errors(response).values()
    assert 'name="agreement_version" type="hidden" value="1"' in text(response)
    assert not User.select().exists()
    assert web.submit("/signup", signup_form(agreement_version="1")).status_code == 302


@pytest.mark.parametrize("version", NOT_VERSIONS)
def test_joining_as_a_mentee_with_an_odd_agreement_version_shows_the_form_again(web, version):
    make_user("priya@example.org", "Priya Shah", mentor=True)
    web.login("priya@example.org", PASSWORD)
    details = {k: v for k, v in signup_form().items() if k not in ("name", "email", "password", "password_confirm")}
    response = web.submit("/account/join-as-mentee", {**details, "agreement_version": version})
    assert response.status_code == 200
    assert OUT_OF_DATE in errors(response).values()
    assert not MenteeProfile.select().exists()


@pytest.mark.parametrize("version", NOT_VERSIONS)
def test_accepting_the_agreement_with_an_odd_version_shows_the_form_again(web, version):
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    web.login("jo@example.org", PASSWORD)
    before = MenteeProfile.get().agreement_accepted_at
    response = web.submit("/agreement/accept", {"agree": "y", "version": version})
    assert response.status_code == 200
    assert OUT_OF_DATE in errors(response).values()
    assert MenteeProfile.get().agreement_accepted_at == before


HUGE = "9" * 20


@pytest.mark.parametrize("method, url", [
    ("get", f"/mentors/{HUGE}"),
    ("get", f"/mentoring/{HUGE}"),
    ("get", f"/requests/{HUGE}/answer"),
    ("get", f"/admin/people/{HUGE}"),
    ("get", f"/admin/mentors/{HUGE}"),
    ("get", f"/admin/content/agreement/{HUGE}"),
    ("post", f"/admin/inbox/{HUGE}/close"),
    ("post", f"/sessions/{HUGE}/confirm"),
])
def test_an_id_too_large_for_the_database_is_not_found(web, method, url):
    make_user("ada@example.org", "Ada Admin", admin=True, mentor=True, mentee=True)
    web.login("ada@example.org", PASSWORD)
    response = web.get(url) if method == "get" else web.submit(url)
    assert response.status_code == 404
    assert "Page not found" in text(response)


@pytest.mark.parametrize("url", ["/mentors/", "/admin/people"])
@pytest.mark.parametrize("page", ["²", HUGE, "-1"])
def test_an_odd_page_number_shows_the_first_page(web, url, page):
    make_user("ada@example.org", "Ada Admin", admin=True, mentee=True)
    web.login("ada@example.org", PASSWORD)
    assert web.get(f"{url}?page={page}").status_code == 200


@pytest.mark.parametrize("user_id", ["²", HUGE])
def test_a_login_cookie_with_an_odd_user_id_is_simply_not_logged_in(app, client, user_id):
    """Only someone holding the secret key could write these; even so they end in a page, not an error."""
    make_user("pat@example.org")
    with app.app_context():
        session_cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": f"{user_id}:n0"})
        remember_cookie = encode_cookie(f"{user_id}:n0")
    for name, value in (("session", session_cookie), ("remember_token", remember_cookie)):
        browser = Web(app.test_client())
        browser.client.set_cookie(name, value)
        home = browser.get("/")
        assert home.status_code == 200 and "Log in" in text(home), name


@pytest.mark.parametrize("url", ["/admin/content/agree%00ment/1", "/admin/content/agreement%00"])
def test_a_nul_character_in_the_address_is_refused_like_one_in_a_form(web, url):
    """PostgreSQL refuses to compare a string holding NUL, so one in a path reached the database as an error."""
    make_user("ada@example.org", "Ada Admin", admin=True)
    web.login("ada@example.org", PASSWORD)
    response = web.get(url)
    assert response.status_code == 400
    assert "could not be read" in text(response)


def test_odd_page_numbers_and_nul_characters_get_answers_not_errors(app):
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    mel = signed_in(app, "mel@example.org")
    assert mel.get("/mentors/?page=%C2%B2").status_code == 200
    refused = mel.get("/mentors/?q=%00")
    assert refused.status_code == 400 and "could not be read" in words(refused)
    form = signup_form(name="Jo\x00Bloggs")
    assert Web(app.test_client()).submit("/signup", form).status_code == 400
    assert User.select().count() == 1
