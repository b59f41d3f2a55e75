"""Races, run for real with threads released together (on PostgreSQL and SQLite alike): a mentor
answering twice, in two tabs, or from the email and the portal at once; mentees taking a mentor's
last place. Exactly one wins, capacity is never exceeded, and no email goes twice."""
import re
import threading

from portal import matching
from portal.models import MentorProfile, MentorRequest, Relationship, User
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.jobs import work
from tests.support.web import Web
from tests.web.test_requests import NOTE, decision_link


def all_at_once(actions):
    """Run each action in its own thread, released together; their results (or exceptions)."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # kept to assert on: a refusal is an expected outcome
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_mentor_accepting_from_several_places_at_once_accepts_once(app, mailbox):
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    mentor = make_mentor("priya@example.org", "Priya Shah")
    jo = Web(app.test_client())
    jo.login("jo@example.org", PASSWORD)
    jo.submit(f"/mentors/{mentor.id}/request", {"note": NOTE})
    work(app)
    link = decision_link(mailbox)
    request = MentorRequest.get()

    tabs = []
    for _ in range(3):  # three tabs of the portal, each with its own session and token
        tab = Web(app.test_client())
        tab.login("priya@example.org", PASSWORD)
        tabs.append((tab, f"/requests/{request.id}/answer", tab.token()))
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
    request = matching.make_request(jo, mentor, NOTE)
    priya = User.get(User.email == "priya@example.org")

    def answer(action):
        def act():
            with app.app_context():
                return matching.decide(request, action, priya, "mentor").status
        return act

    results = all_at_once([answer("accept"), answer("decline")] * 3)
    decided = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, matching.RequestRefused)]
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
                return matching.make_request(User.get_by_id(user.id), MentorProfile.get_by_id(mentor.id), NOTE).id
        return act

    results = all_at_once([ask(user) for user in mentees])
    made = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, matching.RequestRefused)]
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
                return matching.make_request(User.get_by_id(jo.id), mentor, NOTE).id
        return act

    results = all_at_once([ask(m) for m in mentors])
    assert len([r for r in results if isinstance(r, int)]) == 1, results
    assert MentorRequest.select().count() == 1
    assert sum(m.places_taken for m in MentorProfile.select()) == 1
