"""Texts the scheme owns, edited by admins and kept as numbered versions."""
from .models import Content

# Keys of the texts the portal ships a default for (portal/content_defaults/<key>.md).
DEFAULT_TITLES = {
    "agreement": "Mentoring agreement",
}


def current(key: str) -> Content:
    """The newest published version of a text (a migration stores version 1 of every default)."""
    return (Content.select().where(Content.key == key)
            .order_by(Content.version.desc()).get())
