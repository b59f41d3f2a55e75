"""A mentee signs up, confirms their address by the emailed link, and logs in."""
import re
from datetime import timedelta

import pytest

from portal.core import clock, content
from portal.models import ActionLink, Content, Email, MenteeProfile, User
from tests.support.factories import make_user
from tests.support.forms import signup_form
from tests.support.servers import html_of, text_of
from tests.support.web import TOKEN, Web, errors, text


def link_in(message) -> str:
    return re.search(r"http://portal\.test(/\S+)", text_of(message)).group(1)


def test_a_mentee_signs_up_confirms_and_logs_in(web, run_jobs, mailbox):
    before = clock.now()
    response = web.submit("/signup", signup_form())
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signup/check-your-email")

    user = User.get(User.email == "jo.bloggs@example.org")
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith("scrypt:")
    profile = MenteeProfile.get(MenteeProfile.user == user)
    assert (profile.grade, profile.school, profile.trust, profile.eligibility, profile.reason) == (
        "ST3", "Medicine", "Leeds Teaching Hospitals NHS Trust", "out_now", "parental_leave")
    assert profile.agreement_version == 1
    assert before <= profile.agreement_accepted_at <= clock.now()

    # The email is in the outbox before any worker runs; the worker delivers it to the SMTP server.
    assert Email.get(Email.to_address == user.email).status == "queued"
    run_jobs()
    message = mailbox.wait_for("jo.bloggs@example.org", "Confirm your email address")
    assert "Hello Jo" in text_of(message)
    assert link_in(message) in html_of(message)

    # Opening the link only shows a button: a mail scanner following links confirms nothing.
    url = link_in(message)
    looked = web.get(url)
    assert looked.status_code == 200 and "jo.bloggs@example.org" in text(looked)
    assert "Confirm my email address" in text(looked)
    assert User.get_by_id(user.id).email_confirmed_at is None
    assert web.client.post(url).status_code == 400  # without the form's token
    assert User.get_by_id(user.id).email_confirmed_at is None
    confirmed = web.submit(url)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/login"
    assert User.get_by_id(user.id).email_confirmed_at is not None
    login_page = web.get("/login")
    assert 'value="jo.bloggs@example.org"' in text(login_page)  # the address just confirmed, filled in
    assert 'value="jo.bloggs@example.org"' not in text(web.get("/login"))  # once, not for whoever comes next

    web.login("jo.bloggs@example.org", "tulip orbit kettle")
    home = text(web.get("/"))
    assert "Hello, Jo" in home
    assert "Confirm your email address" not in home


def test_an_unconfirmed_mentee_is_asked_to_confirm(web, run_jobs, mailbox):
    web.submit("/signup", signup_form())
    web.login("jo.bloggs@example.org", "tulip orbit kettle")
    assert "You need to confirm your address before you can ask a mentor" in text(web.get("/"))
    web.submit("/confirm/again")
    run_jobs()
    assert len(mailbox.to("jo.bloggs@example.org")) == 2


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter your full name"),
    ("name", "x" * 101, "100 characters or fewer"),
    ("email", "", "Enter your email address"),
    ("email", "jo.bloggs.example.org", "correct format"),
    ("email", "jo@bloggs@example.org", "correct format"),
    ("email", "a" * 250 + "@example.org", "254 characters or fewer"),
    ("password", "short", "at least 10 characters"),
    ("password", "password123", "too easy to guess"),
    ("password", "bloggs kettle", "must not contain your name"),
    ("password_confirm", "tulip orbit kettles", "do not match"),
    ("grade", "", "Choose your grade"),
    ("grade", "Consultant", "Not a valid choice"),
    ("school", "", "Choose your school"),
    ("trust", "", "Enter the trust"),
    ("trust", "t" * 101, "100 characters or fewer"),
    ("specialty", "s" * 101, "100 characters or fewer"),
    ("eligibility", None, "Choose the statement"),
    ("reason", None, "Choose the reason"),
    ("expected_return", "", "Enter your expected return date"),
    ("expected_return", "31/02/2027", "Enter a real date"),
    ("expected_return", "next spring", "Enter a real date"),
    ("expected_return", "2020-01-01", "today or in the future"),
    ("expected_return", "2099-01-01", "within 5 years"),
    ("agree", None, "Tick to confirm you agree"),
])
def test_bad_input_is_explained_and_nothing_is_lost(web, field, value, message):
    response = web.submit("/signup", signup_form(**{field: value}))
    assert response.status_code == 200
    page = text(response)
    found = errors(response)
    anchor = f"{field}-day" if field == "expected_return" else field
    assert message in found.get(anchor, ""), found
    assert page.startswith("<!doctype html>") and "<title>Error: " in page
    # What was typed is still there (passwords excepted, as browsers expect).
    if field != "name":
        assert 'value="Jo Bloggs"' in page
    if field != "trust":
        assert 'value="Leeds Teaching Hospitals NHS Trust"' in page
    assert not User.select().exists()


def test_an_ineligible_trainee_is_told_kindly_how_to_reach_the_team(web):
    response = web.submit("/signup", signup_form(eligibility="planning_no_form"))
    message = errors(response)["eligibility"]
    assert "cannot join just yet" in message
    assert "team@example.org" in message
    assert not User.select().exists()


def test_planning_to_go_out_with_the_form_done_may_join(web):
    response = web.submit("/signup", signup_form(eligibility="planning", reason="out_of_programme"))
    assert response.status_code == 302
    assert MenteeProfile.get().eligibility == "planning"


def test_a_second_signup_does_not_reveal_the_account_but_tells_its_owner(web, run_jobs, mailbox):
    make_user("jo.bloggs@example.org", "Jo Bloggs")
    first = web.submit("/signup", signup_form())
    fresh = web.submit("/signup", signup_form(email="someone.new@example.org"))
    # The same answer whether or not the address is taken.
    assert first.status_code == fresh.status_code == 302
    assert first.headers["Location"].split("?")[0] == fresh.headers["Location"].split("?")[0]
    # (The CSRF token carries the second it was signed, so it is left out of the comparison.)
    assert TOKEN.sub("", text(web.get(first.headers["Location"]))).replace("jo.bloggs", "X") == \
        TOKEN.sub("", text(web.get(fresh.headers["Location"]))).replace("someone.new", "X")

    assert User.select().where(User.email == "jo.bloggs@example.org").count() == 1
    assert not MenteeProfile.select().join(User).where(User.email == "jo.bloggs@example.org").exists()
    run_jobs()
    notice = mailbox.wait_for("jo.bloggs@example.org", "Someone tried to sign up")
    assert "/password/forgot" in text_of(notice)
    # Trying again the same day does not flood the owner's inbox.
    web.submit("/signup", signup_form())
    run_jobs()
    assert len(mailbox.to("jo.bloggs@example.org")) == 1


def test_inline_check_returns_just_the_field_and_saves_nothing(web):
    response = web.submit("/signup?check=email", signup_form(email="not-an-email"), headers={"HX-Request": "true"})
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.strip().startswith('<div class="nhsuk-form-group nhsuk-form-group--error"')
    assert 'hx-target="this"' in page and 'id="email"' in page
    assert "correct format" in page
    good = text(web.submit("/signup?check=email", signup_form(), headers={"HX-Request": "true"}))
    assert "field--error" not in good
    assert not User.select().exists()


def test_only_a_page_that_answers_inline_checks_asks_for_them(app, web):
    from flask import render_template_string

    from portal.accounts.forms import MenteeDetailsForm

    @app.route("/without-checks", methods=["GET", "POST"])
    def without_checks():  # a view that never called partials.inline_checks
        return render_template_string('{% import "_partials/forms.html" as f %}{{ f.field(form.trust) }}',
                                      form=MenteeDetailsForm())

    assert "hx-post" not in text(web.get("/without-checks"))
    page = text(web.get("/signup"))
    for name in ("name", "email", "specialty", "trust"):
        assert f'hx-post="/signup?check={name}"' in page
    assert "?check=password" not in page  # re-rendered, a password would come back empty
    # A check of a field the page does not check is refused, not answered with the page.
    for name in ("password", "grade", "nonsense", ""):
        refused = web.submit(f"/signup?check={name}", signup_form(), headers={"HX-Request": "true"})
        assert refused.status_code == 400 and "<form" not in text(refused), name
    assert not User.select().exists()


def test_many_signups_from_one_network_are_slowed_down(app, web):
    app.config["ATTEMPTS_PER_NETWORK"] = "3 per hour"
    for n in range(2):
        assert web.submit("/signup", signup_form(email=f"doctor{n}@example.org")).status_code == 302
    assert web.submit("/signup", signup_form(email="doctor2@example.org", agree=None)).status_code == 200
    # Checking a field as it is typed saves nothing, so it is not counted.
    checked = web.submit("/signup?check=email", signup_form(), headers={"HX-Request": "true"})
    assert checked.status_code == 200
    blocked = web.submit("/signup", signup_form(email="doctor3@example.org"))
    assert blocked.status_code == 429 and "Too many attempts" in text(blocked)
    assert User.select().count() == 2


@pytest.mark.parametrize("problem", ["expired", "used", "forged", "revoked"])
def test_a_bad_confirmation_link_gets_a_friendly_page(web, run_jobs, mailbox, problem):
    web.submit("/signup", signup_form())
    run_jobs()
    url = link_in(mailbox.wait_for("jo.bloggs@example.org", "Confirm"))
    if problem == "expired":
        with clock.travel(timedelta(hours=73)):
            response = web.get(url)
            assert web.submit(url).status_code == 410
        assert response.status_code == 410
        assert "This link has expired" in text(response)
        assert "Send a new link" in text(response)
    elif problem == "used":
        web.submit(url)
        for send in (web.get, web.submit):
            response = send(url)
            assert response.status_code == 302  # already confirmed: nothing to fix, so say so
            assert "already confirmed" in text(web.get("/"))
    elif problem == "forged":
        response = web.get(url[:-3] + "abc")
        assert response.status_code == 404
        assert web.submit(url[:-3] + "abc").status_code == 404
        assert "This link does not work" in text(response)
    else:
        web.submit("/confirm/again", {"email": "jo.bloggs@example.org"})
        response = web.get(url)
        assert response.status_code == 410
        assert web.submit(url).status_code == 410
        assert "A newer link has been sent" in text(response)
    if problem != "used":
        assert User.get().email_confirmed_at is None
    assert ActionLink.select().count() >= 1


def test_a_mentee_records_the_agreement_version_they_were_shown(app):
    page = Web(app.test_client())
    form = signup_form(agreement_version="1")
    Content.create(key="agreement", version=2, title="Mentoring agreement", body="New terms")
    assert content.current("agreement").version == 2
    page.submit("/signup", form)
    assert MenteeProfile.get().agreement_version == 1
