"""Redis restarted (losing everything queued in it) while people sign up and a worker is sending:
every email still goes, once; the worker and the cron scheduler carry on by themselves; and while
Redis is away the login limits count in memory rather than letting guesses through.
(tests/jobs/test_outbox.py covers a signup with Redis down, in one process.)"""
import asyncio
import threading
import time
from datetime import timedelta

from jobs.sweeps import requeue_emails
from portal.core import clock
from portal.core.queue import enqueue
from portal.models import Email, SweepRun, User
from tests.support.factories import make_user
from tests.support.forms import signup_form
from tests.support.portal import portal_here, production_environ
from tests.support.processes import Visitor, eventually
from tests.support.servers import Mailbox, SmtpServer

TICK = 3  # seconds between the sweeps here


class HoldingMailbox(Mailbox):
    """Holds the next message it is sent, when asked, until released: a delivery under way."""

    def __init__(self):
        super().__init__()
        self.hold, self.holding, self.release = threading.Event(), threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.hold.is_set() and not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


def test_a_redis_restart_loses_no_email_and_never_opens_the_login_limits(database_url, redis_server, processes):
    mailbox = HoldingMailbox()
    smtp = SmtpServer(mailbox=mailbox)
    try:
        # The two people signing up in a loop all come from one address: on a quick machine they would
        # pass the network's hourly limit, which is not what this test is about (the login limit is).
        environ = production_environ(database_url, redis_server.url, smtp.url, SWEEP_SCHEDULE=f"* * * * * */{TICK}",
                                     ATTEMPTS_PER_NETWORK="100000 per hour")
        processes.environ.update(environ)
        app = portal_here(environ)
        with app.app_context():
            make_user("jo@example.org", "Jo Bloggs", mentee=True)
        # One gunicorn worker process: its in-memory count of login attempts is then the only one.
        port = processes.web(workers=1, threads=4)
        processes.worker()
        processes.cron()

        stopping, signed_up, answers = threading.Event(), [], []

        def keep_signing_up(who):
            visitor = Visitor(port)
            token = visitor.get("/signup").token
            n = 0
            while not stopping.is_set():
                email = f"{who}.{n}@example.org"
                answers.append(visitor.submit("/signup", signup_form(email=email), token).status)
                signed_up.append(email)
                n += 1

        people = [threading.Thread(target=keep_signing_up, args=(who,), daemon=True) for who in ("ann", "bob")]
        for person in people:
            person.start()
        eventually(lambda: len(mailbox.messages) >= 4, timeout=60, what="the first emails")

        mailbox.hold.set()
        assert mailbox.holding.wait(60)  # the worker is sending an email
        redis_server.stop()
        mailbox.release.set()
        guesser = Visitor(port)
        token = guesser.get("/login").token
        guesses = [guesser.submit("/login", {"email": "jo@example.org", "password": f"guess {n}"}, token).status
                   for n in range(7)]
        assert guesses == [200] * 5 + [429] * 2  # five wrong passwords shown the form again, then refused
        before = len(signed_up)
        eventually(lambda: len(signed_up) >= before + 2, what="signing up with Redis down")
        # Down across a tick of the cron scheduler, which then has nowhere to put the sweeps.
        time.sleep(TICK - time.time() % TICK + 1)
        redis_server.start()
        restarted = clock.now()

        eventually(lambda: len(signed_up) >= before + 6, what="signing up after the restart")
        stopping.set()
        for person in people:
            person.join()
        assert set(answers) == {302}

        with app.app_context():
            # The cron scheduler and the worker carried on: sweeps run again, by themselves.
            eventually(lambda: SweepRun.select().where(SweepRun.last_run_at > restarted).count() >= 5,
                       what="sweeps running after the restart")
            # What Redis lost, or never had, is still waiting in the outbox; the requeue sweep, as it
            # runs once those emails have waited a few minutes, sends every one.
            assert Email.select().where(Email.status == "queued").count() >= 2
            enqueue(requeue_emails, clock.now() + timedelta(minutes=15))
            eventually(lambda: not Email.select().where(Email.status != "sent").exists(), timeout=120,
                       what="every email sent")
            assert User.select().where(User.email.in_(signed_up)).count() == len(signed_up)
            emails = Email.select().count()
        assert sorted(m["To"] for m in mailbox.messages) == sorted(signed_up)
        assert len(mailbox.messages) == emails
        assert len({m["Message-ID"] for m in mailbox.messages}) == emails
        assert processes.alive("worker") and processes.alive("cron")
    finally:
        mailbox.release.set()
        smtp.close()
