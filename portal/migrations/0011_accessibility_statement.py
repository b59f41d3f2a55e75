"""The accessibility statement, as public sector websites must publish: a text the team edits, first
published from content_defaults/accessibility.md."""
import datetime
from pathlib import Path

from peewee import *

DEFAULTS = Path(__file__).resolve().parent.parent / "content_defaults"


def up(migrator, db):
    class Content(Model):
        key = CharField()
        version = IntegerField()
        title = CharField()
        body = TextField()
        published_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'content'

    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    Content.insert(key="accessibility", version=1, title="Accessibility statement",
                   body=(DEFAULTS / "accessibility.md").read_text(), published_at=now).execute()


def down(migrator, db):
    db.execute_sql("DELETE FROM content WHERE key = 'accessibility'")
