"""One log line for each request: its id (returned as X-Request-ID), the URL rule rather than the path,
the status and the time taken; and a failing page is logged by its rule too. (tests/faults/test_logs.py
follows a whole journey through the real processes and reads everything they wrote.)"""
import logging
import re

import pytest

from tests.support.logs import REQUEST_LINE, written_lines


@pytest.fixture
def lines():
    """The request lines written so far."""
    with written_lines() as written:
        yield lambda: [line for line in written() if " portal.requests " in line]


def test_each_request_writes_one_line_with_its_id_its_route_its_status_and_its_time(client, lines):
    token = "not-a-real-token.ABCdef123"
    answer = client.get(f"/respond/{token}")
    answer.close()
    request_id = answer.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)

    [line] = lines()
    found = REQUEST_LINE.search(line)
    assert found and " INFO portal.requests " in line, line
    assert (found["id"], found["method"], found["route"], found["status"]) == (
        request_id, "GET", "/respond/<token>", str(answer.status_code))
    assert token not in line


def test_a_load_balancers_request_id_is_kept_and_anything_else_replaced(client):
    kept = client.get("/health", headers={"X-Request-ID": "lb-2f9c1a7e-77d4-4b0e"})
    assert kept.headers["X-Request-ID"] == "lb-2f9c1a7e-77d4-4b0e"
    for insane in ("jo@example.org", "short", "x" * 65, "a b c d e f g h"):
        answer = client.get("/health", headers={"X-Request-ID": insane})
        assert re.fullmatch(r"[0-9a-f]{16}", answer.headers["X-Request-ID"]), insane


def test_a_static_file_and_a_page_that_is_not_there_have_their_lines(client, lines):
    for path in ("/static/css/portal.css", "/no/such/page/jo@example.org"):
        client.get(path).close()
    assert [REQUEST_LINE.search(line)["route"] + " " + REQUEST_LINE.search(line)["status"] for line in lines()] == [
        "/static/<path:filename> 200", "- 404"]
    assert not [line for line in lines() if "jo@example.org" in line]


def test_a_failing_page_is_logged_by_its_route_never_its_path(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page, and the error logged

    @app.route("/boom/<token>")
    def boom(token):
        raise RuntimeError("something broke")

    caplog.set_level(logging.INFO)
    answer = app.test_client().get("/boom/secret-token-123")
    answer.close()
    assert answer.status_code == 500
    assert "Exception on GET /boom/<token>" in caplog.messages
    assert "route=/boom/<token> status=500" in caplog.text
    assert "secret-token-123" not in caplog.text
