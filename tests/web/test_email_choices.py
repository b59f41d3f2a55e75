"""Account → Emails, and the one-click link in every email that can be turned off (RFC 8058): GET shows
a page and changes nothing, POST stops that kind of email, with no login, no cookie and no CSRF token."""
import json
import re
from datetime import date

import pytest

from portal.core import content, digest, mail
from portal.models import ActionLink, Email, EmailPreference, EmailStatus, User
from portal.privacy import erasure
from portal.rules.emails import NewsChoice
from tests.support.clock import at
from tests.support.factories import make_user
from tests.support.web import Web, errors, signed_in, text, words

JO = "jo@example.org"


@pytest.fixture
def jo(app):
    with app.app_context():
        make_user(JO, "Jo Bloggs", mentee=True)
    return signed_in(app, JO)


def choices(address=JO) -> EmailPreference:
    with_user = User.get(User.email == address)
    return mail.choices_of(with_user)


def news_email(app, address=JO) -> Email:
    """A real email that can be turned off, as it went (news as it happens: the default)."""
    with app.app_context():
        user = User.get(User.email == address)
        email_id = mail.send(address, "waitlist_closed", "A waiting list you were on has closed", user=user,
                             name=user.first_name, url="http://portal.test/mentors")
        return Email.get_by_id(email_id)


def path_of(url: str) -> str:
    return url.removeprefix("http://portal.test")


def test_the_emails_page_offers_the_choices_and_saves_them(app, jo):
    page = jo.get("/account/emails")
    assert page.status_code == 200
    said = words(page)
    assert "a request waiting for your answer" in said and "less than 24 hours before it starts" in said
    assert "checked" in re.search(r'<input[^>]*value="at_once"[^>]*>', text(page)).group()
    assert "weekly summary" not in said  # for admins only
    assert "Emails" in words(jo.get("/account/")) and 'href="/account/emails"' in text(jo.get("/account/"))
    done = jo.submit("/account/emails", {"news": "daily", "summary_hour": "7"}, follow_redirects=True)
    assert "Your email choices are saved." in words(done)
    saved = choices()
    assert (saved.news, saved.summary_hour) == (NewsChoice.DAILY, 7)
    assert re.search(r'<option[^>]*selected[^>]*value="7"|<option[^>]*value="7"[^>]*selected', text(done))


@pytest.mark.parametrize("sent, field, message", [
    ({"news": "weekly", "summary_hour": "8"}, "news", "Choose how you would like your news"),
    ({"summary_hour": "8"}, "news", "Choose how you would like your news"),
    ({"news": "daily", "summary_hour": "3"}, "summary_hour", "Choose a time for your daily summary"),
    ({"news": "daily", "summary_hour": "eight"}, "summary_hour", "Choose a time for your daily summary"),
    ({"news": "daily"}, "summary_hour", "Choose a time for your daily summary"),
])
def test_a_bad_choice_is_refused_with_a_clear_message(app, jo, sent, field, message):
    page = jo.submit("/account/emails", sent)
    assert page.status_code == 400
    assert message in errors(page).values() and f"Error:</span> {message}" in text(page)
    assert not EmailPreference.select().exists()


def test_the_page_says_what_is_waiting_and_where_it_went_after_a_change(app, jo):
    with app.app_context(), at("2026-11-25T10:00"):
        digest.choose(User.get(User.email == JO), NewsChoice.DAILY, 8)
        news_email(app)
        news_email(app)
        page = words(jo.get("/account/emails"))
    assert "2 messages are waiting for your next daily summary, due 26 November 2026 at 8:00am" in page
    with at("2026-11-25T11:00"):
        done = words(jo.submit("/account/emails", {"news": "at_once", "summary_hour": "8"}, follow_redirects=True))
    assert "2 messages waiting for your summary are on the way now." in done


def test_an_admin_can_turn_off_their_own_copy_of_the_weekly_summary(app):
    with app.app_context():
        make_user("ada@example.org", "Ada Admin", admin=True)
    ada = signed_in(app, "ada@example.org")
    page = words(ada.get("/account/emails"))
    assert "It always goes to the team's inbox, team@example.org" in page
    assert "checked" in re.search(r'<input[^>]*name="weekly_summary"[^>]*>', text(ada.get("/account/emails"))).group()
    ada.submit("/account/emails", {"news": "at_once", "summary_hour": "8"})  # the box left unticked
    assert choices("ada@example.org").weekly_summary is False
    ada.submit("/account/emails", {"news": "at_once", "summary_hour": "8", "weekly_summary": "y"})
    assert choices("ada@example.org").weekly_summary is True


def test_every_email_that_can_be_turned_off_says_how_and_those_needed_do_not(app, jo):
    news = news_email(app)
    assert news.unsubscribe_url.startswith("http://portal.test/unsubscribe/news/")
    assert news.unsubscribe_url in news.text_body and f'href="{news.unsubscribe_url}"' in news.html_body
    assert "http://portal.test/account/emails" in news.text_body
    assert news_email(app).unsubscribe_url == news.unsubscribe_url  # one lasting link: an old email's still works
    with app.app_context():
        needed = Email.get_by_id(mail.send(JO, "reset_password", "Reset your password", user=User.get(
            User.email == JO), name="Jo", url="http://portal.test/password/reset/x", minutes=60))
    assert needed.unsubscribe_url is None and "/unsubscribe/" not in needed.text_body


def test_looking_at_the_link_changes_nothing_and_pressing_stops_the_news_without_a_login(app, jo):
    link = path_of(news_email(app).unsubscribe_url)
    stranger = Web(app.test_client())  # no login: a phone's mail program, say
    page = stranger.get(link)
    assert page.status_code == 200 and "Stop emails with news that needs nothing from you?" in words(page)
    assert choices().news == NewsChoice.AT_ONCE  # mail scanners open links: a look is not a yes
    done = stranger.client.post(link)  # the page's button: no CSRF token needed, the link is the key
    assert done.status_code == 200 and "We will not send you emails with news" in words(done)
    assert choices().news == NewsChoice.OFF
    with app.app_context():
        user = User.get(User.email == JO)
        assert mail.send(JO, "waitlist_closed", "Closed", user=user, name="Jo", url="http://portal.test/") is None
    again = stranger.client.post(link)  # the same link pressed twice is just as done
    assert again.status_code == 200 and choices().news == NewsChoice.OFF


def test_a_mail_programs_one_click_unsubscribe_works_with_no_cookie_or_token(app, jo):
    link = path_of(news_email(app).unsubscribe_url)
    client = app.test_client(use_cookies=False)
    response = client.post(link, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert choices().news == NewsChoice.OFF


def test_it_works_while_logged_in_too_even_with_an_agreement_to_accept(app, jo):
    link = path_of(news_email(app).unsubscribe_url)
    with app.app_context():
        content.publish("agreement", "Mentoring agreement", "A new version.", None)
    assert jo.get("/").status_code == 302  # sent to accept the new version first
    assert jo.get(link).status_code == 200 and jo.client.post(link).status_code == 200
    assert jo.get("/account/emails").status_code == 200
    assert choices().news == NewsChoice.OFF


WEEKLY = dict(week_of=date(2026, 11, 30), due_days=2, quiet_match_weeks=3,
              quiet_signup_months=2, window_months=6,
              figures={key: 0 for key in ("due_soon", "quiet_match", "quiet_signup", "past_window", "open_items",
                                          "failed_emails", "back_from_leave")},
              dashboard_url="http://portal.test/admin/", inbox_url="http://portal.test/admin/inbox",
              health_url="http://portal.test/admin/health", register_url="http://portal.test/admin/mentors")


def test_a_weekly_link_stops_only_the_admins_copy(app):
    with app.app_context():
        ada = make_user("ada@example.org", "Ada Admin", admin=True)
        email = Email.get_by_id(mail.send("ada@example.org", "weekly_summary", "The week ahead", user=ada,
                                          **WEEKLY))
    link = path_of(email.unsubscribe_url)
    assert link.startswith("/unsubscribe/weekly/")
    stranger = Web(app.test_client())
    assert "Stop your own copy of the team's weekly summary?" in words(stranger.get(link))
    assert "The summary still goes to the team's inbox, team@example.org" in words(stranger.client.post(link))
    chosen = choices("ada@example.org")
    assert chosen.weekly_summary is False and chosen.news == NewsChoice.AT_ONCE


def test_a_link_altered_made_for_another_kind_or_for_a_closed_account_opens_nothing(app, jo):
    link = path_of(news_email(app).unsubscribe_url)
    stranger = Web(app.test_client())
    token = link.rsplit("/", 1)[1]
    for wrong in (f"/unsubscribe/weekly/{token}", f"/unsubscribe/everything/{token}", link[:-2] + "xx"):
        assert stranger.get(wrong).status_code == 404, wrong
        assert stranger.client.post(wrong).status_code == 404, wrong
    with app.app_context():
        ada = make_user("ada@example.org", "Ada Admin", admin=True)
        erasure.erase(User.get(User.email == JO), ada)
    assert stranger.get(link).status_code == 404 and stranger.client.post(link).status_code == 404
    assert not ActionLink.select().where(ActionLink.expires_at.is_null()).exists()


def test_the_choices_are_in_the_data_download_and_go_with_erasure(app, jo):
    jo.submit("/account/emails", {"news": "daily", "summary_hour": "19"})
    news_email(app)  # held for the summary: mail still to go is not sent once erased
    held = json.loads(text(jo.get("/account/data.json")))
    assert held["email_choices"] == {"news": "daily", "daily_summary_hour": 19}
    assert [link["for"] for link in held["private_links"]] == ["stopping news emails"]
    assert [e["status"] for e in held["emails_sent_to_you"]] == ["held"]
    assert "unsubscribe" not in json.dumps(held)  # that a link exists, never the link itself
    with app.app_context():
        ada = make_user("ada@example.org", "Ada Admin", admin=True)
        erasure.erase(User.get(User.email == JO), ada)
    assert not EmailPreference.select().exists()
    assert not Email.select().where(Email.status == EmailStatus.HELD).exists()
