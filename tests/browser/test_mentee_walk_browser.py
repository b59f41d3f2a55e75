"""A mentee's walk at 320 px, with JavaScript and without (issue 13): asked mentor declines from the email
link with a note; the mentee reads it on Home, chooses another mentor, finds them full and joins their
waiting list while a third is asked, and sees their place in line."""
import re

import pytest
from playwright.sync_api import expect

from portal.models import MentorProfile
from tests.support.factories import make_mentor, make_user
from tests.support.pages import axe_violations, banner, dump, fits_the_screen, go_to, log_in, new_page
from tests.support.servers import text_of

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
NOTE = "Coming back after parental leave, and nervous about on-calls."


def looked_at(page):
    assert fits_the_screen(page), page.url
    if page.javascript:
        assert axe_violations(page) == [], dump(axe_violations(page))


def ask(page, first_name):
    page.get_by_label("What would you like to talk about?").fill(NOTE)
    page.get_by_role("button", name=f"Ask {first_name} to be my mentor").click()
    expect(banner(page)).to_contain_text(f"Your request has gone to {first_name}")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the walk, not the database
def test_a_mentee_is_declined_chooses_again_and_joins_a_waiting_list(page, browser, app, live_server, run_jobs,
                                                                    mailbox):
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    tom = make_mentor("tom@example.org", "Tom Lee", capacity=1)
    ana = make_mentor("ana@example.org", "Ana Cruz")
    page.set_viewport_size(NARROW)
    log_in(page, "jo@example.org")
    page.goto(f"/mentors/{priya.id}")
    ask(page, "Priya")

    run_jobs()
    inbox = new_page(browser, app, live_server, javascript=page.javascript, viewport=NARROW)
    inbox.goto(re.search(r"(http://\S+/respond/\S+)", text_of(
        mailbox.wait_for("priya@example.org", "Jo would like you as their mentor"))).group(1))
    inbox.get_by_label(re.compile("message", re.I)).first.fill("My rota is full until March. Tom Lee knows this well.")
    inbox.get_by_role("button", name="Decline").click()
    expect(inbox.get_by_role("heading", level=1)).to_be_visible()
    inbox.context.close()

    page.goto("/")
    expect(page.get_by_text("Priya cannot be your mentor just now")).to_be_visible()
    expect(page.get_by_text("My rota is full until March. Tom Lee knows this well.")).to_be_visible()
    looked_at(page)
    page.get_by_role("link", name="Choose another mentor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a mentor")
    looked_at(page)

    MentorProfile.update(places_taken=1).where(MentorProfile.id == tom.id).execute()  # Tom fills up meanwhile
    page.goto(f"/mentors/{ana.id}")
    ask(page, "Ana")
    page.goto(f"/mentors/{tom.id}")
    expect(page.get_by_text("you can join this mentor's waiting list meanwhile")).to_be_visible()
    looked_at(page)
    page.get_by_role("button", name="Join the waiting list").click()
    expect(banner(page)).to_contain_text("You are on Tom's waiting list")
    for where in ("Home", "My mentoring"):
        go_to(page, where)
        expect(page.get_by_text(re.compile(r"You are number 1 on\s+Tom Lee\s*'s waiting list"))).to_be_visible()
        looked_at(page)
