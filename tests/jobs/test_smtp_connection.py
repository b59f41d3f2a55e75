"""One SMTP connection carries many emails, in the test's own RQ worker and in a real `flask worker`
process, and a connection the server closed is replaced without the email waiting for a retry."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP

from portal import create_app
from portal.core import mail
from portal.models import Email
from tests.support.jobs import work
from tests.support.servers import Mailbox, SmtpServer

ROOT = Path(__file__).resolve().parents[2]


class CountingSMTP(SMTP):
    """Counts the connections made to it (on its mailbox, shared by every connection's instance)."""

    def connection_made(self, transport):
        self.event_handler.connections += 1
        super().connection_made(transport)


class HangingUpSMTP(CountingSMTP):
    """Takes a message, answers 250, then closes the connection: a server with a limit of one
    message per connection, or restarted between two emails."""

    async def smtp_DATA(self, arg):
        await super().smtp_DATA(arg)
        self.transport.close()


class CountingMailbox(Mailbox):
    def __init__(self):
        super().__init__()
        self.connections = 0


@pytest.fixture
def server_of():
    started = []

    def start(server_class):
        server = SmtpServer(mailbox=CountingMailbox(), server_class=server_class)
        server.mailbox.connections = 0  # aiosmtpd's own check that the server is up, as it starts
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def send_three(portal) -> list[int]:
    with portal.app_context():
        return [mail.send(f"pat{n}@example.org", "interest_received", "Thank you", name="Pat") for n in range(3)]


def sent_on_first_try(portal, ids) -> bool:
    with portal.app_context():
        return all((e.status, e.attempts) == ("sent", 1) for e in Email.select().where(Email.id.in_(ids)))


def test_one_connection_carries_every_email_a_worker_sends(app, environ, server_of):
    server = server_of(CountingSMTP)
    portal = create_app(environ={**environ, "SMTP_URL": server.url})
    ids = send_three(portal)
    work(portal)
    assert len(server.mailbox.messages) == 3 and sent_on_first_try(portal, ids)
    assert server.mailbox.connections == 1


def test_a_connection_the_server_closed_is_replaced_and_the_email_goes_at_once(app, environ, server_of):
    server = server_of(HangingUpSMTP)
    portal = create_app(environ={**environ, "SMTP_URL": server.url})
    ids = send_three(portal)
    work(portal)
    assert sorted(m["To"] for m in server.mailbox.messages) == [f"pat{n}@example.org" for n in range(3)]
    assert sent_on_first_try(portal, ids)  # none waited for the sweep to try again
    assert server.mailbox.connections == 3


def test_the_worker_process_sends_its_emails_itself_over_one_connection(app, environ, server_of):
    """RQ's worker forks a process for each job by default, which would open a connection for each
    email and close it with the fork."""
    server = server_of(CountingSMTP)
    settings = {**environ, "SMTP_URL": server.url}
    ids = send_three(create_app(environ=settings))
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "worker", "--burst"], cwd=ROOT,
                            env={**os.environ, **settings}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(server.mailbox.messages) == 3 and sent_on_first_try(create_app(environ=settings), ids)
    assert server.mailbox.connections == 1
