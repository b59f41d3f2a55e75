"""The queue: Redis carries work, the database holds the truth.

Every job reads its facts from the database, so running one twice, late, or after Redis
lost it does no harm.
"""
from functools import wraps

from flask import current_app
from redis import Redis
from rq import Queue

from portal import db

_connections: dict[str, Redis] = {}


def redis_connection() -> Redis:
    url = current_app.config["REDIS_URL"]
    if url not in _connections:
        # Short timeouts: with Redis down, a page that sends mail must not hang.
        _connections[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    return _connections[url]


def queue() -> Queue:
    return Queue(current_app.config["RQ_QUEUE"], connection=redis_connection())


def enqueue(func, *args, **kwargs):
    return queue().enqueue(func, *args, **kwargs)


def job(func):
    """A job runs with its own database connection, given back when it ends."""

    @wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            db.close()

    return run
