"""The clock that starts the sweeps: RQ's cron scheduler enqueues each one every minute (SWEEP_SCHEDULE)."""
import logging

from flask import current_app
from rq.cron import CronScheduler

from jobs.sweeps import DAILY, EVERY_MINUTE
from portal.core.queue import redis_connection, stamp


def scheduler(queue_name: str) -> CronScheduler:
    # Not a line for each sweep it starts: the worker writes one for each sweep it runs (jobs.job).
    cron = CronScheduler(connection=redis_connection(), logging_level=logging.WARNING)
    # RQ keeps each cron job's history under its name: this portal's own, not shared with another on the same Redis.
    deployment = current_app.config["DEPLOYMENT_ID"]
    for sweep in EVERY_MINUTE:
        # A sweep late by more than a minute is superseded by the next one, so it may expire unrun.
        cron.register(sweep, queue_name, cron=current_app.config["SWEEP_SCHEDULE"], ttl=120, job_timeout=600,
                      meta=stamp(), name=f"{deployment}:{sweep.__name__}")
    for sweep in DAILY:
        cron.register(sweep, queue_name, cron="17 3 * * *", job_timeout=3600, meta=stamp(),
                      name=f"{deployment}:{sweep.__name__}")
    return cron
