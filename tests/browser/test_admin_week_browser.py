"""An admin's week, at 1280 px and at 360 px (issue 13): a concern in the inbox answered (the reply's words
stay on the item for colleagues), a mentor given longer on a request, a mentee matched directly as agreed
by phone, and an invitation cancelled. Every page passes axe and fits the screen."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.accounts import invitations
from portal.core import clock, inbox
from portal.models import MentorRequest, Relationship, User
from portal.requests import mentor_requests
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.pages import PHONE, axe_violations, banner, dump, fill_date, fits_the_screen, log_in, new_page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def looked_at(page):
    assert fits_the_screen(page), page.url
    assert axe_violations(page) == [], dump(axe_violations(page))


def admin_menu(page, name):
    page.get_by_role("navigation", name="Admin").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the walk, not the database
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_an_admins_week(browser, app, live_server, viewport):
    ada = make_user("ada@example.org", "Ada Admin", admin=True)
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    sam = make_user("sam@example.org", "Sam Hill", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    make_mentor("tom@example.org", "Tom Lee")
    with app.app_context():
        waiting = mentor_requests.make_request(jo, priya, NOTE)
        inbox.raise_item("concern", name="Casey Jones", email="casey@example.org",
                         message="My mentor has not replied for a fortnight.")
        invitations.invite(ada, "Pat Person", "pat@example.org", "mentor")
    page = new_page(browser, app, live_server, viewport=viewport)
    log_in(page, "ada@example.org")
    page.goto("/admin/")
    looked_at(page)

    # Monday: the inbox, and a reply.
    admin_menu(page, "Inbox")
    page.get_by_role("link", name="A concern raised").click()
    expect(page.get_by_text("My mentor has not replied for a fortnight.")).to_be_visible()
    page.get_by_label("Your reply").fill("Hello Casey,\n\nThank you for telling us. We have written to your mentor.")
    page.get_by_role("button", name=re.compile("Send reply")).click()
    expect(banner(page)).to_contain_text("Your reply has been sent")
    expect(page.get_by_text("We have written to your mentor.")).to_be_visible()  # for whoever opens it next
    looked_at(page)

    # Tuesday: the mentor asks for a few more days.
    admin_menu(page, "Dashboard")
    page.get_by_role("link", name=re.compile("Act on it")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jo Bloggs's request to Priya Shah")
    looked_at(page)
    later = clock.to_london(MentorRequest.get_by_id(waiting.id).deadline).date() + timedelta(days=5)
    fill_date(page, "New last day to answer", later)
    page.get_by_role("button", name="Move the deadline").click()
    expect(banner(page)).to_contain_text("Priya now has until the end of")
    assert clock.to_london(MentorRequest.get_by_id(waiting.id).deadline).date() == later

    # Wednesday: Sam and Tom agreed by phone.
    admin_menu(page, "Dashboard")
    page.get_by_role("link", name="Match a mentee to a mentor directly").click()
    looked_at(page)
    page.get_by_label("Mentee's email address").fill("sam@example.org")
    page.get_by_label("Mentor's email address").fill("tom@example.org")
    page.get_by_label("Why, in a line").fill("Agreed with both by phone.")
    page.get_by_label("Both the mentee and the mentor have agreed to this match").check()
    page.get_by_role("button", name="Match them").click()
    expect(banner(page)).to_contain_text("Sam Hill and Tom Lee are matched")
    assert Relationship.get().mentee.user_id == sam.id
    looked_at(page)

    # Friday: Pat will not be mentoring after all.
    admin_menu(page, "Invitations")
    looked_at(page)
    page.get_by_role("link", name=re.compile("Cancel the invitation to Pat Person")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel the invitation to Pat Person?")
    page.get_by_role("button", name="Cancel the invitation").click()
    expect(banner(page)).to_contain_text("The invitation to Pat Person is cancelled")
    assert User.get_or_none(User.email == "pat@example.org") is None
    page.context.close()
