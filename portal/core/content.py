"""Texts the scheme owns, edited by admins as Markdown and kept as numbered versions.

What an admin types is stored exactly as typed; it is made safe whenever it is shown, by the one
renderer (formatting.render_markdown). Cleaning the Markdown itself with patterns changed ordinary
words ("Your data: what we hold") and could never be sure of catching what a browser would run.
"""
from dataclasses import dataclass
from pathlib import Path

from flask import url_for
from peewee import fn

from portal.core import audit, clock
from portal.core.db import Prepared, database
from portal.core.forms import whole_number
from portal.models import Content

# The first version of each text, as the portal ships it (the migrations publish them).
DEFAULTS = Path(__file__).resolve().parent.parent / "content_defaults"


@dataclass(frozen=True)
class Text:
    """A text the scheme owns: its first title, where people read it (said to the admin editing it) and the
    page that shows it, reached from a link on the pages named in `where` (tests/web/test_admins_day.py)."""

    title: str
    where: str
    endpoint: str
    args: tuple = ()

    def url(self) -> str:
        return url_for(self.endpoint, **dict(self.args))


_ON_HELP = "Its own page, for anyone, linked from the Help page."
_RESOURCE = "Its own page, for anyone signed in, linked from a mentee's home page under Resources."
TEXTS = {
    "agreement": Text("Mentoring agreement", "Mentees accept it when they sign up, and again at their next visit "
                      "when a new version is published. Its own page, for anyone, is linked from the foot of every "
                      "page and from the Help page.", "accounts.agreement"),
    "ethics": Text("Ethical framework", _ON_HELP, "home.ethics"),
    "contracting": Text("The first session: agreeing how you will work",
                        "A mentor's page for each new mentee, until they say they have had this conversation. "
                        "Its own page, for anyone, is linked from the Help page and from that mentoring page.",
                        "home.contracting"),
    "help": Text("Help", "The Help page, for anyone, linked from the foot of every page.", "home.help_page"),
    "resources-before": Text("Before you go out of training", _RESOURCE, "home.resources", (("stage", "before"),)),
    "resources-away": Text("While you are away", _RESOURCE, "home.resources", (("stage", "away"),)),
    "resources-return": Text("Coming back to training", _RESOURCE, "home.resources", (("stage", "return"),)),
    "accessibility": Text("Accessibility statement", "Its own page, for anyone, linked from the foot of every page "
                          "and from the Help page.", "home.accessibility"),
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
