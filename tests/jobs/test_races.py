"""Races, run for real with threads released together (on PostgreSQL and SQLite alike): a mentor
answering twice, in two tabs, or from the email and the portal at once; mentees taking a mentor's
last place; several people saving one profile. Exactly one wins, capacity is never exceeded, and no
email goes twice.

Some races need one side to be caught in the middle of its work. On PostgreSQL the test holds a row
(as a transaction in the middle of its work would), waits until the other side is waiting for it,
acts in that transaction, then lets go."""
import re
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest

from jobs.imports import import_mentors
from portal.core import clock
from portal.core.db import database
from portal.models import (Email, ImportBatch, MenteeProfile, MentorProfile, MentorRequest, ProfileChange, Relationship,
                           User)
from portal.register import availability
from portal.register.imports import EXAMPLE
from portal.requests import idle, mentor_requests
from tests.support.clock import at
from tests.support.concurrency import all_at_once
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.forms import PRIYA_FORM, csv_bytes
from tests.support.jobs import work
from tests.support.mentoring import NOTE, decision_link
from tests.support.web import Web, signed_in, version_in

on_postgres = pytest.mark.parametrize("database", ["postgres"], indirect=True)


def test_a_mentor_accepting_from_several_places_at_once_accepts_once(app, mailbox):
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    mentor = make_mentor("priya@example.org", "Priya Shah")
    jo = Web(app.test_client())
    jo.login("jo@example.org", PASSWORD)
    jo.submit(f"/mentors/{mentor.id}/request", {"note": NOTE})
    work(app)
    link = decision_link(mailbox)
    mentor_request = MentorRequest.get()

    tabs = []
    for _ in range(3):  # three tabs of the portal, each with its own session and token
        tab = Web(app.test_client())
        tab.login("priya@example.org", PASSWORD)
        tabs.append((tab, f"/requests/{mentor_request.id}/answer", tab.token()))
    for _ in range(3):  # the email link, clicked three times
        tab = Web(app.test_client())
        tab.get(link)
        tabs.append((tab, link, tab.token()))

    def press(tab, url, token):
        return lambda: tab.client.post(url, data={"action": "accept", "csrf_token": token}).status_code

    statuses = all_at_once([press(*tab) for tab in tabs])
    assert sorted(statuses) == [200, 409, 409, 409, 409, 409], statuses
    assert Relationship.select().count() == 1
    assert MentorRequest.get().status == "accepted"
    assert MentorProfile.get_by_id(mentor.id).places_taken == 1
    work(app)
    assert len([m for m in mailbox.to("jo@example.org") if "will be your mentor" in m["Subject"]]) == 1
    assert len([m for m in mailbox.to("priya@example.org") if "You are now" in m["Subject"]]) == 1


def test_accept_and_decline_at_the_same_moment_do_one_thing(app, app_context):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    mentor = make_mentor("priya@example.org", "Priya Shah")
    mentor_request = mentor_requests.make_request(jo, mentor, NOTE)
    priya = User.get(User.email == "priya@example.org")

    def answer(action):
        def act():
            with app.app_context():
                return mentor_requests.decide(mentor_request, action, priya, "mentor").status
        return act

    results = all_at_once([answer("accept"), answer("decline")] * 3)
    decided = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, mentor_requests.RequestRefused)]
    assert len(decided) == 1 and len(refused) == 5, results
    final = MentorRequest.get().status
    assert final == decided[0]
    assert Relationship.select().count() == (1 if final == "accepted" else 0)
    assert MentorProfile.get_by_id(mentor.id).places_taken == (1 if final == "accepted" else 0)


def test_mentees_racing_for_a_mentors_last_place_never_overfill_it(app, app_context):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=2)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == mentor.id).execute()  # one place left
    mentees = [make_user(f"m{n}@example.org", f"Mentee {n}", mentee=True) for n in range(6)]

    def ask(user):
        def act():
            with app.app_context():
                return mentor_requests.make_request(User.get_by_id(user.id), MentorProfile.get_by_id(mentor.id), NOTE).id
        return act

    results = all_at_once([ask(user) for user in mentees])
    made = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, mentor_requests.RequestRefused)]
    assert len(made) == 1 and len(refused) == 5, results
    assert all(re.search("last place|not taking new mentees", str(r)) for r in refused)
    assert MentorProfile.get_by_id(mentor.id).places_taken == 2
    assert MentorRequest.select().count() == 1


def test_one_mentee_asking_twice_at_once_makes_one_request(app, app_context):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    mentors = [make_mentor(f"mentor{n}@example.org", f"Mentor {n}") for n in range(4)]

    def ask(mentor):
        def act():
            with app.app_context():
                return mentor_requests.make_request(User.get_by_id(jo.id), mentor, NOTE).id
        return act

    results = all_at_once([ask(m) for m in mentors])
    assert len([r for r in results if isinstance(r, int)]) == 1, results
    assert MentorRequest.select().count() == 1
    assert sum(m.places_taken for m in MentorProfile.select()) == 1


@contextmanager
def holding(model, row_id: int):
    """Hold one row, as another transaction in the middle of its work would; what the block does
    joins that transaction, which commits at the end of the block (PostgreSQL)."""
    with database.atomic():
        model.select().where(model.id == row_id).for_update().get()
        yield


def wait_until_waiting(count: int) -> None:
    """Until `count` connections to this database are waiting for a lock (PostgreSQL)."""
    deadline = time.monotonic() + 15
    while True:
        database.execute_sql("SELECT pg_stat_clear_snapshot()")  # else the view stays as first read
        waiting = database.execute_sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND wait_event_type = 'Lock'").fetchone()[0]
        if waiting >= count:
            return
        assert time.monotonic() < deadline, f"{waiting} of {count} connections are waiting for a lock"
        time.sleep(0.01)


class Started(threading.Thread):
    """An action running in a thread of its own, inside the app's context; result() joins it."""

    def __init__(self, app, action):
        super().__init__()
        self.app, self.action, self.value = app, action, None
        self.start()

    def run(self):
        with self.app.app_context():
            try:
                self.value = self.action()
            except Exception as error:  # kept to assert on: a refusal is an expected outcome
                self.value = error

    def result(self):
        self.join()
        return self.value


@on_postgres
@pytest.mark.parametrize("meanwhile", ["a request and more places", "a pause and leave"])
@pytest.mark.parametrize("form", ["admin", "own"])
def test_a_profile_save_undoes_nothing_that_happened_while_it_ran(app, app_context, form, meanwhile):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    admin = User.get(User.is_admin)
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    web = signed_in(app, admin.email if form == "admin" else "priya@example.org")
    url = f"/admin/mentors/{mentor.id}/edit" if form == "admin" else "/mentor/profile/edit"
    data = {**PRIYA_FORM, "specialty": "Neonatal surgery", **version_in(web.get(url)), "csrf_token": web.token()}

    with holding(MentorProfile, mentor.id):
        saving = Started(app, lambda: web.client.post(url, data=data).status_code)
        wait_until_waiting(1)
        if meanwhile == "a request and more places":
            mentor_requests.make_request(jo, mentor, NOTE)
            availability.set_availability(mentor, admin, capacity=3, paused=False, leave_from=None, leave_until=None)
        else:
            availability.set_availability(mentor, admin, capacity=1, paused=True, leave_from=date(2027, 3, 1),
                                     leave_until=date(2027, 3, 31))
    assert saving.result() == 302

    saved = MentorProfile.get_by_id(mentor.id)
    assert saved.specialty == "Neonatal surgery"
    if meanwhile == "a request and more places":
        assert (saved.places_taken, saved.capacity) == (1, 3)
        assert MentorRequest.get().status == "pending"
    else:
        assert (saved.paused, saved.leave_from, saved.leave_until) == (True, date(2027, 3, 1), date(2027, 3, 31))
    # The history says what happened, and nothing was undone behind its back.
    assert [sorted(c.changes) for c in ProfileChange.select().order_by(ProfileChange.id)][-1] == ["specialty"]


def test_several_people_saving_one_profile_at_once_save_it_once(app):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    make_user("ben@example.org", "Ben Admin", admin=True)
    editors = [(signed_in(app, "register@example.org"), f"/admin/mentors/{mentor.id}/edit", "specialty", "Surgery"),
               (signed_in(app, "ben@example.org"), f"/admin/mentors/{mentor.id}/edit", "interests", "Choir"),
               (signed_in(app, "priya@example.org"), "/mentor/profile/edit", "pronouns", "they/them")]
    posts = []
    for web, url, field, value in editors:
        data = {**PRIYA_FORM, field: value, **version_in(web.get(url)), "csrf_token": web.token()}
        posts.append(lambda web=web, url=url, data=data: web.client.post(url, data=data).status_code)

    statuses = all_at_once(posts)
    assert sorted(statuses) == [302, 409, 409], statuses
    [change] = ProfileChange.select()
    [(field, value)] = [(f, v) for (_, _, f, v), status in zip(editors, statuses) if status == 302]
    assert change.changes == {field: [PRIYA_FORM[field], value]}
    saved = MentorProfile.get_by_id(mentor.id)
    assert [getattr(saved, f) for _, _, f, _ in editors] == [value if f == field else PRIYA_FORM[f]
                                                             for _, _, f, _ in editors]


@on_postgres
def test_a_csv_import_undoes_nothing_that_happened_while_it_ran(app, app_context):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=2)
    admin = User.get(User.is_admin)
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    leave = (clock.today_london() + timedelta(days=60), clock.today_london() + timedelta(days=70))
    data = csv_bytes([{**EXAMPLE, "email": "priya@example.org", "name": "Priya Shah", "capacity": "4"}])
    batch = ImportBatch.create(created_by=admin, filename="mentors.csv", data=data, total_rows=1, status="queued")

    with holding(MentorProfile, mentor.id):
        importing = Started(app, lambda: import_mentors(batch.id))
        wait_until_waiting(1)
        mentor_requests.make_request(jo, mentor, NOTE)
        availability.set_availability(mentor, admin, capacity=2, paused=False, leave_from=leave[0], leave_until=leave[1])
    assert importing.result() == "done"

    saved = MentorProfile.get_by_id(mentor.id)
    assert saved.specialty == EXAMPLE["specialty"] and saved.capacity == 4
    assert (saved.places_taken, saved.leave_from, saved.leave_until) == (1, *leave)


@on_postgres
@pytest.mark.parametrize("first", ["the sweep", "the request"])
def test_a_deactivation_and_a_request_at_once_never_leave_a_deactivated_mentee_waiting(app, app_context, first):
    with at("2026-09-01T10:00"):
        jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    due = datetime(2026, 12, 1, 10, 0)  # three months on
    actions = {"the sweep": lambda: idle.deactivate_idle_mentees(due),
               "the request": lambda: mentor_requests.make_request(User.get_by_id(jo.id), priya, NOTE)}

    with holding(MenteeProfile, jo.mentee.id):
        started = {first: Started(app, actions[first])}
        wait_until_waiting(1)
        second = "the request" if first == "the sweep" else "the sweep"
        started[second] = Started(app, actions[second])
        wait_until_waiting(2)
    results = {name: thread.result() for name, thread in started.items()}

    mentee = MenteeProfile.get_by_id(jo.mentee.id)
    waiting = MentorRequest.select().where(MentorRequest.status == "pending").count()
    told_paused = Email.select().where(Email.subject.contains("account has been paused")).count()
    mentor_asked = Email.select().where(Email.subject.contains("would like you as their mentor")).count()
    if first == "the sweep":
        assert mentee.deactivated_at == due and told_paused == 1
        assert isinstance(results["the request"], mentor_requests.RequestRefused), results
        assert "Your mentee account is paused" in str(results["the request"])
        assert (waiting, mentor_asked, MentorProfile.get_by_id(priya.id).places_taken) == (0, 0, 0)
    else:
        assert mentee.deactivated_at is None and told_paused == 0 and results["the sweep"] == 0
        assert (waiting, mentor_asked, MentorProfile.get_by_id(priya.id).places_taken) == (1, 1, 1)


@on_postgres
@pytest.mark.parametrize("away", ["paused", "taken off the register"])
def test_a_mentor_going_away_and_the_closing_of_their_requests_happen_at_once(app, app_context, away):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    admin = User.get(User.is_admin)
    mentor_request = mentor_requests.make_request(jo, priya, NOTE)

    def go_away():
        if away == "paused":
            availability.set_availability(priya, admin, capacity=2, paused=True, leave_from=None, leave_until=None)
        else:
            availability.set_listed(priya, admin, False)

    with holding(MentorRequest, mentor_request.id):  # the mentor accepting, in the middle of it
        going = Started(app, go_away)
        wait_until_waiting(1)
        # What the accept sees of the mentor: gone away, with this request not yet closed, would be
        # the moment an accept slips in after the mentor stopped taking mentees.
        seen = MentorProfile.get_by_id(priya.id)
        assert not seen.paused and seen.listed
        mentor_requests.decide(mentor_request, "accept", User.get_by_id(priya.user_id), "mentor")
    assert not isinstance(going.result(), Exception), going.result()

    # The accept came first, so Jo keeps her mentor; then the mentor went away.
    assert MentorRequest.get_by_id(mentor_request.id).status == "accepted" and Relationship.get().status == "active"
    gone = MentorProfile.get_by_id(priya.id)
    assert gone.paused if away == "paused" else not gone.listed


def _asking_with_backup(app, mentee_email, first_email, backup):
    """A mentee asking a mentor of their own, naming `backup`; the request."""
    with app.app_context():
        mentee = make_user(mentee_email, mentee_email.split("@")[0].title(), mentee=True)
        first = make_mentor(first_email, first_email.split("@")[0].title())
        return mentor_requests.make_request(mentee, first, NOTE, [(backup, "")])


@on_postgres
def test_a_backup_filling_up_at_the_moment_of_the_cascade_is_skipped_never_overfilled(app, app_context):
    tom = make_mentor("tom@example.org", "Tom Lee", capacity=1)
    grace = make_mentor("grace@example.org", "Grace Adeyemi")
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    waiting = mentor_requests.make_request(jo, priya, NOTE, [(tom, ""), (grace, "")])
    kim = make_user("kim@example.org", "Kim Park", mentee=True)

    with holding(MentorProfile, tom.id):  # the moment the cascade reaches Tom, his last place is being taken
        declining = Started(app, lambda: mentor_requests.decide(waiting, "decline", User.get_by_id(priya.user_id),
                                                                "mentor").status)
        wait_until_waiting(1)
        taken = mentor_requests.make_request(kim, tom, NOTE)
    assert declining.result() == "declined"

    assert MentorProfile.get_by_id(tom.id).places_taken == 1  # Kim's, and only Kim's
    assert MentorRequest.get_by_id(taken.id).status == "pending"
    chain = {r.mentor_id: r.status for r in MentorRequest.select().where(MentorRequest.mentee == jo.mentee.id)}
    assert chain == {priya.id: "declined", tom.id: "skipped", grace.id: "pending"}
    assert MentorProfile.get_by_id(grace.id).places_taken == 1
    told = Email.select().where(Email.to_address == "jo@example.org").order_by(Email.id.desc()).get()
    assert "Tom had no room" in told.text_body and told.subject == "We have asked your backup, Grace"


def test_two_cascades_to_the_same_mentor_give_their_one_place_once(app, app_context):
    tom = make_mentor("tom@example.org", "Tom Lee", capacity=1)
    requests = [_asking_with_backup(app, f"mentee{n}@example.org", f"first{n}@example.org", tom) for n in range(4)]

    def decline(mentor_request):
        def act():
            with app.app_context():
                return mentor_requests.decide(mentor_request, "decline", mentor_request.mentor_user, "mentor").status
        return act

    assert all_at_once([decline(r) for r in requests]) == ["declined"] * 4
    backups = [r.status for r in MentorRequest.select().where(MentorRequest.mentor == tom.id)]
    assert sorted(backups) == ["pending", "skipped", "skipped", "skipped"], backups
    assert MentorProfile.get_by_id(tom.id).places_taken == 1
    subjects = sorted(Email.select(Email.subject).where(Email.to_address.startswith("mentee")).tuples())
    assert subjects == [("None of your choices can take you on just now",)] * 3 + [("We have asked your backup, Tom",)]
