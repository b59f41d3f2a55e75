"""Admins invite mentors and admins; one login can hold several roles; navigation follows the roles."""
import re
from datetime import timedelta

import pytest

from portal.core import clock
from portal.models import AuditEvent, MentorProfile, User
from tests.support.factories import PASSWORD, make_user
from tests.support.forms import signup_form
from tests.support.servers import text_of
from tests.support.web import errors, signed_in, text, words


def invitation_link(mailbox, address) -> str:
    message = mailbox.wait_for(address, "You are invited")
    return re.search(r"http://portal\.test(/invitation/\S+)", text_of(message)).group(1)


@pytest.fixture
def admin_web(web):
    make_user("admin@example.org", "Ada Admin", admin=True)
    web.login("admin@example.org", PASSWORD)
    return web


def test_an_admin_invites_a_mentor_who_sets_a_password(admin_web, client, run_jobs, mailbox, app):
    response = admin_web.submit("/admin/invite", {"name": "Priya Shah", "email": "Priya@Example.org",
                                                  "role": "mentor"})
    assert response.status_code == 302
    mentor = User.get(User.email == "priya@example.org")
    assert mentor.password_hash is None
    assert MentorProfile.select().where(MentorProfile.user == mentor).exists()
    assert AuditEvent.get(AuditEvent.action == "invited_mentor").object_id == mentor.id
    assert "Priya Shah" in text(admin_web.get("/admin/invitations"))

    run_jobs()
    url = invitation_link(mailbox, "priya@example.org")
    assert "as a peer mentor" in text_of(mailbox.wait_for("priya@example.org", "invited"))
    admin_web.logout()

    invitee = admin_web
    page = invitee.get(url)
    assert "Welcome, Priya" in text(page)
    assert "and not your name, your email address or a well-known password" in words(page)  # before any error
    weak = invitee.submit(url, {"password": "priya shah 1", "password_confirm": "priya shah 1"})
    assert "must not contain your name" in errors(weak)["password"]
    done = invitee.submit(url, {"password": "lantern meadow crisp", "password_confirm": "lantern meadow crisp"})
    assert done.headers["Location"] == "/"  # logged in by setting the password, not sent to log in again
    home = text(invitee.get("/"))
    assert "As a peer mentor" in home
    assert User.get_by_id(mentor.id).email_confirmed_at is not None  # the link proved the address

    again = invitee.get(url)
    assert again.status_code == 410 and "already been used" in text(again)
    invitee.logout()
    invitee.login("priya@example.org", "lantern meadow crisp")


def test_an_invitation_lasts_seven_days(admin_web, run_jobs, mailbox):
    admin_web.submit("/admin/invite", {"name": "Tom Lee", "email": "tom@example.org", "role": "mentor"})
    run_jobs()
    url = invitation_link(mailbox, "tom@example.org")
    admin_web.logout()
    with clock.travel(timedelta(days=6, hours=23)):
        assert admin_web.get(url).status_code == 200
    with clock.travel(timedelta(days=7, minutes=1)):
        expired = admin_web.get(url)
        assert expired.status_code == 410
        assert "This link has expired" in text(expired)
        assert "team@example.org" in text(expired)


def test_resending_an_invitation_replaces_the_old_link(admin_web, run_jobs, mailbox):
    admin_web.submit("/admin/invite", {"name": "Tom Lee", "email": "tom@example.org", "role": "mentor"})
    run_jobs()
    first = invitation_link(mailbox, "tom@example.org")
    tom = User.get(User.email == "tom@example.org")
    with clock.travel(timedelta(days=8)):
        response = admin_web.submit(f"/admin/invitations/{tom.id}/resend")
        assert response.status_code == 302
        run_jobs()
        second = invitation_link(mailbox, "tom@example.org")
        assert first != second
        assert admin_web.get(second).status_code == 200
    assert "A newer link has been sent" in text(admin_web.get(first))


def test_resending_to_someone_who_has_accepted_says_so(admin_web):
    accepted = make_user("done@example.org", "Done Already", mentor=True)
    response = admin_web.submit(f"/admin/invitations/{accepted.id}/resend", follow_redirects=True)
    assert "has already accepted" in text(response)
    assert admin_web.submit("/admin/invitations/99999/resend").status_code == 404


def test_an_admin_invites_another_admin(admin_web, run_jobs, mailbox):
    admin_web.submit("/admin/invite", {"name": "Bea Admin", "email": "bea@example.org", "role": "admin"})
    assert User.get(User.email == "bea@example.org").is_admin
    run_jobs()
    assert "a member of the admin team" in text_of(mailbox.wait_for("bea@example.org", "invited"))


def test_inviting_an_existing_mentee_as_mentor_adds_the_role(admin_web, run_jobs, mailbox):
    mentee = make_user("mo@example.org", "Mo Mentee", mentee=True)
    admin_web.submit("/admin/invite", {"name": "Mo Mentee", "email": "mo@example.org", "role": "mentor"})
    run_jobs()
    message = mailbox.wait_for("mo@example.org", "You have been added as a peer mentor")
    assert "/invitation/" not in text_of(message)
    assert User.select().where(User.email == "mo@example.org").count() == 1
    admin_web.logout()
    admin_web.login("mo@example.org", PASSWORD)
    home = text(admin_web.get("/"))
    assert "Your mentoring" in home and "As a peer mentor" in home
    assert mentee.id == User.get(User.email == "mo@example.org").id


@pytest.mark.parametrize("form, field, message", [
    ({"name": "", "email": "x@example.org", "role": "mentor"}, "name", "Enter their full name"),
    ({"name": "X" * 101, "email": "x@example.org", "role": "mentor"}, "name",
     "Their name must be 100 characters or fewer"),
    ({"name": "X Y", "email": "nope", "role": "mentor"}, "email", "correct format"),
    ({"name": "X Y", "email": "", "role": "mentor"}, "email", "Enter their email address"),
    ({"name": "X Y", "email": "x" * 250 + "@example.org", "role": "mentor"}, "email",
     "Their email address must be 254 characters or fewer"),
    ({"name": "X Y", "email": "x@example.org"}, "role", "Choose whether to invite them as a peer mentor"),
    ({"name": "X Y", "email": "x@example.org", "role": "owner"}, "role", "Not a valid choice"),
])
def test_invitation_form_explains_bad_input_about_the_person_invited(admin_web, form, field, message):
    response = admin_web.submit("/admin/invite", form)
    assert message in errors(response)[field]
    assert not any("your" in found.lower().split() for found in errors(response).values())
    assert User.select().count() == 1


@pytest.mark.parametrize("roles", [{}, {"mentee": True}, {"mentor": True}])
def test_only_admins_reach_the_admin_pages(web, roles):
    make_user("someone@example.org", "Some One", **roles)
    assert web.get("/admin/").status_code == 302  # not logged in: asked to
    web.login("someone@example.org", PASSWORD)
    for url in ("/admin/", "/admin/invite", "/admin/invitations", "/admin/inbox", "/admin/inbox/1"):
        assert web.get(url).status_code == 403, url
    assert web.submit("/admin/invite", {"name": "X Y", "email": "x@example.org", "role": "admin"}).status_code == 403
    assert not User.select().where(User.email == "x@example.org").exists()


@pytest.mark.parametrize("roles, shown, hidden", [
    ({"mentee": True}, ["Your mentoring"], ["As a peer mentor", "Running the scheme", ">Admin<"]),
    ({"mentor": True}, ["As a peer mentor", "Join as a mentee"], ["Your mentoring", ">Admin<"]),
    ({"admin": True}, ["Running the scheme", ">Admin<"], ["Your mentoring", "As a peer mentor"]),
    ({"mentor": True, "mentee": True}, ["Your mentoring", "As a peer mentor"], ["Join as a mentee", ">Admin<"]),
])
def test_navigation_shows_what_each_role_can_do(web, roles, shown, hidden):
    make_user("someone@example.org", "Some One", **roles)
    web.login("someone@example.org", PASSWORD)
    home = text(web.get("/"))
    for words in shown:
        assert words in home
    for words in hidden:
        assert words not in home


def test_a_mentor_joins_as_a_mentee_with_the_same_login(web):
    make_user("priya@example.org", "Priya Shah", mentor=True)
    web.login("priya@example.org", PASSWORD)
    details = {k: v for k, v in signup_form().items() if k not in ("name", "email", "password", "password_confirm")}
    missing = web.submit("/account/join-as-mentee", {**details, "agree": ""})
    assert "Tick to confirm" in errors(missing)["agree"]
    web.submit("/account/join-as-mentee", details)
    priya = User.get(User.email == "priya@example.org")
    assert priya.mentee and priya.mentor
    assert "Peer mentor" in text(web.get("/account/")) and "Mentee" in text(web.get("/account/"))
    assert web.get("/account/join-as-mentee").status_code == 404


def test_an_inline_check_while_joining_as_a_mentee_answers_with_the_field_alone_and_saves_nothing(web):
    make_user("priya@example.org", "Priya Shah", mentor=True)
    web.login("priya@example.org", PASSWORD)
    page = text(web.get("/account/join-as-mentee"))
    for name in ("specialty", "trust"):
        assert f'hx-post="/account/join-as-mentee?check={name}"' in page
    assert "check=expected_return" not in page  # a date is checked when the form is sent
    # Every detail in order: a check must still not join, nor answer with the page it would show next.
    details = {k: v for k, v in signup_form().items() if k not in ("name", "email", "password", "password_confirm")}
    for name, value, message in [("specialty", "x" * 101, "100 characters or fewer"),
                                 ("trust", "", "Enter the trust that employs you"),
                                 ("trust", details["trust"], None)]:
        response = web.submit(f"/account/join-as-mentee?check={name}", {**details, name: value},
                              headers={"HX-Request": "true"})
        fragment = text(response)
        assert response.status_code == 200, name
        assert fragment.strip().startswith(f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if message else ""}"')
        assert f'id="{name}"' in fragment
        for whole_page in ("<html", "<h1", "<form", "error-summary", "<button"):
            assert whole_page not in fragment, (name, whole_page)
        assert set(re.findall(r'name="([^"\[]+)', fragment)) == {name}  # that field alone (a date's three boxes)
        assert (message in fragment) if message else ("error-message" not in fragment)
    assert not User.get(User.email == "priya@example.org").mentee


def test_a_mentor_invited_without_a_bio_starts_off_the_register(app, web):
    make_user("ada@example.org", "Ada Admin", admin=True)
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    ada = signed_in(app, "ada@example.org")
    ada.submit("/admin/invite", {"name": "Mo Mentee", "email": "mo@example.org", "role": "mentor"})
    assert MentorProfile.get().listed is False
    User.update(password_hash=User.get(User.email == "ada@example.org").password_hash).where(
        User.email == "mo@example.org").execute()
    assert "Mo Mentee" not in text(signed_in(app, "mel@example.org").get("/mentors/"))
