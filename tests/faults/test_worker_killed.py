"""A worker killed outright (SIGKILL) in the middle of sending an email (the worker sends email itself,
without a fork, so the kill takes the send with it).

Its claim on the outbox row keeps every other worker off it until EMAIL_CLAIM_SECONDS have
passed; then the requeue sweep queues it again and a fresh worker sends it. (tests/jobs/test_outbox.py
covers two jobs for one row, and SMTP or Redis being down, all inside one process.)"""
import asyncio
import threading
from datetime import timedelta

import pytest
from aiosmtpd.smtp import SMTP

from jobs.sweeps import requeue_emails
from portal.core import mail
from portal.models import Email
from tests.support.portal import portal_here, production_environ
from tests.support.processes import FLASK, eventually
from tests.support.servers import Mailbox, SmtpServer


class StallingMailbox(Mailbox):
    """Holds the first conversation at one point until released, and says when it is there:
    at "DATA" before the server has read the message, or at "reply" after it has it but before it
    answers 250 (as a server that took the message and whose answer was lost)."""

    def __init__(self, at: str):
        super().__init__()
        self.at = at
        self.reached = threading.Event()
        self.released = threading.Event()

    async def hold(self, point: str):
        if point != self.at or self.reached.is_set():
            return
        self.reached.set()
        while not self.released.is_set():  # polled, so a dropped connection can cancel it
            await asyncio.sleep(0.05)

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        await self.hold("reply")
        return reply


class StallingSMTP(SMTP):
    async def smtp_DATA(self, arg):
        await self.event_handler.hold("DATA")
        await super().smtp_DATA(arg)


@pytest.mark.parametrize("stall_at, copies", [("DATA", 1), ("reply", 2)])
def test_an_email_whose_worker_was_killed_mid_send_goes_out_after_the_claim_lapses(
        stall_at, copies, database_url, redis_server, processes):
    mailbox = StallingMailbox(stall_at)
    smtp = SmtpServer(mailbox=mailbox, server_class=StallingSMTP)
    try:
        environ = production_environ(database_url, redis_server.url, smtp.url, EMAIL_CLAIM_SECONDS="3")
        processes.environ.update(environ)
        app = portal_here(environ)
        with app.app_context():
            email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")

        doomed = processes.worker("doomed-worker")
        assert mailbox.reached.wait(60), processes.logs_text()
        with app.app_context():
            row = Email.get_by_id(email_id)
            assert (row.status, row.attempts) == ("sending", 1)
        processes.kill(doomed)
        mailbox.released.set()

        with app.app_context():
            # Until the claim lapses the row is left alone.
            assert requeue_emails(row.claimed_until - timedelta(seconds=1)) == 0
            eventually(lambda: requeue_emails() == 1, timeout=30, what="the claim lapsing")
        fresh = processes.start("fresh-worker", FLASK + ["worker", "--burst"])
        assert fresh.wait(timeout=120) == 0, processes.logs_text()

        with app.app_context():
            row = Email.get_by_id(email_id)
            assert (row.status, row.attempts) == ("sent", 2)
        messages = mailbox.to("pat@example.org")
        # Stopped at DATA, the server never had the message: it goes out once. Stopped after the
        # server had it but before its 250 reached the worker, nothing recorded that it went, so
        # it goes again (SMTP has no way to ask a server "did you get it?"): the same Message-ID
        # lets the receiving mail system and the reader's mail program see it is one message.
        assert len(messages) == copies
        assert len({m["Message-ID"] for m in messages}) == 1
    finally:
        mailbox.released.set()
        smtp.close()
