"""Email goes outbox -> RQ -> SMTP, survives Redis and SMTP outages, and is never sent twice."""
import importlib
import os
import ssl
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult
from rq import Queue

from jobs.email import MAX_ATTEMPTS, backoff, deliver
from jobs.sweeps import requeue_emails
from portal import config, create_app
from portal.core import clock, db, mail
from portal.core.queue import DELIVER_EMAIL, DELIVER_EMAILS, IMPORT_MENTORS, enqueue
from portal.core.queue import queue as jobs_queue
from portal.models import Email, User
from tests.support.forms import signup_form
from tests.support.jobs import work
from tests.support.servers import RedisServer, SmtpServer, free_port, text_of
from tests.support.web import Web

ROOT = Path(__file__).resolve().parents[2]


def test_an_email_is_recorded_before_it_is_queued_and_has_both_bodies(app_context, run_jobs, mailbox):
    email_id = mail.send("pat@example.org", "password_changed", "Thank you", name="Pat",
                         reset_url="http://portal.test/password/forgot")
    row = Email.get_by_id(email_id)
    assert row.status == "queued" and row.attempts == 0
    assert "Hello Pat" in row.text_body and "<p>Hello Pat,</p>" in row.html_body
    run_jobs()
    message = mailbox.wait_for("pat@example.org", "Thank you")
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert message["From"] == "Peer mentoring <peer-mentoring@example.org>"
    row = Email.get_by_id(email_id)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None


def test_the_same_dedupe_key_sends_once(app_context, run_jobs, mailbox):
    first = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat", dedupe_key="k1")
    second = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat", dedupe_key="k1")
    assert first and second is None
    run_jobs()
    assert len(mailbox.to("pat@example.org")) == 1


def test_delivering_twice_sends_once(app_context, run_jobs, mailbox):
    email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
    enqueue(deliver, email_id)
    enqueue(deliver, email_id)
    run_jobs()
    assert len(mailbox.to("pat@example.org")) == 1
    assert Email.get_by_id(email_id).attempts == 1


def test_nothing_is_queued_until_the_transaction_commits(app_context):
    from portal.core.db import database
    from portal.core.queue import queue
    with database.atomic():
        mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
        assert queue().count == 0
    assert queue().count == 1
    with pytest.raises(RuntimeError):
        with database.atomic():
            mail.send("sam@example.org", "interest_received", "Thank you", name="Sam")
            raise RuntimeError("rolled back")
    assert queue().count == 1
    assert not Email.select().where(Email.to_address == "sam@example.org").exists()


def test_smtp_errors_are_retried_with_backoff_until_delivered(environ, app, run_jobs):
    port = free_port()
    down = create_app(environ={**environ, "SMTP_URL": f"smtp://127.0.0.1:{port}?timeout=2"})
    with down.app_context():
        email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
        assert deliver(email_id) == "will retry"
        row = Email.get_by_id(email_id)
        assert (row.status, row.attempts) == ("queued", 1)
        assert "Connection refused" in row.last_error
        assert row.next_attempt_at > clock.now()

        # Not due yet: the sweep leaves it alone.
        assert requeue_emails(clock.now()) == 0
    late = SmtpServer(port=port)  # the SMTP server comes back
    try:
        with down.app_context():
            assert requeue_emails(clock.now() + backoff(1)) == 1
        work(down)
        assert late.mailbox.wait_for("pat@example.org", "Thank you")
        assert Email.get_by_id(email_id).status == "sent"
    finally:
        late.close()


def test_after_the_last_attempt_an_email_is_marked_failed(environ, app):
    down = create_app(environ={**environ, "SMTP_URL": f"smtp://127.0.0.1:{free_port()}?timeout=2"})
    with down.app_context():
        email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
        Email.update(attempts=MAX_ATTEMPTS - 1).where(Email.id == email_id).execute()
        assert deliver(email_id) == "failed"
        assert Email.get_by_id(email_id).status == "failed"
        assert requeue_emails(clock.now() + timedelta(days=1)) == 0


@pytest.mark.parametrize("attempts, minutes", [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (12, 60)])
def test_backoff_doubles_up_to_an_hour(attempts, minutes):
    assert backoff(attempts) == timedelta(minutes=minutes)


def test_with_redis_down_signup_succeeds_and_the_email_follows_when_it_is_back(environ, app, mailbox):
    redis = RedisServer()
    try:
        portal = create_app(environ={**environ, "REDIS_URL": redis.url})
        redis.stop()
        web = Web(portal.test_client())
        started = time.monotonic()
        response = web.submit("/signup", signup_form())
        assert response.status_code == 302
        assert time.monotonic() - started < 5
        assert User.get().email == "jo.bloggs@example.org"
        row = Email.get()
        assert row.status == "queued"

        redis.start()
        with portal.app_context():
            # The every-minute sweep finds the waiting row and queues it.
            assert requeue_emails(clock.now()) == 0  # written moments ago: its first job may still be coming
            assert requeue_emails(clock.now() + timedelta(minutes=3)) == 1
        work(portal)
        assert mailbox.wait_for("jo.bloggs@example.org", "Confirm your email address")
        assert Email.get_by_id(row.id).status == "sent"
    finally:
        redis.close()


def burst_worker(environ, *options):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", *options],
                          cwd=ROOT, env={**os.environ, **environ}, capture_output=True, text=True, timeout=120)


def test_two_portals_sharing_a_redis_never_take_each_others_jobs(app, environ, tmp_path, mailbox):
    """Staging and production, or two `make run` checkouts, on one Redis: each works its own queue, and
    a job that reaches the other portal all the same is refused before it touches a database."""
    ours = {k: v for k, v in environ.items() if k != "RQ_QUEUE"}  # the queue named as it is by default
    other = {**ours, "DATABASE_URL": f"sqlite:///{tmp_path}/other.db"}
    portal_a = create_app(environ=ours)
    with portal_a.app_context():
        email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
        queue_a = jobs_queue()
    # The other portal's outbox has a row under the same id, waiting for its own delivery.
    db.bind(other["DATABASE_URL"])
    db.upgrade()
    Email.create(id=email_id, to_address="sam@example.org", template="interest_received", subject="Welcome",
                 text_body="Hello Sam", html_body="<p>Hello Sam</p>")
    db.bind(ours["DATABASE_URL"])
    queue_b = config.from_environment(other, tmp_path)["RQ_QUEUE"]
    assert queue_b != queue_a.name

    # B's worker does not see A's queue.
    result = burst_worker(other)
    assert result.returncode == 0, result.stderr
    assert queue_a.count == 1 and not mailbox.to("sam@example.org") and not mailbox.to("pat@example.org")

    # A job pushed onto B's queue by A (a misconfigured RQ_QUEUE, say) is refused by B's worker.
    portal_a.config["RQ_QUEUE"] = queue_b
    with portal_a.app_context():
        assert mail.queue_delivery(email_id)
    portal_a.config["RQ_QUEUE"] = queue_a.name
    result = burst_worker(other)
    assert result.returncode == 0, result.stderr
    assert "refused" in result.stderr and "another portal" in result.stderr, result.stderr
    assert Queue(queue_b, connection=queue_a.connection).failed_job_registry.count == 1
    assert not mailbox.to("sam@example.org") and not mailbox.to("pat@example.org")
    untouched = {"status": "queued", "attempts": 0, "claimed_until": None, "sent_at": None, "last_error": None}
    with portal_a.app_context():
        assert {k: v for k, v in Email.select().where(Email.id == email_id).dicts().get().items()
                if k in untouched} == untouched
    db.bind(other["DATABASE_URL"])
    try:
        assert {k: v for k, v in Email.select().where(Email.id == email_id).dicts().get().items()
                if k in untouched} == untouched
    finally:
        db.bind(ours["DATABASE_URL"])

    # A's own worker delivers A's mail.
    work(portal_a)
    assert "Thank you for your interest" in text_of(mailbox.wait_for("pat@example.org", "Thank you"))
    assert not mailbox.to("sam@example.org")
    with portal_a.app_context():
        assert Email.get_by_id(email_id).status == "sent"


def test_each_database_names_its_own_queue_and_rate_limit_keys(tmp_path):
    def settings(**environ):
        return config.from_environment({"PORTAL_ENV": "testing", "SECRET_KEY": "x", **environ}, tmp_path / "instance")

    production = settings(DATABASE_URL="postgresql://portal:secret@db.example.org:5432/portal")
    rotated = settings(DATABASE_URL="postgresql://portal:new-secret@db.example.org:5432/portal")
    staging = settings(DATABASE_URL="postgresql://portal:secret@db.example.org:5432/portal_staging")
    # Two checkouts run with `make run`: each keeps its SQLite file in its own instance folder.
    checkouts = [config.from_environment({"PORTAL_ENV": "development"}, tmp_path / name / "instance")
                 for name in ("one", "two")]
    for key in ("DEPLOYMENT_ID", "RQ_QUEUE", "RATELIMIT_KEY_PREFIX"):
        assert production[key] == rotated[key], key  # a new password is the same portal
        assert production[key] != staging[key], key
        assert checkouts[0][key] != checkouts[1][key], key
        assert "secret" not in production[key]
    assert production["RQ_QUEUE"] == f"portal-{production['DEPLOYMENT_ID']}"
    assert production["RATELIMIT_KEY_PREFIX"] == f"portal-limit-{production['DEPLOYMENT_ID']}"
    named = settings(DATABASE_URL="sqlite:///x.db", DEPLOYMENT_ID="staging", RQ_QUEUE="mentoring")
    assert (named["DEPLOYMENT_ID"], named["RQ_QUEUE"], named["RATELIMIT_KEY_PREFIX"]) == (
        "staging", "mentoring", "portal-limit-staging")


def test_a_real_worker_process_delivers_the_outbox(app_context, environ, mailbox):
    email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
    result = burst_worker(environ)
    assert result.returncode == 0, result.stderr
    assert "Thank you for your interest" in text_of(mailbox.wait_for("pat@example.org", "Thank you"))
    assert Email.get_by_id(email_id).status == "sent"
    # One line for the job, in the form of a request's, in place of RQ's own lines for it.
    assert " INFO jobs request_id=" in result.stderr and "route=job:deliver status=ok result=sent" in result.stderr
    assert "Job OK" not in result.stdout + result.stderr


def test_the_worker_of_make_run_speaks_only_of_failures(app_context, environ, mailbox):
    mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
    result = burst_worker(environ, "--log-level", "WARNING")
    assert result.returncode == 0 and "route=job:" not in result.stderr and "Job OK" not in result.stdout, result.stderr
    assert mailbox.wait_for("pat@example.org", "Thank you")


@pytest.fixture
def tls_files(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return key, cert


def test_smtp_with_starttls_and_login(environ, app, tls_files):
    key, cert = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret p@ss")

    server = SmtpServer(tls_context=context, require_starttls=True, authenticator=authenticator,
                        auth_require_tls=True)
    try:
        url = f"smtp+starttls://mailer%40example.org:s3cret%20p%40ss@127.0.0.1:{server.port}"
        portal = create_app(environ={**environ, "SMTP_URL": url, "SMTP_CA_FILE": str(cert)})
        with portal.app_context():
            email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
            assert deliver(email_id) == "sent"
        assert server.mailbox.wait_for("pat@example.org", "Thank you")
        assert logins == [(b"mailer@example.org", b"s3cret p@ss")]
    finally:
        server.close()


def test_an_email_whose_worker_died_mid_send_is_sent_later(app, app_context, mailbox):
    email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
    # A worker claimed it, then was killed: the row is left "sending".
    Email.update(status="sending", claimed_until=clock.now() - timedelta(seconds=1),
                 next_attempt_at=clock.now() - timedelta(seconds=1), attempts=1).where(Email.id == email_id).execute()
    from portal.core.queue import queue
    queue().empty()
    assert requeue_emails(clock.now()) == 1
    work(app)
    assert Email.get_by_id(email_id).status == "sent"
    assert mailbox.wait_for("pat@example.org", "Thank you")


def test_an_unexpected_error_in_delivery_keeps_the_email(app, app_context, environ):
    broken = create_app(environ={**environ, "SMTP_URL": "gopher://nowhere"})
    with broken.app_context():
        email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
        assert deliver(email_id) == "will retry"
    row = Email.get_by_id(email_id)
    assert row.status == "queued" and "gopher" in row.last_error


def test_a_name_with_a_line_break_still_makes_a_one_line_subject(app, app_context, mailbox):
    web = Web(app.test_client())
    web.submit("/signup", signup_form(name="Jo\nBloggs"))
    assert User.get().name == "Jo Bloggs"
    mail.send("pat@example.org", "interest_received", "Hello Jo\r\nBcc: victim@example.org", name="Pat")
    work(app)
    message = mailbox.wait_for("pat@example.org", "Hello Jo")
    assert message["Subject"] == "Hello Jo Bcc: victim@example.org" and message["Bcc"] is None


def test_each_job_the_portal_queues_by_name_is_a_job():
    """The portal names the jobs it queues (it never imports jobs/): each name must lead to one."""
    for name in (DELIVER_EMAIL, DELIVER_EMAILS, IMPORT_MENTORS):
        module, _, attribute = name.rpartition(".")
        job = getattr(importlib.import_module(module), attribute)
        assert callable(job) and hasattr(job, "__wrapped__"), f"{name} is not made by jobs.job"
