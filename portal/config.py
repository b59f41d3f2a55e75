"""Settings, read from the environment with safe defaults.

Every number of the scheme's rules table is a setting here, so a scheme can change its
rules without a code change. The environment name decides the safety net:
"production" (the default) insists on a SECRET_KEY and never offers the dev mailbox.
"""
import hashlib
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from croniter import croniter
from limits import parse_many

ENVIRONMENTS = ("production", "development", "testing")

HTMX_VERSION = "2.0.11"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
# sha384 of dist/htmx.min.js in the npm package htmx.org@2.0.11 (a test recomputes it).
HTMX_CDN_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


class ConfigError(SystemExit):
    """A setting that stops the portal from starting; its message is one line."""


def _int(environ, name, default):
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None


def _ints(environ, name, default):
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return sorted({int(part) for part in raw.split(",")}, reverse=True)
    except ValueError:
        raise ConfigError(f"{name} must be whole numbers separated by commas, not {raw!r}.") from None


def _cron(environ, name, default):
    raw = environ.get(name) or default
    if not croniter.is_valid(raw):
        raise ConfigError(f"{name} must be a cron schedule such as \"* * * * *\" (every minute), not {raw!r}.")
    return raw


def _rate(environ, name, default):
    # Checked here: a limit that could not be read would otherwise fail only when someone logs in.
    raw = environ.get(name) or default
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a rate such as \"5 per 15 minutes\", not {raw!r}.") from None
    return raw


def _limit_storage(uri: str) -> str:
    # A Redis address is counted through RedisOrMemory, which keeps counting while Redis is away.
    return f"portal+{uri}" if uri.split("://")[0] in ("redis", "rediss") else uri


def _dev_secret(instance_path: Path) -> str:
    # Kept in the instance folder so a restart of `make run` keeps everyone logged in.
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def deployment_id(database_url: str) -> str:
    """A short name for one portal, from the database it keeps its truth in: the same for its web server,
    workers and scheduler, different for two portals sharing a Redis (staging and production, or two
    `make run` checkouts), so each works only its own queue. A password is left out, so changing one
    changes nothing; a SQLite file is named by its full path."""
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        path = database_url[len("sqlite:///"):]
        where = path if path in ("", ":memory:") else str(Path(path).resolve())
    else:
        scheme = "postgres" if parts.scheme in ("postgres", "postgresql") else parts.scheme
        where = f"{scheme}://{parts.username or ''}@{parts.hostname or ''}:{parts.port or ''}{parts.path}"
    return hashlib.sha256(where.encode()).hexdigest()[:10]


def from_environment(environ=os.environ, instance_path: Path = Path("instance")) -> dict:
    env = environ.get("PORTAL_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    production = env == "production"

    secret_key = environ.get("SECRET_KEY", "")
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY is not set: the portal will not start without it outside development.")
        secret_key = _dev_secret(instance_path)

    smtp_url = environ.get("SMTP_URL", "")
    base_url = environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    redis_url = environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    database_url = environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'portal.db'}")
    deployment = environ.get("DEPLOYMENT_ID") or deployment_id(database_url)

    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # Every key this portal puts in Redis carries its deployment id, and every job it queues too
        # (jobs.job refuses one queued by another portal).
        "DEPLOYMENT_ID": deployment,
        "RQ_QUEUE": environ.get("RQ_QUEUE") or f"portal-{deployment}",
        # How long a worker holds an email it is sending before another may try: if the worker dies
        # mid-send, the email waits this long. Keep it well above the SMTP timeout (20 seconds), or
        # a slow server could be sent the same email by two workers.
        "EMAIL_CLAIM_SECONDS": _int(environ, "EMAIL_CLAIM_SECONDS", 600),
        "SWEEP_SCHEDULE": _cron(environ, "SWEEP_SCHEDULE", "* * * * *"),
        "SMTP_URL": smtp_url,
        "SMTP_CA_FILE": environ.get("SMTP_CA_FILE", ""),
        # Without an SMTP server, outside production, mail is delivered to /dev/mail.
        "DEV_MAILBOX": not smtp_url and not production,
        "MAIL_FROM": environ.get("MAIL_FROM", "Peer mentoring <peer-mentoring@example.org>"),
        "SCHEME_NAME": environ.get("SCHEME_NAME", "Return to Training peer mentoring"),
        "SCHEME_INBOX_EMAIL": environ.get("SCHEME_INBOX_EMAIL", "peer-mentoring-team@example.org"),
        "BASE_URL": base_url,
        "HTMX_URL": environ.get("HTMX_URL", HTMX_CDN_URL),
        "HTMX_SRI": environ.get("HTMX_SRI", HTMX_CDN_SRI if "HTMX_URL" not in environ else ""),
        "SURVEY_URL": environ.get("SURVEY_URL", ""),
        "TRUST_PROXY_HOPS": _int(environ, "TRUST_PROXY_HOPS", 0),
        # The scheme's rules (SCHEME.md, "Rules with numbers").
        "ANSWER_WORKING_DAYS": _int(environ, "ANSWER_WORKING_DAYS", 5),
        # Reminders to a mentor: so many working days before the deadline, at this hour (London).
        "REMINDER_WORKING_DAYS_BEFORE": _ints(environ, "REMINDER_WORKING_DAYS_BEFORE", [2, 0]),
        "REMINDER_HOUR": _int(environ, "REMINDER_HOUR", 9),
        "DEACTIVATE_AFTER_MONTHS": _int(environ, "DEACTIVATE_AFTER_MONTHS", 3),
        "DEACTIVATION_WARNING_DAYS": _ints(environ, "DEACTIVATION_WARNING_DAYS", [14, 2]),
        "SESSIONS_PER_MENTEE": _int(environ, "SESSIONS_PER_MENTEE", 4),
        "SESSION_WINDOW_MONTHS": _int(environ, "SESSION_WINDOW_MONTHS", 6),
        "EXTRA_SESSIONS": _int(environ, "EXTRA_SESSIONS", 4),
        "CANCEL_NOTICE_HOURS": _int(environ, "CANCEL_NOTICE_HOURS", 24),
        "SESSION_REMINDER_HOURS": _int(environ, "SESSION_REMINDER_HOURS", 24),
        "SESSION_NUDGE_MONTHS": _int(environ, "SESSION_NUDGE_MONTHS", 5),
        "SURVEY_REMINDER_DAYS": _int(environ, "SURVEY_REMINDER_DAYS", 7),
        "SURVEY_LINK_DAYS": _int(environ, "SURVEY_LINK_DAYS", 60),
        # How long personal data is kept: the words of finished requests and sent emails, and where
        # sessions met once a relationship has closed.
        "RETENTION_DAYS_WORDS": _int(environ, "RETENTION_DAYS_WORDS", 90),
        "RETENTION_MONTHS": _int(environ, "RETENTION_MONTHS", 24),
        # Reports and survey results show no group smaller than this.
        "SMALLEST_GROUP": _int(environ, "SMALLEST_GROUP", 5),
        "WAITLIST_OFFER_WORKING_DAYS": _int(environ, "WAITLIST_OFFER_WORKING_DAYS", 2),
        # Full mentors stay in the directory, marked "not taking new mentees", so mentees can join
        # their waiting list; "no" hides them like mentors on leave.
        "SHOW_FULL_MENTORS": environ.get("SHOW_FULL_MENTORS", "yes").lower() not in ("no", "false", "0"),
        # Links sent by email.
        "CONFIRM_LINK_HOURS": _int(environ, "CONFIRM_LINK_HOURS", 72),
        "RESET_LINK_MINUTES": _int(environ, "RESET_LINK_MINUTES", 60),
        "INVITE_LINK_DAYS": _int(environ, "INVITE_LINK_DAYS", 7),
        # Slowing down password guessing: failed logins per address and browser.
        "LOGIN_ATTEMPTS": _rate(environ, "LOGIN_ATTEMPTS", "5 per 15 minutes"),
        "RESET_ATTEMPTS": _rate(environ, "RESET_ATTEMPTS", "5 per hour"),
        # Failed logins, sign-ups, reset and confirmation requests from one network address, each: a
        # trust's staff may share one address, but fifty failures an hour from it is someone guessing.
        "ATTEMPTS_PER_NETWORK": _rate(environ, "ATTEMPTS_PER_NETWORK", "50 per hour"),
        # Counted in Redis, and in memory while it is away (extensions.RedisOrMemory); any other fault
        # in a limit is an error page, never a request let through unlimited.
        "RATELIMIT_STORAGE_URI": _limit_storage(environ.get("RATELIMIT_STORAGE_URI", redis_url)),
        "RATELIMIT_SWALLOW_ERRORS": False,
        # A Redis that hangs must not hold up a login: give up quickly and count in memory meanwhile.
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "RATELIMIT_KEY_PREFIX": f"portal-limit-{deployment}",
        # Cookies: never readable by scripts, sent on top-level navigation only, HTTPS outside development.
        # There, __Host- names make browsers refuse them unless Secure, for the whole site (Path=/) and
        # this host alone (no Domain), so no other site under the same domain can set or read them.
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "REMEMBER_COOKIE_NAME": "__Host-remember_token" if production else "remember_token",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,  # a form left open over lunch still submits; the token dies with the session
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        # Pages are compressed as they go out (Flask-Compress): Brotli where the browser takes it, else gzip.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "TESTING": env == "testing",
    }
