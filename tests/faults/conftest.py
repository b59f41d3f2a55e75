"""Faults, for real: the portal runs as production runs it (gunicorn, `flask --app app worker`,
`flask --app app cron`) on a PostgreSQL database and a Redis of its own, and the test breaks
something under it: kills a worker, restarts PostgreSQL or Redis, has the SMTP server refuse."""
import pytest

from portal import create_app, db
from tests.support.processes import Processes
from tests.support.servers import RedisServer


def production_environ(database_url: str, redis_url: str, smtp_url: str, **settings) -> dict:
    return {"PORTAL_ENV": "production", "SECRET_KEY": "a secret only the fault tests know",
            "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SMTP_URL": smtp_url,
            "BASE_URL": "http://portal.test", "SCHEME_INBOX_EMAIL": "team@example.org", **settings}


def portal_here(environ: dict):
    """The portal in this process, on the same settings as the processes: for setting up people and
    reading what happened (its database is migrated here)."""
    app = create_app(environ=environ)
    with app.app_context():
        db.upgrade()
    return app


@pytest.fixture
def database_url(postgres_server):
    url = postgres_server.create_database()
    yield url
    db.close_all()
    postgres_server.drop_database(url)


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.close()


@pytest.fixture
def processes(tmp_path):
    running = Processes(tmp_path)
    yield running
    running.stop()
    print(running.logs_text())  # shown when the test failed
