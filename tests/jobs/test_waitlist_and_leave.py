"""The waiting list for a full mentor, and mentors coming back from leave: both driven by sweeps."""
from datetime import datetime, timedelta

import pytest

from jobs.sweeps import lapse_waitlist_offers, return_from_leave
from portal.core import clock
from portal.core.queue import enqueue
from portal.models import AuditEvent, MenteeProfile, MentorProfile, WaitlistEntry
from portal.register import availability
from portal.requests import idle, mentor_requests, waitlist
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.servers import text_of
from tests.support.web import Web, signed_in, text, words


def mentee(email, name):
    return make_user(email, name, mentee=True).mentee


@pytest.fixture
def full_mentor(app_context):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == mentor.id).execute()
    return MentorProfile.get_by_id(mentor.id)


def test_mentees_join_a_full_mentors_waiting_list_from_the_profile(app, full_mentor):
    make_user("ann@example.org", "Ann Able", mentee=True)
    web = Web(app.test_client())
    web.login("ann@example.org", PASSWORD)
    page = text(web.get(f"/mentors/{full_mentor.id}"))
    assert "places are all taken just now" in page and "Join the waiting list" in page
    joined = web.submit(f"/mentors/{full_mentor.id}/waitlist", follow_redirects=True)
    assert "You are on Priya's waiting list" in words(joined)
    assert "You are number 1 on Priya's waiting list" in words(joined)
    again = web.submit(f"/mentors/{full_mentor.id}/waitlist", follow_redirects=True)
    assert "already on this mentor's waiting list" in words(again)
    assert WaitlistEntry.select().count() == 1
    left = web.submit(f"/mentors/{full_mentor.id}/waitlist/leave", follow_redirects=True)
    assert "You have left the waiting list" in text(left)
    assert WaitlistEntry.get().status == "left"


def test_a_mentor_with_a_free_place_has_no_waiting_list(app_context):
    mentor = make_mentor()
    with pytest.raises(waitlist.WaitlistProblem, match="free place"):
        waitlist.join(mentee("ann@example.org", "Ann Able"), mentor)


def test_a_freed_place_goes_to_the_first_in_line_then_the_next(full_mentor, run_jobs, mailbox):
    ann, ben = mentee("ann@example.org", "Ann Able"), mentee("ben@example.org", "Ben Baker")
    waitlist.join(ann, full_mentor)
    waitlist.join(ben, full_mentor)
    # Wednesday 2 December 2026, 10:00: Priya frees a place by taking one more mentee.
    freed_at = datetime(2026, 12, 2, 10, 0)
    with clock.travel(freed_at - clock.now()):
        availability.set_availability(full_mentor, full_mentor.user, capacity=2, paused=False, leave_from=None,
                                 leave_until=None)
    entry = WaitlistEntry.get(WaitlistEntry.mentee == ann)
    assert entry.status == "offered"
    assert entry.offer_expires_at == datetime(2026, 12, 4, 23, 59)  # two working days: Thursday, Friday
    assert MentorProfile.get_by_id(full_mentor.id).is_full  # the place is held for Ann
    assert WaitlistEntry.get(WaitlistEntry.mentee == ben).status == "waiting"
    run_jobs()
    offer = mailbox.wait_for("ann@example.org", "A place with Priya Shah is free for you")
    assert "until the end of Friday 4 December 2026" in text_of(offer)

    # Not taken by the end of Friday: the sweep gives it to Ben, once however often it runs.
    assert lapse_waitlist_offers(datetime(2026, 12, 4, 23, 58)) == 0
    for _ in range(2):
        enqueue(lapse_waitlist_offers, datetime(2026, 12, 5, 0, 1))
    run_jobs()
    assert WaitlistEntry.get(WaitlistEntry.mentee == ann).status == "lapsed"
    assert WaitlistEntry.get(WaitlistEntry.mentee == ben).status == "offered"
    assert MentorProfile.get_by_id(full_mentor.id).places_taken == 2
    assert mailbox.wait_for("ben@example.org", "A place with Priya Shah is free for you")
    assert len(mailbox.to("ben@example.org")) == 1


def test_taking_an_offer_uses_the_held_place(full_mentor):
    ann = mentee("ann@example.org", "Ann Able")
    waitlist.join(ann, full_mentor)
    waitlist.release_place(full_mentor.id)
    assert waitlist.take_offer(ann, full_mentor)
    assert WaitlistEntry.get().status == "taken"
    assert not waitlist.take_offer(ann, full_mentor)
    assert MentorProfile.get_by_id(full_mentor.id).places_taken == 1


def test_no_place_is_offered_while_the_mentor_is_away(full_mentor):
    waitlist.join(mentee("ann@example.org", "Ann Able"), full_mentor)
    MentorProfile.update(paused=True).where(MentorProfile.id == full_mentor.id).execute()
    waitlist.release_place(full_mentor.id)
    assert WaitlistEntry.get().status == "waiting"
    mentor = MentorProfile.get_by_id(full_mentor.id)
    availability.set_availability(mentor, mentor.user, capacity=1, paused=False, leave_from=None, leave_until=None)
    assert WaitlistEntry.get().status == "offered"


def test_two_releases_never_give_one_place_twice(full_mentor):
    for n in range(3):
        waitlist.join(mentee(f"m{n}@example.org", f"Mentee {n}"), full_mentor)
    waitlist.release_place(full_mentor.id)
    waitlist.offer_free_places(full_mentor.id)
    assert WaitlistEntry.select().where(WaitlistEntry.status == "offered").count() == 1
    assert MentorProfile.get_by_id(full_mentor.id).places_taken == 1


def test_mentors_come_back_from_leave_and_are_told_once(app, app_context, run_jobs, mailbox):
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    mentor = make_mentor("priya@example.org", "Priya Shah")
    today = clock.today_london()
    MentorProfile.update(leave_from=today - timedelta(days=10), leave_until=today - timedelta(days=1)).where(
        MentorProfile.id == mentor.id).execute()
    for _ in range(2):
        enqueue(return_from_leave)
    run_jobs()
    mentor = MentorProfile.get_by_id(mentor.id)
    assert mentor.leave_from is None and mentor.leave_until is None
    message = mailbox.wait_for("priya@example.org", "Welcome back")
    assert "Mentees can find you in the directory again" in text_of(message)
    assert len(mailbox.to("priya@example.org")) == 1
    assert AuditEvent.get(AuditEvent.action == "returned_from_leave").actor is None

    web = Web(app.test_client())
    web.login("mel@example.org", PASSWORD)
    assert "Priya Shah" in text(web.get("/mentors/"))


def test_leave_that_has_not_ended_is_left_alone(app_context):
    mentor = make_mentor()
    today = clock.today_london()
    MentorProfile.update(leave_from=today, leave_until=today).where(MentorProfile.id == mentor.id).execute()
    assert return_from_leave() == 0
    assert return_from_leave(clock.now() + timedelta(days=1)) == 1


def test_waiting_lists_refuse_who_cannot_use_them(app):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == mentor.id).execute()
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    web = signed_in(app, "mel@example.org")
    for _ in range(2):
        web.submit(f"/mentors/{mentor.id}/waitlist")
    assert WaitlistEntry.select().count() == 1  # a double click joins once

    paused_account = make_user("paused@example.org", "Pat Paused", mentee=True)
    MenteeProfile.update(deactivated_at=clock.now()).where(MenteeProfile.user == paused_account).execute()
    matched = make_user("matched@example.org", "Max Matched", mentee=True)
    other_mentor = make_mentor("tom@example.org", "Tom Lee")
    with app.app_context():
        mentor_requests.decide(mentor_requests.make_request(matched, other_mentor, NOTE), "accept", other_mentor.user, "mentor")
        for user, words_expected in ((paused_account, "account is paused"), (matched, "already have a mentor")):
            try:
                waitlist.join(MenteeProfile.get(MenteeProfile.user == user), MentorProfile.get_by_id(mentor.id))
                raise AssertionError(f"{user.email} joined")
            except waitlist.WaitlistProblem as refused:
                assert words_expected in str(refused)
        MentorProfile.update(paused=True).where(MentorProfile.id == mentor.id).execute()
        fresh = make_user("fresh@example.org", "Fay Fresh", mentee=True)
        try:
            waitlist.join(MenteeProfile.get(MenteeProfile.user == fresh), MentorProfile.get_by_id(mentor.id))
            raise AssertionError("joined a paused mentor's list")
        except waitlist.WaitlistProblem as refused:
            assert "not taking mentees just now" in str(refused)
    assert WaitlistEntry.select().count() == 1


def test_deactivation_takes_a_mentee_off_waiting_lists(app, app_context):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == mentor.id).execute()
    mel = make_user("mel@example.org", "Mel Mentee", mentee=True)
    waitlist.join(mel.mentee, MentorProfile.get_by_id(mentor.id))
    MenteeProfile.update(period_started_at=clock.now() - timedelta(days=200)).execute()
    idle.deactivate_idle_mentees(clock.now())
    assert MenteeProfile.get().deactivated_at is not None
    assert WaitlistEntry.get().status == "left"
