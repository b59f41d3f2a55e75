"""Command line: `flask --app app <group> <command>`. The worker and the cron scheduler are jobs/cli.py's,
added by the `flask.commands` entry points in pyproject.toml, as the portal never imports jobs/."""
import sys
from datetime import datetime

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import AppGroup

from portal.accounts import logins
from portal.core import clock, db
from portal.dev import demo, launcher
from portal.models import User
from portal.rules import passwords, workdays

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
    created = demo.load()
    click.echo("Demo data loaded." if created else "The database already has people in it: nothing loaded.")


@scheme_cli.command("deadline")
@click.argument("made_at")
@click.option("--days", type=int, default=None, help="Working days to answer (default: ANSWER_WORKING_DAYS).")
def scheme_deadline(made_at, days):
    """When a request made at MADE_AT (London time, e.g. 2026-12-23T16:00) runs out."""
    try:
        moment = datetime.fromisoformat(made_at)
    except ValueError:
        raise click.BadParameter(f"{made_at!r} is not a date and time like 2026-12-23T16:00", param_hint="MADE_AT")
    due = workdays.deadline(clock.from_london(moment), days if days is not None else
                            current_app.config["ANSWER_WORKING_DAYS"])
    click.echo(clock.to_london(due).isoformat())


@click.command("dev")
def dev():
    """Everything `make run` runs: migrations, demo data, Redis, worker, scheduler and web server."""
    sys.exit(launcher.main(current_app._get_current_object()))


def register(app):
    for command in (db_cli, admin_cli, demo_cli, scheme_cli, dev):
        app.cli.add_command(command)
