"""A region as production runs it: two web servers (gunicorn), two workers and one cron scheduler,
sharing one PostgreSQL database and one Redis. Two hundred mentees ask twenty mentors, with one
place each, at the same moment; the mentors accept (pressing twice, on both servers), decline, or
let the request run out for the sweeps to close. No mentor gets more mentees than places, each
request ends exactly once, and each email reaches the SMTP server exactly once.
(tests/jobs/test_races.py has the same races inside one process.)"""
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from jobs.email import message_id
from portal.core import clock
from portal.core.queue import queue
from portal.models import AuditEvent, Email, MentorProfile, MentorRequest, Relationship
from tests.support.concurrency import all_at_once
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.portal import portal_here, production_environ
from tests.support.processes import Visitor, eventually, wait_for_web
from tests.support.servers import SmtpServer, text_of

MENTORS, MENTEES = 20, 200
ACCEPT, DECLINE, LEAVE = range(0, 7), range(7, 14), range(14, 20)


def test_a_region_under_a_rush_of_requests_keeps_every_promise(database_url, redis_server, processes):
    smtp = SmtpServer()
    try:
        environ = production_environ(database_url, redis_server.url, smtp.url, SWEEP_SCHEDULE="* * * * * */5")
        processes.environ.update(environ)
        app = portal_here(environ)
        servers = [processes.web("web-a", wait=False), processes.web("web-b", wait=False)]
        processes.worker("worker-a")
        processes.worker("worker-b")
        processes.cron()
        with app.app_context():
            mentors = [make_mentor(f"mentor{m}@example.org", f"Mentor{m} Shah", capacity=1) for m in range(MENTORS)]
            for n in range(MENTEES):
                make_user(f"mentee{n}@example.org", f"Mentee{n} Bloggs", mentee=True)
        for port in servers:
            wait_for_web(port)

        def mentee(n):
            """Logged in on one of the two servers (the login form's token serves their next form too)."""
            visitor = Visitor(servers[n % 2])
            token = visitor.get("/login").token
            login = visitor.submit("/login", {"email": f"mentee{n}@example.org", "password": PASSWORD}, token)
            assert login.status == 302, login.words[:300]
            return visitor, f"/mentors/{mentors[n % MENTORS].id}/request", token

        with ThreadPoolExecutor(16) as pool:
            mentees = list(pool.map(mentee, range(MENTEES)))

        def ask(visitor, path, token):
            return lambda: visitor.submit(path, {"note": NOTE}, token)

        answers = all_at_once([ask(*m) for m in mentees])
        assert not [a for a in answers if isinstance(a, Exception)], answers
        assert Counter(a.status for a in answers) == {302: MENTORS, 400: MENTEES - MENTORS}
        refusals = ("Someone else has just taken this mentor's last place",
                    "This mentor's places are all taken just now")
        assert all(any(r in a.words for r in refusals) for a in answers if a.status == 400)

        # Each mentor is emailed once, with a link to answer from.
        links = {}
        for m in range(MENTORS):
            message = smtp.mailbox.wait_for(f"mentor{m}@example.org", "would like you as their mentor", timeout=60)
            links[m] = re.search(r"http://portal\.test(/respond/\S+)", text_of(message)).group(1)

        def answer(m, action, server):
            visitor = Visitor(servers[server])
            token = visitor.get(links[m]).token
            return [lambda s=s: visitor.submit(links[m], {"action": action, "message": "Sorry, not now"}, token,
                                               port=servers[s]).status for s in (0, 1)]

        # Accepting mentors press twice, once on each server; declining ones press once.
        pressed = all_at_once([press for m in ACCEPT for press in answer(m, "accept", m % 2)]
                              + [answer(m, "decline", m % 2)[m % 2] for m in DECLINE])
        assert Counter(pressed) == {200: len(ACCEPT) + len(DECLINE), 409: len(ACCEPT)}, pressed

        # The rest let their five working days go by: the sweeps close the requests, and a mentor
        # answering after that is told so.
        with app.app_context():
            leaving = [mentors[m].id for m in LEAVE]
            MentorRequest.update(deadline=clock.now() - timedelta(seconds=1)).where(
                MentorRequest.mentor.in_(leaving)).execute()
            late = all_at_once([answer(m, "accept", m % 2)[0] for m in LEAVE])
            assert late == [409] * len(LEAVE)
            eventually(lambda: MentorRequest.select().where(MentorRequest.status == "expired").count() == len(LEAVE),
                       timeout=60, what="the sweeps closing the requests that ran out")

            requests = {r.mentor_id: r for r in MentorRequest.select()}
            assert len(requests) == MENTORS
            assert Counter(r.status for r in requests.values()) == {
                "accepted": len(ACCEPT), "declined": len(DECLINE), "expired": len(LEAVE)}
            for profile in MentorProfile.select():
                active = Relationship.select().where(Relationship.mentor == profile.id).count()
                assert profile.places_taken == active <= profile.capacity == 1
            assert Counter(e.action for e in AuditEvent.select().where(AuditEvent.action.in_(
                ["requested_mentor", "accepted_request", "request_declined", "request_expired"]))) == {
                "requested_mentor": MENTORS, "accepted_request": len(ACCEPT), "request_declined": len(DECLINE),
                "request_expired": len(LEAVE)}

            # Every email, once: each outbox row sent, and received once under its own Message-ID.
            accepted = [r.id for r in requests.values() if r.status == "accepted"]
            declined = [r.id for r in requests.values() if r.status == "declined"]
            expired = [r.id for r in requests.values() if r.status == "expired"]
            expected = ({f"request-new:{r.id}" for r in requests.values()}
                        | {f"request-accepted:{r}:{who}" for r in accepted for who in ("mentee", "mentor")}
                        | {f"request_declined:{r}" for r in declined}
                        | {f"request_expired:{r}" for r in expired} | {f"request-expired:{r}:mentor" for r in expired})
            eventually(lambda: Email.select().where(Email.status == "sent").count() == len(expected), timeout=90,
                       what="every email sent")
            rows = list(Email.select())
            assert {row.dedupe_key for row in rows} == expected
            received = Counter(m["Message-ID"] for m in smtp.mailbox.messages)
            assert received == {message_id(row): 1 for row in rows}
            assert queue().failed_job_registry.count == 0
    finally:
        smtp.close()
