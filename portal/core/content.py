"""Texts the scheme owns, edited by admins as Markdown and kept as numbered versions.

What an admin types is stored exactly as typed; it is made safe whenever it is shown, by the one
renderer (formatting.render_markdown). Cleaning the Markdown itself with patterns changed ordinary
words ("Your data: what we hold") and could never be sure of catching what a browser would run.
"""
from pathlib import Path

from peewee import fn

from portal.core import audit, clock
from portal.core.db import Prepared, database
from portal.core.forms import whole_number
from portal.models import Content

# The first version of each text, as the portal ships it (the migrations publish them).
DEFAULTS = Path(__file__).resolve().parent.parent / "content_defaults"
TEXTS = {
    "agreement": "Mentoring agreement",
    "ethics": "Ethical framework",
    "contracting": "The first session: agreeing how you will work",
    "help": "Help",
    "resources-before": "Before you go out of training",
    "resources-away": "While you are away",
    "resources-return": "Coming back to training",
    "accessibility": "Accessibility statement",
}


# Asked on every page a mentee opens (is there a new agreement?): its SQL is built once.
_NEWEST = Prepared(lambda key: Content.select().where(Content.key == key).order_by(Content.version.desc()).limit(1),
                   "key")


def current(key: str) -> Content:
    """The newest published version of a text (a migration stores version 1 of every default)."""
    found = _NEWEST.first(key=key)
    if found is None:
        raise Content.DoesNotExist(key)
    return found


def newest_of_each() -> dict[str, Content]:
    """The newest version of every text, in one query (the admin's list of texts)."""
    latest = (Content.select(Content.key, fn.MAX(Content.version).alias("version"))
              .group_by(Content.key).alias("latest"))
    rows = Content.select().join(latest, on=((Content.key == latest.c.key) & (Content.version == latest.c.version)))
    return {row.key: row for row in rows}


def shown_version(key: str, version: str | None) -> Content:
    """The version a form showed (sent back in a hidden field), or the newest when it names none."""
    number = whole_number(version)
    if number is not None:
        shown = Content.get_or_none((Content.key == key) & (Content.version == number))
        if shown:
            return shown
    return current(key)


def publish(key: str, title: str, body: str, by) -> Content:
    """A new version; the earlier ones are kept."""
    with database.atomic():
        version = (Content.select(Content.version).where(Content.key == key)
                   .order_by(Content.version.desc()).scalar() or 0) + 1
        published = Content.create(key=key, version=version, title=title.strip(), body=body,
                                   published_at=clock.now(), published_by=by)
        audit.record(by, "published_content", published, detail=f"{key} version {version}")
    return published
