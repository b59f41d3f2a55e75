"""PostgreSQL restarted under a running portal (gunicorn and a worker, on a cluster of the test's
own): while it is down, people get the portal's own page saying so, not a server error; once it
is back, the very next requests and jobs work, with nothing restarted."""
import threading

import psycopg2
import pytest

from portal.core import db
from portal.models import User
from tests.support.factories import PASSWORD, make_user
from tests.support.portal import portal_here, production_environ
from tests.support.processes import Visitor, eventually
from tests.support.servers import SmtpServer, ThrowawayCluster


@pytest.fixture
def cluster():
    server = ThrowawayCluster()
    yield server
    db.close_all()
    server.close()


def create_database(cluster) -> str:
    connection = psycopg2.connect(cluster.url)
    connection.autocommit = True
    connection.cursor().execute("CREATE DATABASE portal")
    connection.close()
    return cluster.url.rpartition("/")[0] + "/portal"


def test_while_postgres_restarts_pages_say_so_and_afterwards_everything_works(cluster, redis_server, processes):
    smtp = SmtpServer()
    try:
        environ = production_environ(create_database(cluster), redis_server.url, smtp.url)
        processes.environ.update(environ)
        app = portal_here(environ)
        with app.app_context():
            make_user("jo@example.org", "Jo Bloggs", mentee=True)
        port = processes.web(workers=2, threads=2)
        processes.worker()
        jo = Visitor(port).login("jo@example.org", PASSWORD)
        assert jo.get("/account/").status == 200

        # Someone keeps clicking through the restart: each answer is a page, or the portal's 503.
        clicking, answers = threading.Event(), []

        def keep_clicking():
            while not clicking.is_set():
                page = jo.get("/mentors/")
                answers.append((page.status, "Sorry, the service is not available" in page.words))
                clicking.wait(0.05)

        clicker = threading.Thread(target=keep_clicking, daemon=True)
        clicker.start()
        eventually(lambda: answers, what="a first click")
        cluster.stop()
        stranger = Visitor(port)
        token = stranger.get("/login").token  # a page that needs no database
        for _ in range(6):  # enough to reach each gunicorn worker and thread
            for page in (jo.get("/account/"), jo.get("/"),
                         stranger.submit("/login", {"email": "jo@example.org", "password": PASSWORD}, token)):
                assert page.status == 503, page.words[:300]
                assert "Sorry, the service is not available just now" in page.words
                assert page.headers["Retry-After"]

        eventually(lambda: any(status == 503 for status, _ in answers), what="a click while it is down")
        cluster.start()
        clicking.set()
        clicker.join()
        assert {status for status, _ in answers} == {200, 503}
        assert all(ours for status, ours in answers if status == 503)
        for _ in range(4):
            assert jo.get("/account/").status == 200
        # Attempts the portal could not check do not count against the five a person has.
        assert stranger.submit("/login", {"email": "jo@example.org", "password": PASSWORD}, token).status == 302
        # and the worker, never restarted either, delivers what the next request sends
        page = Visitor(port).submit("/password/forgot", {"email": "jo@example.org"})
        assert page.status == 200, page.words[:300]
        assert smtp.mailbox.wait_for("jo@example.org", "password", timeout=60)
        with app.app_context():
            assert User.get(User.email == "jo@example.org").name == "Jo Bloggs"
    finally:
        smtp.close()
