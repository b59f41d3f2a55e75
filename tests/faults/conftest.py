"""Faults, for real: the portal runs as production runs it (gunicorn, `flask --app app worker`,
`flask --app app cron`) on a PostgreSQL database and a Redis of its own, and the test breaks
something under it: kills a worker, restarts PostgreSQL or Redis, has the SMTP server refuse."""
import pytest

from portal.core import db
from tests.support.processes import Processes
from tests.support.servers import RedisServer


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
