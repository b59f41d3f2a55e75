"""Every call the benchmarks make into the portal's own code, beyond `portal.create_app` and
`portal.models`: the rest of bench/ talks to the portal over HTTP and in SQL, so a change inside the
portal is a change here only."""
from contextlib import contextmanager
from datetime import timedelta

from jobs import email as email_job
from jobs import sweeps as sweep_jobs
from portal.core import clock, db, links, mail, reference as reference_lists
from portal.models import MentorRequest, User
from portal.register import profiles
from portal.requests import emails as request_emails


def upgrade() -> list[str]:
    """Apply the portal's migrations to the database the app in context is bound to."""
    return db.upgrade()


def close_all() -> None:
    """Close every database connection this process holds (pooled ones too)."""
    db.close_all()


def database():
    """The portal's database (a Peewee proxy), bound to the app's DATABASE_URL."""
    return db.database


def is_postgres() -> bool:
    return db.is_postgres()


def reference():
    """The reference lists the register's forms offer: GRADES, SCHOOLS, TRUSTS, GENDERS, PLATFORMS, SLOTS."""
    return reference_lists


def option_rows(values: dict) -> set[tuple[str, str]]:
    """The MentorOption rows (kind, value) a mentor with these form values has."""
    return profiles.option_rows(values)


def search_text_for(name: str, values: dict) -> str:
    """What the directory's search box looks through for a mentor with this name and these values."""
    return profiles.search_text_for(name, values)


def sweeps() -> tuple[list, list]:
    """The sweeps (jobs.sweeps), each a function of `now`: (every minute, daily)."""
    return sweep_jobs.EVERY_MINUTE, sweep_jobs.DAILY


def sweep(name: str):
    return getattr(sweep_jobs, name)


def queue_delivery(email_id: int) -> bool:
    """Queue the delivery of one outbox row, as the portal does after writing it."""
    return mail.queue_delivery(email_id)


def queue_deliveries(email_ids: list[int]) -> int:
    """Queue the deliveries of many outbox rows as a sweep's are queued, several a job."""
    return mail.queue_deliveries(email_ids)


def deliver(email_id: int) -> str:
    """Deliver one outbox row in this process, as the worker's job does (jobs/email.py)."""
    return email_job.deliver(email_id)


def decision_link_path(request_id: int, mentor_user_id: int) -> str:
    """The path of a new emailed answer link for a waiting request (/respond/<token>), issued the way
    the portal issues the link in the mentor's email."""
    mentor_request = MentorRequest.get_by_id(request_id)
    token = links.issue(request_emails.DECISION, User.get_by_id(mentor_user_id),
                        max(mentor_request.deadline - clock.now(), timedelta(hours=1)),
                        target_id=mentor_request.id, replace=False)
    return f"/respond/{token}"


@contextmanager
def counting_queries():
    """The SQL statements run inside the block, as Peewee reports them (each with .sql and .duration)."""
    seen: list = []
    db.database.obj.query_hooks.append(seen.append)
    try:
        yield seen
    finally:
        db.database.obj.query_hooks.remove(seen.append)
