"""(from jobs) TODO docstring"""
import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

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
