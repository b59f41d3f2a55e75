"""Command line: `flask --app app <group> <command>`."""
import signal
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from portal.accounts import logins
from portal.core import db
from portal.models import User
from portal.rules import passwords

db_cli = AppGroup("db", help="The database schema.")
admin_cli = AppGroup("admin", help="Admin accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
scheme_cli = AppGroup("scheme", help="The scheme's rules, for answering questions about them.")


@db_cli.command("upgrade")
def db_upgrade():
    """Apply every pending migration."""
    applied = db.upgrade()
    click.echo("Applied: " + ", ".join(applied) if applied else "The database is up to date.")


@db_cli.command("status")
def db_status():
    """List migrations and when each was applied."""
    for migration in db.migrator_runner().status():
        click.echo(f"[{'x' if migration.applied else ' '}] {migration.name}")


def _valid_email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc)) from None


@admin_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="Their full name (asked for when not given).")
@click.password_option(help="Asked for when not given, and typed twice.")
def admin_create(email, name, password):
    """Create the first admin (or make an existing login an admin)."""
    email = _valid_email(email)
    problems = passwords.problems(password, email=email, name=name)
    if problems:
        raise click.ClickException(problems[0])
    user = logins.find(email)
    if user is None:
        name = name or click.prompt("Full name")
        user = User.create(email=email, name=name, password_hash=logins.hash_password(password))
    else:
        user.password_hash = logins.hash_password(password)
    user.is_admin = True
    user.email_confirmed_at = user.email_confirmed_at or user.created_at
    user.save()
    click.echo(f"{user.email} is an admin and can log in.")


@demo_cli.command("load")
def demo_load():
    """Load the demonstration people into an empty database."""
    from portal.dev.demo import load
    created = load()
    click.echo("Demo data loaded." if created else "The database already has people in it: nothing loaded.")


@scheme_cli.command("deadline")
@click.argument("made_at")
@click.option("--days", type=int, default=None, help="Working days to answer (default: ANSWER_WORKING_DAYS).")
def scheme_deadline(made_at, days):
    """When a request made at MADE_AT (London time, e.g. 2026-12-23T16:00) runs out."""
    from datetime import datetime

    from portal.core import clock
    from portal.rules import workdays
    try:
        moment = datetime.fromisoformat(made_at)
    except ValueError:
        raise click.BadParameter(f"{made_at!r} is not a date and time like 2026-12-23T16:00", param_hint="MADE_AT")
    due = workdays.deadline(clock.from_london(moment), days if days is not None else
                            current_app.config["ANSWER_WORKING_DAYS"])
    click.echo(clock.to_london(due).isoformat())


# How long the worker and the cron scheduler wait before starting again after RQ gave up.
RESTART_AFTER_SECONDS = 2


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
@click.option("--burst", is_flag=True, help="Work until the queue is empty, then stop.")
@click.option("--log-level", default="INFO", show_default=True, help="WARNING shows only jobs that fail.")
def worker(burst, log_level):
    """Run an RQ worker (with its scheduler) for the portal's queue."""
    from redis.exceptions import RedisError
    from rq import Worker

    from portal.core.queue import queue

    class PortalWorker(Worker):
        asked_to_stop = False

        def request_stop(self, signum, frame):
            self.asked_to_stop = True
            super().request_stop(signum, frame)

    while True:
        q = queue()
        try:
            running = PortalWorker([q], connection=q.connection)
            ok = running.work(burst=burst, with_scheduler=True, logging_level=log_level)
        except RedisError as error:
            if burst:
                raise
            _start_again_soon("worker", error)
            continue
        if burst or running.asked_to_stop:
            sys.exit(0 if ok or burst else 1)
        _start_again_soon("worker", "RQ gave up: see above")


@click.command("cron")
def cron():
    """Enqueue the sweeps every minute (RQ's cron scheduler)."""
    from redis.exceptions import RedisError

    from jobs.schedule import scheduler
    while True:
        try:
            scheduler(current_app.config["RQ_QUEUE"]).start()
            return
        except RedisError as error:
            _start_again_soon("cron scheduler", error)


@click.command("dev")
def dev():
    """Everything `make run` runs: migrations, demo data, Redis, worker, scheduler and web server."""
    from portal.dev.launcher import main
    sys.exit(main(current_app._get_current_object()))


def register(app):
    for command in (db_cli, admin_cli, demo_cli, scheme_cli, worker, cron, dev):
        app.cli.add_command(command)
