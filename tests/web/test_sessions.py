"""Sessions: planning with calendar invitations, reminders, cancelling, whether they took place, the
allowance, contracting, closing, the mentor's private notes."""
import re
from datetime import datetime

import icalendar
import pytest

from jobs.sweeps import ask_session_outcomes, close_finished_relationships, nudge_session_windows, remind_sessions
from portal.core import clock
from portal.models import (AuditEvent, InboxItem, MenteeProfile, MentoringSession, MentorNote, MentorProfile,
                           Relationship, SurveyInvite)
from portal.requests import mentor_requests
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.jobs import sweep, work
from tests.support.mentoring import NOTE
from tests.support.servers import text_of
from tests.support.web import errors, signed_in, text, typed_date, words


@pytest.fixture
def matched(app):
    """Jo (mentee) and Priya (mentor), matched on Wednesday 25 November 2026 at noon."""
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah", platforms=["teams", "zoom"])
    with app.app_context(), at("2026-11-25T12:00"):
        mentor_request = mentor_requests.make_request(jo, priya, NOTE)
        mentor_requests.decide(mentor_request, "accept", priya.user, "mentor")
    return Relationship.get()


SESSION = {"date": "2026-12-01", "start": "18:30", "length": "60", "mode": "video", "platform": "zoom",
           "joining_link": "https://zoom.example/j/123", "location": ""}


def propose(web, relationship, **changes):
    return web.submit(f"/mentoring/{relationship.id}/sessions", {**SESSION, **changes})


def invites(mailbox, address):
    """The calendar attachments sent to an address, parsed."""
    found = []
    for message in mailbox.to(address):
        for part in message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                found.append(icalendar.Calendar.from_ical(part.get_content()))
    return found


def event_of(calendar):
    return next(component for component in calendar.walk("VEVENT"))


def test_plan_confirm_and_both_calendars_get_the_invite(app, matched, mailbox):
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    with at("2026-11-26T09:00"):
        assert propose(jo, matched).status_code == 302
        session = MentoringSession.get()
        assert (session.status, session.proposed_by, session.starts_at) == ("proposed", "mentee",
                                                                           datetime(2026, 12, 1, 18, 30))
        own = jo.submit(f"/sessions/{session.id}/confirm", follow_redirects=True)
        assert "The other person needs to confirm" in words(own)
        work(app)
        assert mailbox.wait_for("priya@example.org", "A session has been suggested")
        priya.submit(f"/sessions/{session.id}/confirm")
        twice = priya.submit(f"/sessions/{session.id}/confirm", follow_redirects=True)
        assert "already confirmed" in words(twice)
    work(app)
    for address, other in (("jo@example.org", "Priya"), ("priya@example.org", "Jo")):
        calendars = invites(mailbox, address)
        assert len(calendars) == 1
        calendar = calendars[0]
        event = event_of(calendar)
        assert calendar["METHOD"] == "REQUEST"
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute, start.utcoffset().total_seconds()) == (18, 30, 0)
        assert event.decoded("DTEND") - start == __import__("datetime").timedelta(minutes=60)
        assert str(event["UID"]) == session.calendar_uid and int(event["SEQUENCE"]) == 0
        assert str(event["SUMMARY"]) == f"Mentoring session with {other}"
        assert any(c.name == "VTIMEZONE" for c in calendar.subcomponents)
    with at("2026-11-26T09:30"):
        page = words(jo.get(f"/mentoring/{matched.id}"))
    assert "1 December 2026 at 6:30pm" in page and "Confirmed" in page and "0 of 4 used" in page


def test_a_change_sends_an_updated_invite_and_a_cancellation_a_cancelling_one(app, matched, mailbox):
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    with at("2026-11-26T09:00"):
        propose(jo, matched)
        session = MentoringSession.get()
        priya.submit(f"/sessions/{session.id}/confirm")
        page = priya.get(f"/sessions/{session.id}/change")
        assert typed_date(page, "date") == "1 12 2026" and 'value="18:30"' in text(page)
        priya.submit(f"/sessions/{session.id}/change", {**SESSION, "start": "19:00"})
        assert MentoringSession.get().status == "proposed"
        jo.submit(f"/sessions/{session.id}/confirm")
        work(app)
        updated = [event_of(c) for c in invites(mailbox, "jo@example.org")]
        assert [int(e["SEQUENCE"]) for e in updated] == [0, 1]
        assert len({str(e["UID"]) for e in updated}) == 1
        assert updated[1].decoded("DTSTART").hour == 19
        jo.submit(f"/sessions/{session.id}/cancel")
    work(app)
    cancelling = invites(mailbox, "priya@example.org")[-1]
    assert cancelling["METHOD"] == "CANCEL" and int(event_of(cancelling)["SEQUENCE"]) == 2
    assert str(event_of(cancelling)["UID"]) == session.calendar_uid
    assert mailbox.wait_for("priya@example.org", "Jo has cancelled a session")


def test_cancelling_at_short_notice_says_so_and_tells_the_team_without_reasons(app, matched, mailbox):
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    with at("2026-11-26T09:00"):
        propose(jo, matched)
        session = MentoringSession.get()
        priya.submit(f"/sessions/{session.id}/confirm")
        assert "less than 24 hours away" not in words(priya.get(f"/sessions/{session.id}/cancel"))
    with at("2026-12-01T12:30"):
        warning = words(priya.get(f"/sessions/{session.id}/cancel"))
        assert "This is less than 24 hours away" in warning and "as much notice as you can" in warning
        priya.submit(f"/sessions/{session.id}/cancel")
    item = InboxItem.get(InboxItem.kind == "cancellation")
    assert item.details["cancelled_by"] == "mentor" and item.details["notice_hours"] == 6
    assert item.message == "" and AuditEvent.get(AuditEvent.action == "cancelled_session").detail == \
        "6 hours' notice"
    make_user("ada@example.org", "Ada Admin", admin=True)
    page = words(signed_in(app, "ada@example.org").get(f"/admin/inbox/{item.id}"))
    assert ("What happened Priya Shah, the mentor, cancelled the session planned for 1 December 2026 at 6:30pm, "
            "giving 6 hours' notice (the scheme asks for 24).") in page
    assert "Notice hours" not in page and "Cancelled by" not in page and "Session was" not in page
    work(app)
    assert mailbox.wait_for("jo@example.org", "Priya has cancelled a session")


def test_reminders_a_day_before_and_the_question_afterwards(app, matched, mailbox):
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    with at("2026-11-26T09:00"):
        propose(jo, matched)
        priya.submit(f"/sessions/{MentoringSession.get().id}/confirm")
    work(app)
    mailbox.clear()
    sweep(app, remind_sessions, "2026-11-30T18:29", "2026-11-30T18:30", "2026-11-30T18:31")
    assert len(mailbox.to("jo@example.org")) == 1 and len(mailbox.to("priya@example.org")) == 1
    assert "tomorrow" in mailbox.wait_for("jo@example.org", "Your mentoring session is tomorrow")["Subject"]
    sweep(app, ask_session_outcomes, "2026-12-01T19:29", "2026-12-01T19:30", "2026-12-01T20:00")
    assert mailbox.wait_for("priya@example.org", "Did your session take place?")
    assert len(mailbox.to("priya@example.org")) == 2


def test_a_session_held_counts_and_one_not_held_does_not(app, matched):
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    with at("2026-11-26T09:00"):
        propose(jo, matched)
        propose(jo, matched, date="2026-12-08")
        first, second = MentoringSession.select().order_by(MentoringSession.starts_at)
        for session in (first, second):
            priya.submit(f"/sessions/{session.id}/confirm")
        early = priya.submit(f"/sessions/{first.id}/outcome", {"held": "yes"}, follow_redirects=True)
        assert "once it has begun" in words(early)
    with at("2026-12-09T09:00"):
        page = words(jo.get(f"/mentoring/{matched.id}"))
        assert page.count("did it take place?") == 2
        priya.submit(f"/sessions/{first.id}/outcome", {"held": "yes"})
        jo.submit(f"/sessions/{second.id}/outcome", {"held": "no"})
        assert "1 of 4 used" in words(jo.get(f"/mentoring/{matched.id}"))
        cancel_held = jo.submit(f"/sessions/{first.id}/cancel", follow_redirects=True)
        assert "Only a session still to come can be cancelled" in words(cancel_held)
    assert MentoringSession.get_by_id(first.id).status == "held"


@pytest.mark.parametrize("changes, field, message", [
    ({"date": "2026-11-20"}, "date", "must be in the future"),
    ({"length": "20"}, "length", "from 30 to 120 minutes"),
    ({"length": "150"}, "length", "from 30 to 120 minutes"),
    ({"length": "an hour"}, "length", "from 30 to 120 minutes"),
    ({"start": "25:00"}, "start", "Enter a real time"),
    ({"date": "31/02/2027"}, "date", "Enter a real date"),
    ({"platform": ""}, "platform", "Choose the platform"),
    ({"joining_link": "javascript:alert(1)"}, "joining_link", "starting https://"),
    ({"mode": "in_person", "location": ""}, "location", "Say where you will meet"),
    ({"mode": ""}, "mode", "Choose how you will meet"),
])
def test_bad_sessions_are_explained_and_kept(app, matched, changes, field, message):
    jo = signed_in(app, "jo@example.org")
    with at("2026-11-26T09:00"):
        response = propose(jo, matched, **changes)
    assert response.status_code == 400
    assert message in errors(response).get(field, ""), errors(response)
    assert not MentoringSession.select().exists()
    if field != "joining_link":
        assert 'value="https://zoom.example/j/123"' in text(response)


def test_a_session_overlapping_another_is_refused(app, matched):
    jo = signed_in(app, "jo@example.org")
    with at("2026-11-26T09:00"):
        propose(jo, matched)
        response = propose(jo, matched, start="19:00")
    assert "overlaps another session" in errors(response)["start"]
    assert MentoringSession.select().count() == 1


def test_sessions_only_in_your_own_active_mentoring(app, matched):
    make_user("sam@example.org", "Sam Stranger", mentee=True)
    stranger = signed_in(app, "sam@example.org")
    with at("2026-11-26T09:00"):
        assert propose(stranger, matched).status_code == 403
        jo = signed_in(app, "jo@example.org")
        propose(jo, matched)
        session = MentoringSession.get()
        assert stranger.submit(f"/sessions/{session.id}/confirm").status_code == 403
        assert stranger.submit(f"/sessions/{session.id}/cancel").status_code == 403
        Relationship.update(status="closed", closed_at=clock.now()).execute()
        closed = propose(jo, matched, date="2026-12-05")
    assert closed.status_code == 400 and "own active mentoring" in words(closed)


def test_the_allowance_is_enforced_and_the_team_can_add_more(app, matched, mailbox):
    MenteeProfile.update(sessions_allowed=1).execute()
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    with at("2026-11-26T09:00"):
        propose(jo, matched)
        refused = propose(jo, matched, date="2026-12-10")
        assert "already planned use up the allowance" in words(refused)
        priya.submit(f"/sessions/{MentoringSession.get().id}/confirm")
    with at("2026-12-02T09:00"):
        priya.submit(f"/sessions/{MentoringSession.get().id}/outcome", {"held": "yes"})
        page = words(jo.get(f"/mentoring/{matched.id}"))
        assert "1 of 1 used" in page and "Ask the team for more sessions" in page
        assert "All 1 sessions have been used" in words(propose(jo, matched, date="2026-12-10"))
        jo.submit(f"/mentoring/{matched.id}/more")
        jo.submit(f"/mentoring/{matched.id}/more")
        item = InboxItem.get(InboxItem.kind == "more_sessions")
        assert InboxItem.select().where(InboxItem.kind == "more_sessions").count() == 1
        make_user("ada@example.org", "Ada Admin", admin=True)
        ada = signed_in(app, "ada@example.org")
        ada.submit(f"/admin/inbox/{item.id}/grant")
        assert MenteeProfile.get().sessions_allowed == 5
        assert AuditEvent.get(AuditEvent.action == "granted_sessions").detail == "+4, now 5"
        assert propose(jo, matched, date="2026-12-10").status_code == 302
        Relationship.update(status="closed").execute()
        item2 = InboxItem.create(kind="more_sessions", name="Jo", email="jo@example.org",
                                 details={"relationship": matched.id})
        refused = ada.submit(f"/admin/inbox/{item2.id}/grant", follow_redirects=True)
    assert "no sessions can be added" in words(refused)
    assert MenteeProfile.get().sessions_allowed == 5


def test_the_mentor_sees_the_contracting_checklist_and_ticks_it(app, matched):
    priya, jo = signed_in(app, "priya@example.org"), signed_in(app, "jo@example.org")
    page = words(priya.get(f"/mentoring/{matched.id}"))
    assert "Before your first session: the contracting conversation" in page and "If it does not click" in page
    assert "Before your first session" not in words(jo.get(f"/mentoring/{matched.id}"))
    assert jo.submit(f"/mentoring/{matched.id}/contracting").status_code == 403
    priya.submit(f"/mentoring/{matched.id}/contracting")
    assert Relationship.get().contracting_done_at is not None
    assert "Before your first session" not in words(priya.get(f"/mentoring/{matched.id}"))


def test_both_agree_to_close_and_the_survey_follows(app, matched, mailbox):
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    priya.submit(f"/mentoring/{matched.id}/notes", {"text": "Remember: ask about the rota."})
    jo.submit(f"/mentoring/{matched.id}/close")
    assert Relationship.get().status == "active" and Relationship.get().close_asked_by == "mentee"
    assert "Agree to end it" in words(priya.get(f"/mentoring/{matched.id}"))
    priya.submit(f"/mentoring/{matched.id}/close")
    relationship = Relationship.get()
    assert (relationship.status, relationship.close_reason) == ("closed", "agreed")
    assert not MentorNote.select().exists()
    assert SurveyInvite.get().sent_at is None
    work(app)
    assert mailbox.wait_for("jo@example.org", "Your mentoring has come to an end")


@pytest.mark.parametrize("ending, subject", [("agreed", "Your mentoring has come to an end"),
                                             ("withdrawn", "Your mentoring has ended")])
def test_however_mentoring_ends_what_was_planned_goes_with_it(app, matched, mailbox, ending, subject):
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    with at("2026-11-26T09:00"):
        propose(jo, matched)
        priya.submit(f"/sessions/{MentoringSession.get().id}/confirm")
        propose(jo, matched, date="2026-12-08")  # suggested, never confirmed: in nobody's calendar
        priya.submit(f"/mentoring/{matched.id}/notes", {"text": "Remember: ask about the rota."})
        if ending == "agreed":
            jo.submit(f"/mentoring/{matched.id}/close")
            priya.submit(f"/mentoring/{matched.id}/close")
        else:
            make_user("ada@example.org", "Ada Admin", admin=True)
            signed_in(app, "ada@example.org").submit(f"/admin/relationships/{matched.id}/withdraw")
    assert Relationship.get().status == ("closed" if ending == "agreed" else "withdrawn")
    assert [s.status for s in MentoringSession.select()] == ["cancelled", "cancelled"]
    assert not MentorNote.select().exists()
    work(app)
    for address in ("jo@example.org", "priya@example.org"):
        goodbye = mailbox.wait_for(address, subject)
        assert "Your session on 1 December 2026 at 6:30pm is cancelled" in text_of(goodbye)
        cancelling = [c for c in invites(mailbox, address) if c["METHOD"] == "CANCEL"]
        assert len(cancelling) == 1 and event_of(cancelling[0]).decoded("DTSTART").day == 1
    mailbox.clear()
    sweep(app, remind_sessions, "2026-11-30T18:30")
    sweep(app, ask_session_outcomes, "2026-12-01T20:00")
    assert mailbox.messages == []


def test_a_used_allowance_with_nothing_planned_closes_on_its_own(app, matched):
    MenteeProfile.update(sessions_allowed=1).execute()
    MentoringSession.create(relationship=matched, starts_at=datetime(2026, 11, 30, 10), length_minutes=60,
                            mode="video", platform="zoom", status="held", proposed_by="mentee")
    sweep(app, close_finished_relationships, "2026-12-01T00:00", "2026-12-01T00:00")
    assert Relationship.get().status == "closed" and Relationship.get().close_reason == "allowance used"
    assert SurveyInvite.select().count() == 1


def test_five_months_on_both_are_nudged_once(app, matched, mailbox):
    work(app)
    mailbox.clear()
    sweep(app, nudge_session_windows, "2027-04-25T11:59")
    assert mailbox.messages == []
    sweep(app, nudge_session_windows, "2027-04-25T12:00", "2027-04-25T12:00")
    assert len(mailbox.to("jo@example.org")) == 1 and len(mailbox.to("priya@example.org")) == 1
    assert "0 of 4 used" in mailbox.wait_for("jo@example.org", "advised window").get_body(("plain",)).get_content()


def test_the_mentors_notes_are_theirs_alone(app, matched):
    priya, jo = signed_in(app, "priya@example.org"), signed_in(app, "jo@example.org")
    priya.submit(f"/mentoring/{matched.id}/notes", {"text": "Remember: ask about the rota."})
    assert "ask about the rota" in text(priya.get(f"/mentoring/{matched.id}/notes"))
    assert jo.get(f"/mentoring/{matched.id}/notes").status_code == 403
    make_user("ada@example.org", "Ada Admin", admin=True)
    ada = signed_in(app, "ada@example.org")
    assert ada.get(f"/mentoring/{matched.id}/notes").status_code == 403
    assert "ask about the rota" not in text(ada.get(f"/mentoring/{matched.id}", follow_redirects=True))
    too_long = priya.submit(f"/mentoring/{matched.id}/notes", {"text": "x" * 5001})
    assert "5,000 characters or fewer" in errors(too_long)["text"]


def test_a_new_match_plans_its_first_session_first_on_the_mentors_platforms(app, matched):
    jo = signed_in(app, "jo@example.org")
    page = text(jo.get(f"/mentoring/{matched.id}"))
    assert "Plan your first session" in page
    assert page.index("Plan your first session") < page.index("Suggest ending the mentoring")
    platforms = re.search(r'<select[^>]*name="platform".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="(\w*)"', platforms) == ["", "teams", "zoom", "other"]  # Priya's, and Other
    with at("2026-11-26T09:00"):
        refused = propose(jo, matched, platform="whatsapp")
        assert errors(refused)["platform"] == "Choose one of the platforms listed, or Other"
        assert propose(jo, matched, platform="other", joining_link="").status_code == 302
        assert "Plan your first session" not in text(jo.get(f"/mentoring/{matched.id}"))  # then it folds away


def test_contact_details_show_the_email_address_once(app, matched):
    MentorProfile.update(contact_details="07700 900123 or priya@example.org").execute()
    page = words(signed_in(app, "jo@example.org").get(f"/mentoring/{matched.id}"))
    assert page.count("priya@example.org") == 1 and "07700 900123" in page
