"""The portal under test: its settings in tests and in production, and its database put back as
the migrations left it."""
from peewee import sort_models

from portal import create_app
from portal.core import db
from portal.models import MODELS


def portal_environ(database, redis_url, smtp_server, base_url="http://portal.test") -> dict:
    """The portal's settings in tests; a module that builds its app once (tests/web/test_access_matrix.py)
    uses them too."""
    return {
        "PORTAL_ENV": "testing",
        "SECRET_KEY": "a secret only the tests know",
        "DATABASE_URL": database["url"],
        "REDIS_URL": redis_url,
        "RQ_QUEUE": "portal-tests",
        "SMTP_URL": smtp_server.url,
        "BASE_URL": base_url,
        "SCHEME_INBOX_EMAIL": "team@example.org",
    }


def reset_database(seed: dict) -> None:
    ordered = sort_models(MODELS)
    if db.is_postgres():
        tables = ", ".join(f'"{model._meta.table_name}"' for model in ordered)
        db.database.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    else:
        with db.database.atomic():
            for model in reversed(ordered):
                model.delete().execute()
    for model in ordered:
        if seed.get(model):
            model.insert_many(seed[model]).execute()


def production_environ(database_url: str, redis_url: str, smtp_url: str, **settings) -> dict:
    return {"PORTAL_ENV": "production", "SECRET_KEY": "a secret only the fault tests know",
            "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SMTP_URL": smtp_url,
            "BASE_URL": "http://portal.test", "SCHEME_INBOX_EMAIL": "team@example.org", **settings}


def portal_here(environ: dict):
    """The portal in this process, on the same settings as the processes: for setting up people and
    reading what happened (its database is migrated here)."""
    app = create_app(environ=environ)
    with app.app_context():
        db.upgrade()
    return app
