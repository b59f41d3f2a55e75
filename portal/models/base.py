"""What every table shares. Times are naive UTC (see portal.core.clock)."""
import json
import secrets

from peewee import Model, TextField

from portal.core.db import database


def new_nonce() -> str:
    return secrets.token_hex(8)


class JSONField(TextField):
    """JSON kept as text, the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
