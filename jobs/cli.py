"""The processes that carry the work: `flask --app app worker` and `flask --app app cron` (added to
Flask's command line by the entry points in pyproject.toml)."""
import logging
import signal
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from redis.exceptions import RedisError
from rq import SimpleWorker, Worker

from jobs.schedule import scheduler
from portal.core.queue import DELIVER_EMAIL, DELIVER_EMAILS, queue


# How long the worker and the cron scheduler wait before starting again after RQ gave up.
RESTART_AFTER_SECONDS = 2

# Jobs the worker runs in its own process rather than in a fork of it. RQ forks for every job so that
# a job that leaks memory, crashes or hangs cannot take the worker with it; delivering an email is a
# few milliseconds of our own code, where a fork costs more than the job and loses the SMTP connection
# kept for the next one (jobs/email.py). A hung SMTP server still ends at the socket's timeout, and a
# worker killed mid-send leaves its claimed email to another once the claim lapses.
IN_PROCESS = {DELIVER_EMAIL, DELIVER_EMAILS}


class PortalWorker(Worker):
    """RQ's worker, forking for every job but those IN_PROCESS; it notes a request to stop."""

    asked_to_stop = False

    def execute_job(self, job, queue):
        if job.func_name in IN_PROCESS:
            SimpleWorker.execute_job(self, job, queue)
        else:
            super().execute_job(job, queue)

    def request_stop(self, signum, frame):
        self.asked_to_stop = True
        super().request_stop(signum, frame)


def _start_again_soon(who: str, why) -> None:
    """RQ's worker and cron scheduler give up when Redis goes away (restarted, say), and every email
    and sweep would wait for someone to restart them. Everything they carry is in the database, so
    they start again by themselves, and carry on once Redis answers."""
    click.echo(f"The {who} stopped ({why}); it starts again in {RESTART_AFTER_SECONDS} seconds.", err=True)
    # RQ's signal handlers expect a running worker: while waiting, a stop signal just stops.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    time.sleep(RESTART_AFTER_SECONDS)


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Work until the queue is empty, then stop.")
@click.option("--log-level", default=None,
              help="INFO writes a line for each job; WARNING only for jobs that fail. [default: LOG_LEVEL's]")
def worker(burst, log_level):
    """Run an RQ worker (with its scheduler) for the portal's queue."""
    if log_level:
        logging.getLogger().setLevel(log_level.upper())

    while True:
        q = queue()
        try:
            running = PortalWorker([q], connection=q.connection)
            # RQ's own lines for each job give way to ours (jobs.job): from RQ, only what goes wrong.
            ok = running.work(burst=burst, with_scheduler=True, logging_level="WARNING")
        except RedisError as error:
            if burst:
                raise
            _start_again_soon("worker", error)
            continue
        if burst or running.asked_to_stop:
            sys.exit(0 if ok or burst else 1)
        _start_again_soon("worker", "RQ gave up: see above")


@click.command("cron")
@with_appcontext
def cron():
    """Enqueue the sweeps every minute (RQ's cron scheduler)."""
    while True:
        try:
            scheduler(current_app.config["RQ_QUEUE"]).start()
            return
        except RedisError as error:
            _start_again_soon("cron scheduler", error)


