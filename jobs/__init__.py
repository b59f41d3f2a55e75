"""The jobs the worker runs, each a thin wrapper calling the subject that owns the work.

Every job reads its facts from the database, so running one twice, late, or after Redis
lost it does no harm. Several portals may share one Redis: each job carries the id of the
portal that queued it (portal.core.queue.stamp), and `job` refuses one from another portal
before it touches the database.
"""
import logging
import time
from functools import wraps

from flask import current_app
from rq import get_current_job

from portal.core import db, logs

log = logging.getLogger(__name__)


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


def job(func, kind: str = "job"):
    """A job runs with its own database connection, given back when it ends; one queued by another
    portal is refused before it touches the database. Each writes one line, in the form of a request's
    (portal/core/logs.py): its id, what it is, how it ended, its result (a count or a word) and the
    time it took, and the id of the request that queued it."""

    @wraps(func)
    def run(*args, **kwargs):
        running = get_current_job()
        with logs.request_id_set(running.id if running else logs.new_request_id()):
            started = time.perf_counter()
            status, result = "failed", None
            try:
                _refuse_other_portals(func)
                result = func(*args, **kwargs)
                status = "ok"
                return result
            except WrongDeployment:
                status = "refused"
                raise
            finally:
                db.close()
                log.log(logging.INFO if status == "ok" else logging.WARNING, logs.fields(
                    route=f"{kind}:{func.__name__}", status=status,
                    result=result if isinstance(result, (int, str)) else None,
                    duration_ms=(time.perf_counter() - started) * 1000,
                    queued_by=(running.meta or {}).get("queued_by") if running else None))

    return run
