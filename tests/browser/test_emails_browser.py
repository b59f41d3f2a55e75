"""On a phone, with JavaScript and without: a mentee chooses a daily summary in Account → Emails, the
summary arrives at the time chosen, and its one-click link, opened with no login, stops the news."""
import re

import pytest
from playwright.sync_api import expect

from jobs.sweeps import send_daily_summaries
from portal.core import mail
from portal.models import EmailPreference, User
from portal.rules.emails import NewsChoice
from tests.support.clock import at
from tests.support.factories import make_user
from tests.support.jobs import sweep
from tests.support.pages import axe_violations, banner, dump, fits_the_screen, go_to, log_in, new_page
from tests.support.servers import text_of

# What the browser shows does not depend on the database; the journeys of test_request_browser.py and
# test_sessions_browser.py run on PostgreSQL too, and every page and rule is on both in tests/web.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["sqlite"], indirect=True)]

JO = "jo@example.org"


def checked_on_a_phone(page, javascript):
    assert fits_the_screen(page)
    if javascript:
        assert axe_violations(page) == [], dump(axe_violations(page))


def test_a_mentee_chooses_a_daily_summary_and_stops_the_news_from_its_link(page, browser, app, live_server, mailbox):
    make_user(JO, "Jo Bloggs", mentee=True)
    with at("2026-11-25T10:00"):
        log_in(page, JO)
        go_to(page, "Account")
        page.get_by_role("link", name=re.compile("^Emails")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Emails")
        checked_on_a_phone(page, page.javascript)
        page.get_by_label("In one daily summary").check()
        page.get_by_label("Time of your daily summary").select_option("07:00")
        page.get_by_role("button", name="Save your choices").click()
        expect(banner(page)).to_contain_text("Your email choices are saved.")
        expect(page.get_by_label("In one daily summary")).to_be_checked()
        checked_on_a_phone(page, page.javascript)
    chosen = EmailPreference.get(EmailPreference.user == User.get(User.email == JO).id)
    assert (chosen.news, chosen.summary_hour) == (NewsChoice.DAILY, 7)

    with app.app_context(), at("2026-11-25T11:00"):
        user = User.get(User.email == JO)
        mail.send(JO, "waitlist_closed", "A waiting list you were on has closed", user=user, name="Jo",
                  url=f"{live_server}/mentors")
    sweep(app, send_daily_summaries, "2026-11-26T06:59", "2026-11-26T07:00")  # 07:00 in London, in winter
    summary = mailbox.wait_for(JO, "Your daily summary")
    link = re.search(r"(http://127\.0\.0\.1:\d+/unsubscribe/news/\S+)", text_of(summary)).group(1)
    assert summary["List-Unsubscribe"].strip() == f"<{link}>"

    stranger = new_page(browser, app, live_server, javascript=page.javascript)  # from the email: no login
    stranger.goto(link)
    expect(stranger.get_by_role("heading", level=1)).to_have_text(
        "Stop emails with news that needs nothing from you?")
    checked_on_a_phone(stranger, page.javascript)
    assert EmailPreference.get_by_id(chosen.id).news == NewsChoice.DAILY  # looking changes nothing
    stranger.get_by_role("button", name="Stop these emails").click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text(
        "We will not send you emails with news that needs nothing from you")
    checked_on_a_phone(stranger, page.javascript)
    assert EmailPreference.get_by_id(chosen.id).news == NewsChoice.OFF
    stranger.context.close()

    page.goto("/account/emails")
    expect(page.get_by_label("Not by email")).to_be_checked()
