"""An SMTP server that says "not now" (4xx), then "no" (5xx): the email is tried again later, then
shown as failed on the jobs health page with what the server said, and an admin's retry sends it.
(tests/jobs/test_outbox.py covers a server that does not answer at all, and the last of 12 tries.)"""
from datetime import timedelta

from jobs.email import backoff
from jobs.sweeps import requeue_emails
from portal import create_app
from portal.core import clock, mail
from portal.models import Email
from tests.support.factories import PASSWORD, make_user
from tests.support.jobs import work
from tests.support.servers import Mailbox, SmtpServer
from tests.support.web import Web, words


class ScriptedMailbox(Mailbox):
    """Answers each message with the next reply of its script, keeping only those it accepts."""

    def __init__(self, *replies: str):
        super().__init__()
        self.replies = list(replies)

    async def handle_DATA(self, server, session, envelope):
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply.startswith("250"):
            return await super().handle_DATA(server, session, envelope)
        return reply


def test_a_refused_email_is_retried_then_failed_on_the_health_page_then_sent_by_an_admin(environ, app):
    mailbox = ScriptedMailbox("451 4.3.0 Mail server busy, try again later",
                              "554 5.7.1 Message refused by policy")
    server = SmtpServer(mailbox=mailbox)
    try:
        portal = create_app(environ={**environ, "SMTP_URL": server.url})
        with portal.app_context():
            make_user("ada@example.org", "Ada Admin", admin=True)
            email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
        work(portal)
        row = Email.get_by_id(email_id)
        assert (row.status, row.attempts, row.last_error) == (
            "queued", 1, "451 4.3.0 Mail server busy, try again later")
        with portal.app_context():
            assert requeue_emails(clock.now()) == 0  # not before its backoff
            assert requeue_emails(clock.now() + backoff(1) + timedelta(seconds=1)) == 1
        work(portal)
        # A 5xx is the server's final word: trying again for hours would change nothing.
        row = Email.get_by_id(email_id)
        assert (row.status, row.attempts, row.last_error) == ("failed", 2, "554 5.7.1 Message refused by policy")
        with portal.app_context():
            assert requeue_emails(clock.now() + timedelta(days=1)) == 0

        ada = Web(portal.test_client())
        ada.login("ada@example.org", PASSWORD)
        page = words(ada.get("/admin/health"))
        assert "Failed 1" in page
        assert "pat@example.org Thank you" in page and "554 5.7.1 Message refused by policy" in page
        assert "1 email is being tried again" in words(ada.submit("/admin/health/retry", follow_redirects=True))
        work(portal)
        assert Email.get_by_id(email_id).status == "sent"
        assert len(mailbox.to("pat@example.org")) == 1
        assert "Failed 0" in words(ada.get("/admin/health"))
    finally:
        server.close()
