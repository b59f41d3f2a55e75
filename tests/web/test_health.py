"""/health, for load balancers: 200 "ok" when the database and Redis both answer, else 503 and which
does not; nothing else, never cached, never a login, and who is logged in is not even looked up."""
from flask import g

from portal import create_app
from tests.support.factories import make_user
from tests.support.servers import RedisServer, free_port
from tests.support.web import signed_in


def health_of(app):
    answer = app.test_client().get("/health")
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Content-Type"].startswith("text/plain")
    return answer.status_code, answer.get_data(as_text=True)


def test_health_is_ok_when_the_database_and_redis_answer(app):
    assert health_of(app) == (200, "ok")


def test_health_is_503_when_redis_does_not_answer(environ):
    redis = RedisServer()
    try:
        app = create_app(environ={**environ, "REDIS_URL": redis.url})
        assert health_of(app) == (200, "ok")
        redis.stop()
        assert health_of(app) == (503, "redis unavailable")
        redis.start()
        assert health_of(app) == (200, "ok")
    finally:
        redis.close()


def test_health_is_503_when_the_database_does_not_answer(environ, database):
    nobody = f"postgresql://postgres@127.0.0.1:{free_port()}/portal"  # a port where nothing listens
    app = create_app(environ={**environ, "DATABASE_URL": nobody, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    try:
        assert health_of(app) == (503, "database and redis unavailable")
    finally:
        create_app(environ=environ)  # the tests' own database again, for the rest of this test's fixtures


def test_health_does_not_look_up_who_is_logged_in(app):
    with app.app_context():
        make_user("jo@example.org", "Jo Bloggs", mentee=True)
    jo = signed_in(app, "jo@example.org")
    with jo.client:
        assert jo.get("/health").status_code == 200
        assert "_login_user" not in g
        assert jo.get("/account/").status_code == 200
        assert g._login_user.email == "jo@example.org"  # where a page does look them up
