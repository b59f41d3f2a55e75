"""The queue: Redis carries work, the database holds the truth.

Every job reads its facts from the database, so running one twice, late, or after Redis lost it does no
harm. Several portals may share one Redis: each has its own queue (RQ_QUEUE), and each job carries the id
of the portal that queued it (stamp), which jobs.job checks before it touches anything.

The portal names the jobs it queues by their dotted paths, so it never imports jobs/ (which is built on
the portal); tests/jobs/test_outbox.py checks each name leads to a job.
"""
import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from portal.core import logs

log = logging.getLogger(__name__)

DELIVER_EMAIL = "jobs.email.deliver"
DELIVER_EMAILS = "jobs.email.deliver_each"
IMPORT_MENTORS = "jobs.imports.import_mentors"

_connections: dict[str, Redis] = {}


def redis_connection() -> Redis:
    url = current_app.config["REDIS_URL"]
    if url not in _connections:
        # Short timeouts: with Redis down, a page that sends mail must not hang.
        _connections[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    return _connections[url]


def redis_answers() -> bool:
    try:
        return bool(redis_connection().ping())
    except (RedisError, OSError):
        return False


def queue() -> Queue:
    return Queue(current_app.config["RQ_QUEUE"], connection=redis_connection())


def stamp() -> dict:
    """What every job of this portal carries (as its RQ meta), cron's included; and the id of the
    request that queued it, for its log line."""
    queued_by = logs.current_request_id.get()
    return {"deployment": current_app.config["DEPLOYMENT_ID"], **({"queued_by": queued_by} if queued_by != "-" else {})}


def enqueue(func, *args, **kwargs):
    return queue().enqueue(func, *args, meta=stamp(), **kwargs)


def try_enqueue_each(func, calls: list[tuple]) -> int:
    """Queue one job of `func` for each tuple of arguments, in one exchange with Redis; how many were
    queued (none with Redis out of reach, logged, as try_enqueue)."""
    if not calls:
        return 0
    try:
        q = queue()
        with q.connection.pipeline() as pipe:
            q.enqueue_many([Queue.prepare_data(func, args, meta=stamp()) for args in calls], pipeline=pipe)
            pipe.execute()
        return len(calls)
    except (RedisError, OSError) as exc:
        name = func if isinstance(func, str) else func.__name__
        log.warning("%s of %s rows waits for the queue to come back: %s", name.rsplit(".", 1)[-1], len(calls), exc)
        return 0


def try_enqueue(func, *args, **kwargs) -> bool:
    """Queue a job; with Redis out of reach, log it and return False. The row the job would act on
    stays due in the database, and a sweep queues it once Redis is back."""
    try:
        enqueue(func, *args, **kwargs)
        return True
    except (RedisError, OSError) as exc:
        name = func if isinstance(func, str) else func.__name__
        log.warning("%s%s waits for the queue to come back: %s", name.rsplit(".", 1)[-1], args, exc)
        return False
