"""Uploads: a headshot arriving with a profile form, and tidying away what nobody went on to use.

A valid photo is processed and kept at once, and the form carries a signed reference to it,
so when something else on the form needs correcting the photo is not lost: it is shown and
kept without being chosen again.
"""
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.core.htmx import refusal_shown
from portal.models import ImportBatch, ImportStatus, MentorProfile, StoredPhoto
from portal.register import photos
from portal.register.profiles import keep_photo


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="pending-photo")


def take_photo(form) -> str | None:
    """The key of the photo the form brings (new, or kept from an earlier try); refusals become
    the photo field's error."""
    upload = form.photo.data
    if upload is not None and getattr(upload, "filename", ""):
        with refusal_shown(form.photo):
            key = keep_photo(photos.process(upload.read(), upload.filename))
            form.photo_pending.data = _signer().dumps(key)
            return key
        return None
    if form.photo_pending.data:
        try:
            key = _signer().loads(form.photo_pending.data)
        except BadSignature:
            form.photo_pending.data = ""
            return None
        if StoredPhoto.select().where(StoredPhoto.key == key).exists():
            return key
    return None


def pending_key(form) -> str | None:
    """The photo already kept for this form, to show it while other mistakes are put right."""
    try:
        return _signer().loads(form.photo_pending.data) if form.photo_pending.data else None
    except BadSignature:
        return None


# Uploads nobody went on to save or confirm are kept this long.
KEEP_UNUSED = timedelta(days=1)


def tidy(now: datetime) -> int:
    """Drop headshots no profile uses and CSV files never confirmed, a day after they came."""
    before = now - KEEP_UNUSED
    used = MentorProfile.select(MentorProfile.photo).where(MentorProfile.photo.is_null(False))
    dropped = StoredPhoto.delete().where((StoredPhoto.created_at < before) & StoredPhoto.key.not_in(used)).execute()
    files = ImportBatch.update(status=ImportStatus.EXPIRED, data=None).where(
        (ImportBatch.status == ImportStatus.PREVIEWED) & (ImportBatch.created_at < before)).execute()
    return dropped + files
