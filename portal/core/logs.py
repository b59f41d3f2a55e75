"""Logs: one line for each request, each job and each sweep, in one form, and nothing personal.

    2026-05-04T09:12:03+0100 INFO portal.requests request_id=9f2c41d07a3be815 method=GET route=/confirm/<token> status=302 duration_ms=14.2
    2026-05-04T09:12:04+0100 INFO jobs request_id=0b2d6c3e-... route=job:deliver status=ok result=sent duration_ms=210.5 queued_by=9f2c41d07a3be815

A request is named by its URL rule, never by its path: the path of an emailed link carries its token,
and other paths the ids of people. Nothing else about a request is written (no address, no query, no
form), and every other line written while it runs carries its request id, so it can be found.
"""
import contextlib
import contextvars
import logging
import logging.config
import re
import secrets
import sys
import time

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What an X-Request-ID from a load balancer may look like to be kept: letters, digits and a few marks,
# so nothing an attacker sends (an email address, a line break) reaches a log through it.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
ROUTE_KEY = "portal.route"  # where the app leaves the matched URL rule in the WSGI environ
STATIC_ROUTE = "/static/<path:filename>"

FORMAT = "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

request_log = logging.getLogger("portal.requests")


def new_request_id() -> str:
    return secrets.token_hex(8)


def fields(**values) -> str:
    """key=value pairs, a value quoted when it holds a space, a quote or an equals sign."""
    def shown(value) -> str:
        text = f"{value:.1f}" if isinstance(value, float) else str(value)
        return f'"{text.replace(chr(34), chr(39))}"' if not text or re.search(r'[\s"=]', text) else text
    return " ".join(f"{key}={shown(value)}" for key, value in values.items() if value is not None)


class WithRequestId(logging.Filter):
    """Every line written while a request or a job runs carries its id."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


def line_handler(stream=None) -> logging.Handler:
    """Lines in the one form, on standard error unless told otherwise."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT))
    handler.addFilter(WithRequestId())
    return handler


def config(level: str = "INFO") -> dict:
    """For logging.config.dictConfig: every line through one handler."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"lines": {"()": line_handler}},
        "root": {"level": level, "handlers": ["lines"]},
        "loggers": {
            # Werkzeug's development server writes each request's raw path (an emailed link's token with
            # it); our own line stands for each request instead.
            "werkzeug": {"level": "WARNING"},
            # RQ's lines for each job and each cron tick, replaced by our one line per job (jobs.job).
            **{name: {"level": "WARNING"} for name in ("rq.worker", "rq.job", "rq.scheduler", "rq.cron")},
        },
    }


def configure(level: str = "INFO") -> None:
    logging.config.dictConfig(config(level))


def sane_request_id(given: str | None) -> str | None:
    return given if given and SANE_REQUEST_ID.fullmatch(given) else None


class RequestLines:
    """WSGI middleware, outermost: gives each request an id (a load balancer's X-Request-ID when it
    looks like one, else a new one), returns it as X-Request-ID, and writes the request's line once
    its response has been sent."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        request_id = sane_request_id(environ.get("HTTP_X_REQUEST_ID")) or new_request_id()
        started = time.perf_counter()
        status = []

        def start(status_line, headers, exc_info=None):
            status[:] = [status_line.split(" ", 1)[0]]
            headers.append(("X-Request-ID", request_id))
            return start_response(status_line, headers, exc_info)

        def write_line():
            route = environ.get(ROUTE_KEY) or (STATIC_ROUTE if environ.get("PATH_INFO", "").startswith("/static/")
                                               else "-")
            with request_id_set(request_id):
                request_log.info(fields(method=environ.get("REQUEST_METHOD"), route=route,
                                        status=status[0] if status else "-",
                                        duration_ms=(time.perf_counter() - started) * 1000))

        try:
            with request_id_set(request_id):
                body = self.app(environ, start)
        except BaseException:
            status[:] = ["500"]
            write_line()
            raise
        return _Sent(body, write_line)


@contextlib.contextmanager
def request_id_set(request_id: str):
    """The id on every line written meanwhile (a request's, or a job's)."""
    token = current_request_id.set(request_id)
    try:
        yield
    finally:
        current_request_id.reset(token)


class _Sent:
    """A response body that calls `done` once: when it has all been sent, or when the server closes it
    (a client that went away), whichever comes first."""

    def __init__(self, body, done):
        self.body, self._done = body, done

    def done(self):
        done, self._done = self._done, None
        if done:
            done()

    def __iter__(self):
        yield from self.body
        self.done()

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.done()


def note_route(environ, rule) -> None:
    """Called by the app once the request's URL is matched (rule is None when nothing matched)."""
    environ[ROUTE_KEY] = rule.rule if rule is not None else "-"
