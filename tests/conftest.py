"""Fixtures: real Redis, a real SMTP server, SQLite and PostgreSQL, a real RQ worker.

Every test that uses the app runs twice, once on each database. Nothing is mocked: the
fixtures start what is missing and stop what they started.
"""
import os
from datetime import timedelta

import pytest

from portal import create_app
from portal.core import clock, db
from portal.models import MODELS
from tests.support.jobs import work
from tests.support.portal import portal_environ, reset_database
from tests.support.servers import PostgresServer, RedisServer, SmtpServer
from tests.support.web import Web


@pytest.fixture(scope="session", autouse=True)
def _days_from_now():
    """TEST_DAYS_FROM_NOW=400 make test runs the suite as if it were 400 days later, so a test that
    depends on today's date (rather than a clock stopped with tests.support.clock.at) shows itself
    before the calendar catches up with it."""
    days = int(os.environ.get("TEST_DAYS_FROM_NOW", "0"))
    with clock.travel(timedelta(days=days)):
        yield


@pytest.fixture(scope="session")
def redis_url():
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = RedisServer()
    yield server.url
    server.close()


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    yield server
    server.close()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database(request, tmp_path_factory):
    """A migrated database of each kind, and the rows the migrations seeded (restored before each test)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite')}/portal.db"
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database()
        request.addfinalizer(lambda: server.drop_database(url))
    db.bind(url)
    db.upgrade()
    seed = {model: [{k: v for k, v in row.items() if k != "id"} for row in model.select().order_by(model.id).dicts()]
            for model in MODELS}
    yield {"url": url, "kind": request.param, "seed": seed}
    db.close_all()


@pytest.fixture
def portal_base_url():
    """Where links in emails point; browser tests replace it with their live server."""
    return "http://portal.test"


@pytest.fixture
def environ(database, redis_url, smtp_server, portal_base_url):
    return portal_environ(database, redis_url, smtp_server, portal_base_url)


@pytest.fixture
def app(environ, database, smtp_server):
    app = create_app(environ=environ)
    reset_database(database["seed"])
    from portal.core.queue import redis_connection
    with app.app_context():
        redis_connection().flushdb()
    smtp_server.mailbox.clear()
    yield app
    db.close()


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replaces pytest-flask's fixture of this name, which keeps one request context open for the
    whole test: every request would then share its `g`, and with it the login and the CSRF token
    cached there, as if all test clients were one browser. Here each request has its own."""


@pytest.fixture
def client(app):
    """Replaces pytest-flask's `client`, which is used `with` a block and so keeps each request's
    context open until the next: a second test client would then run inside the first one's."""
    return app.test_client()


@pytest.fixture
def app_context(app):
    """For a test that calls the portal's code directly, as a job or a command would."""
    with app.app_context():
        yield


@pytest.fixture
def mailbox(app, smtp_server):
    return smtp_server.mailbox


@pytest.fixture
def run_jobs(app):
    """Work the queue with a real RQ worker until it is empty; fails the test if any job failed."""
    return lambda: work(app)


@pytest.fixture
def web(client):
    return Web(client)
