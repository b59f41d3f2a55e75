"""Every call the benchmarks make into the portal's own code, beyond `portal.create_app` and
`portal.models`: the rest of bench/ talks to the portal over HTTP and in SQL.

The portal's modules are being moved into folders by subject; when one moves, this is the one file
to change. Each function imports what it needs when called, so importing this module costs nothing.
"""
from contextlib import contextmanager


def upgrade() -> list[str]:
    """Apply the portal's migrations to the database the app in context is bound to."""
    from portal import db
    return db.upgrade()


def close_all() -> None:
    """Close every database connection this process holds (pooled ones too)."""
    from portal import db
    db.close_all()


def database():
    """The portal's database (a Peewee proxy), bound to the app's DATABASE_URL."""
    from portal.db import database as bound
    return bound


def is_postgres() -> bool:
    from portal import db
    return db.is_postgres()


def reference():
    """The reference lists the register's forms offer: GRADES, SCHOOLS, TRUSTS, GENDERS, PLATFORMS, SLOTS."""
    from portal import reference as lists
    return lists


def option_rows(values: dict) -> set[tuple[str, str]]:
    """The MentorOption rows (kind, value) a mentor with these form values has."""
    from portal.mentors import option_rows as rows
    return rows(values)


def search_text_for(name: str, values: dict) -> str:
    """What the directory's search box looks through for a mentor with this name and these values."""
    from portal.mentors import search_text_for as text
    return text(name, values)


def sweeps() -> tuple[list, list]:
    """The sweeps (jobs.sweeps), each a function of `now`: (every minute, daily)."""
    from jobs.sweeps import DAILY, EVERY_MINUTE
    return EVERY_MINUTE, DAILY


def sweep(name: str):
    from jobs import sweeps as module
    return getattr(module, name)


def queue_delivery(email_id: int) -> bool:
    """Queue the delivery of one outbox row, as the portal does after writing it."""
    from portal.mail import queue_delivery as queue
    return queue(email_id)


def deliver(email_id: int) -> str:
    """Deliver one outbox row in this process, as the worker's job does (jobs/email.py)."""
    from jobs.email import deliver as job
    return job(email_id)


def decision_link_path(request_id: int, mentor_user_id: int) -> str:
    """The path of a new emailed answer link for a waiting request (/respond/<token>), issued the way
    the portal issues the link in the mentor's email."""
    from datetime import timedelta

    from portal import clock, links, matching
    from portal.models import MentorRequest, User
    request = MentorRequest.get_by_id(request_id)
    token = links.issue(matching.DECISION, User.get_by_id(mentor_user_id), max(request.deadline - clock.now(),
                                                                                 timedelta(hours=1)),
                        target_id=request.id, replace=False)
    return f"/respond/{token}"


@contextmanager
def counting_queries():
    """The SQL statements run inside the block, as Peewee reports them (each with .sql and .duration)."""
    from portal import db
    seen: list = []
    db.database.obj.query_hooks.append(seen.append)
    try:
        yield seen
    finally:
        db.database.obj.query_hooks.remove(seen.append)
