"""Account → Calendar: a private subscription address for a person's sessions, parsed with icalendar after
each change, with the UID and SEQUENCE of the emailed invitations; revoked, replaced, dead once the account
closes; and no more in it than the invitations carry."""
import json
import re
from datetime import datetime

import icalendar
import pytest

from portal.mentoring import sessions
from portal.models import ActionLink, MentorNote, Relationship, User
from portal.privacy import erasure
from tests.support.clock import at
from tests.support.mentoring import NOTE, make_pair
from tests.support.web import Web, signed_in, text, words

VIDEO = {"starts_at": datetime(2026, 12, 1, 18, 30), "length_minutes": 60, "mode": "video", "platform": "zoom",
         "joining_link": "https://zoom.example/j/42", "location": ""}
# What an entry may say: when, how long, how and where, with whom (a first name), and where it stands.
ALLOWED = {"UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "CLASS", "STATUS", "LOCATION", "URL"}


@pytest.fixture
def pair(app):
    mentee, mentor, _ = make_pair(app, 1)
    return mentee, User.get_by_id(mentor.user_id), Relationship.get()


def address_of(web) -> str:
    """The calendar address on the person's Calendar page, made there first if they have none."""
    page = text(web.get("/account/calendar"))
    if "Make my calendar address" in page:
        web.submit("/account/calendar", {"action": "start"})
        page = text(web.get("/account/calendar"))
    return re.search(r'id="calendar-address">(http://portal\.test/calendar/[^<]+)<', page).group(1)


def path_of(url: str) -> str:
    return url.removeprefix("http://portal.test")


def events(client, address) -> list:
    response = client.get(path_of(address))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.get_data()).walk("VEVENT")


def invitation(mailbox, address, subject) -> icalendar.Event:
    message = mailbox.wait_for(address, subject)
    attached = next(part for part in message.iter_attachments() if part.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(attached.get_content()).walk("VEVENT")[0]


def same_entry(event, invited) -> bool:
    return (str(event["UID"]), int(event["SEQUENCE"])) == (str(invited["UID"]), int(invited["SEQUENCE"]))


def test_the_feed_follows_each_change_with_the_invitations_uid_and_sequence(app, pair, run_jobs, mailbox):
    mentee, mentor, relationship = pair
    jo, priya = signed_in(app, mentee.email), signed_in(app, mentor.email)
    address, theirs = address_of(jo), address_of(priya)
    assert address != theirs and address.startswith("http://portal.test/calendar/") and address.endswith(".ics")
    page = text(jo.get("/account/calendar"))
    assert f'href="webcal://{address.removeprefix("http://")}"' in page
    stranger = Web(app.test_client()).client  # a calendar program: no login
    assert events(stranger, address) == []

    with app.app_context(), at("2026-11-25T10:00"):
        planned = sessions.propose(relationship, mentee, VIDEO)
    [event] = events(stranger, address)
    assert str(event["STATUS"]) == "TENTATIVE" and int(event["SEQUENCE"]) == 0
    assert str(event["UID"]) == planned.calendar_uid
    assert event.decoded("DTSTART").hour == 18 and str(event["SUMMARY"]) == "Mentoring session with Mentor"
    [seen_by_mentor] = events(stranger, theirs)
    assert str(seen_by_mentor["SUMMARY"]) == "Mentoring session with Mentee" and same_entry(seen_by_mentor, event)

    with app.app_context(), at("2026-11-25T11:00"):
        sessions.confirm(planned, mentor)
    run_jobs()
    [event] = events(stranger, address)
    assert str(event["STATUS"]) == "CONFIRMED"
    invited = invitation(mailbox, mentee.email, "Your mentoring session is confirmed")
    assert same_entry(event, invited) and event.decoded("DTSTART") == invited.decoded("DTSTART")
    assert set(event.keys()) == set(invited.keys()) <= ALLOWED  # no more than the invitation carries

    with app.app_context(), at("2026-11-26T09:00"):
        moved = sessions.change(planned, mentor, {**VIDEO, "starts_at": datetime(2026, 12, 2, 19, 0)})
        sessions.confirm(moved, mentee)
    run_jobs()
    [event] = events(stranger, address)
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART").day == 2 and str(event["STATUS"]) == "CONFIRMED"

    with app.app_context(), at("2026-11-27T09:00"):
        sessions.cancel(moved, mentee)
    run_jobs()
    [event] = events(stranger, address)
    cancelled = invitation(mailbox, mentee.email, "Your cancelled session")
    assert str(event["STATUS"]) == "CANCELLED" == str(cancelled["STATUS"]) and same_entry(event, cancelled)
    assert same_entry(events(stranger, theirs)[0], invitation(mailbox, mentor.email, "cancelled a session"))


def test_the_feed_says_nothing_said_in_mentoring(app, pair):
    mentee, mentor, relationship = pair
    with app.app_context(), at("2026-11-25T10:00"):
        sessions.propose(relationship, mentee, VIDEO)
        MentorNote.create(relationship=relationship, mentor=relationship.mentor_id, text="Ask about the rota")
    address = address_of(signed_in(app, mentor.email))
    feed = Web(app.test_client()).get(path_of(address)).get_data(as_text=True)
    for private in (NOTE, "Ask about the rota", mentee.email, mentor.email, "Number1"):
        assert private not in feed
    assert "BEGIN:VTIMEZONE" in feed and "TZID:Europe/London" in feed and "METHOD" not in feed


def test_an_address_can_be_replaced_and_stopped(app, pair):
    mentee, *_ = pair
    jo = signed_in(app, mentee.email)
    stranger = Web(app.test_client()).client
    first = address_of(jo)
    assert address_of(jo) == first  # it lasts: the same address each visit
    done = jo.submit("/account/calendar", {"action": "replace"}, follow_redirects=True)
    assert "The old one no longer works" in words(done)
    second = address_of(jo)
    assert second != first
    assert stranger.get(path_of(first)).status_code == 410  # Gone: calendar programs stop asking
    assert stranger.get(path_of(second)).status_code == 200
    jo.submit("/account/calendar", {"action": "stop"})
    assert stranger.get(path_of(second)).status_code == 410
    assert "Make my calendar address" in words(jo.get("/account/calendar"))
    assert jo.submit("/account/calendar", {"action": "delete everything"}).status_code == 400
    assert stranger.get(path_of(second)[:-8] + "abc.ics").status_code == 404  # altered


def test_the_address_dies_with_the_account_and_is_in_the_data_download(app, pair):
    mentee, mentor, relationship = pair
    jo = signed_in(app, mentee.email)
    address = address_of(jo)
    held = json.loads(text(jo.get("/account/data.json")))
    assert [(link["for"], link["revoked_at"]) for link in held["private_links"]] == [("your calendar address", None)]
    assert path_of(address) not in json.dumps(held)
    stranger = Web(app.test_client()).client
    with app.app_context():
        User.update(is_active=False).where(User.id == mentee.id).execute()  # the account closed
    assert stranger.get(path_of(address)).status_code == 410
    with app.app_context():
        User.update(is_active=True).where(User.id == mentee.id).execute()
        ada = User.create(email="ada@example.org", name="Ada Admin", is_admin=True)
        erasure.erase(User.get_by_id(mentee.id), ada)
    assert stranger.get(path_of(address)).status_code == 404  # its row is gone with everything of theirs
    assert not ActionLink.select().where(ActionLink.user == mentee.id).exists()


def test_the_other_persons_name_goes_once_their_account_is_closed(app, pair):
    mentee, mentor, relationship = pair
    with app.app_context(), at("2026-11-25T10:00"):
        sessions.propose(relationship, mentee, VIDEO)
    address = address_of(signed_in(app, mentor.email))
    with app.app_context():
        User.update(is_active=False).where(User.id == mentee.id).execute()
    [event] = events(Web(app.test_client()).client, address)
    assert str(event["SUMMARY"]) == "Mentoring session with your mentee"


def test_the_calendar_page_is_for_mentees_and_mentors(app, pair):
    with app.app_context():
        User.create(email="ada@example.org", name="Ada Admin", is_admin=True, password_hash=User.get_by_id(
            pair[0].id).password_hash, email_confirmed_at=datetime(2026, 1, 1))
    assert signed_in(app, "ada@example.org").get("/account/calendar").status_code == 403
    assert "Calendar" not in words(signed_in(app, "ada@example.org").get("/account/"))
    assert 'href="/account/calendar"' in text(signed_in(app, pair[0].email).get("/account/"))
