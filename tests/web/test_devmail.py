"""Without an SMTP server, outside production, mail still goes through the outbox and the worker
and lands in the development mailbox, where its links can be followed."""
import logging
import re

from rq import SimpleWorker

from portal import create_app
from portal.models import Email, User
from tests.support.forms import signup_form
from tests.support.web import Web, text


def test_mail_lands_in_the_dev_mailbox_through_the_worker(app, environ):
    development = {**environ, "PORTAL_ENV": "development"}
    del development["SMTP_URL"]
    dev_app = create_app(environ=development)
    web = Web(dev_app.test_client())
    web.submit("/signup", signup_form())
    assert Email.get().status == "queued"

    with dev_app.app_context():
        from portal.core.queue import queue
        q = queue()
        SimpleWorker([q], connection=q.connection).work(burst=True, logging_level=logging.WARNING)
    email = Email.get()
    assert email.status == "sent"

    inbox = text(web.get("/dev/mail/"))
    assert "Confirm your email address" in inbox and "jo.bloggs@example.org" in inbox
    shown = text(web.get(f"/dev/mail/{email.id}"))
    link = re.search(r'<a href="http://portal\.test(/confirm/[^"]+)"', shown).group(1)
    web.submit(link)
    assert User.get().email_confirmed_at is not None
    assert "Confirm my email address" in text(web.get(f"/dev/mail/{email.id}/html"))


def test_there_is_no_dev_mailbox_with_an_smtp_server_or_in_production(client, environ):
    assert client.get("/dev/mail/").status_code == 404
    production = {**environ, "PORTAL_ENV": "production"}
    del production["SMTP_URL"]
    assert create_app(environ=production).test_client().get("/dev/mail/").status_code == 404
