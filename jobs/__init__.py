"""The queue: Redis carries work, the database holds the truth.

Every job reads its facts from the database, so running one twice, late, or after Redis
lost it does no harm. Several portals may share one Redis: each has its own queue (RQ_QUEUE),
and each job carries the id of the portal that queued it, so a worker never acts on another
portal's job by looking its ids up in the wrong database.
"""
import logging
from functools import wraps

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, get_current_job

from portal import db

log = logging.getLogger(__name__)

_connections: dict[str, Redis] = {}


def redis_connection() -> Redis:
    url = current_app.config["REDIS_URL"]
    if url not in _connections:
        # Short timeouts: with Redis down, a page that sends mail must not hang.
        _connections[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    return _connections[url]


def queue() -> Queue:
    return Queue(current_app.config["RQ_QUEUE"], connection=redis_connection())


def stamp() -> dict:
    """What every job of this portal carries (as its RQ meta), cron's included."""
    return {"deployment": current_app.config["DEPLOYMENT_ID"]}


def enqueue(func, *args, **kwargs):
    return queue().enqueue(func, *args, meta=stamp(), **kwargs)


def try_enqueue(func, *args, **kwargs) -> bool:
    """Queue a job; with Redis out of reach, log it and return False. The row the job would act on
    stays due in the database, and a sweep queues it once Redis is back."""
    try:
        enqueue(func, *args, **kwargs)
        return True
    except (RedisError, OSError) as exc:
        log.warning("%s%s waits for the queue to come back: %s", func.__name__, args, exc)
        return False


class WrongDeployment(Exception):
    """A job queued by another portal sharing this Redis."""


def _refuse_other_portals(func) -> None:
    running = get_current_job()
    if running is None:
        return  # called directly, by a command or a test: there is no queue to have come from
    came_from = (running.meta or {}).get("deployment")
    ours = current_app.config["DEPLOYMENT_ID"]
    if came_from != ours:
        log.error("Job %s (%s) refused: it was queued by another portal (%s), and this is %s. Nothing was "
                  "done; check RQ_QUEUE and DEPLOYMENT_ID of both.", running.id, func.__name__, came_from, ours)
        raise WrongDeployment(f"queued by another portal ({came_from}), not this one ({ours})")


def job(func):
    """A job runs with its own database connection, given back when it ends; one queued by another
    portal is refused before it touches the database."""

    @wraps(func)
    def run(*args, **kwargs):
        _refuse_other_portals(func)
        try:
            return func(*args, **kwargs)
        finally:
            db.close()

    return run
