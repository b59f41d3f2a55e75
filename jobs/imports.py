"""Importing a checked CSV of mentors, a chunk at a time, with progress the admin can watch."""
from jobs import job
from portal.accounts import invitations
from portal.core import clock
from portal.core.db import database, refresh_statistics
from portal.models import ImportBatch, MentorProfile, User
from portal.register import availability, profiles
from portal.register.imports import FileRefused, check

CHUNK = 200


@job
def import_mentors(batch_id: int) -> str:
    if not ImportBatch.update(status="running", progress_at=clock.now()).where(
            (ImportBatch.id == batch_id) & (ImportBatch.status == "queued")).execute():
        return "not queued"
    batch = ImportBatch.get_by_id(batch_id)
    try:
        counts = _import(batch)
    except Exception as error:  # any failure is reported on the progress page, not left running
        message = str(error) if isinstance(error, FileRefused) else f"The import stopped: {error}"
        # The admin uploads the file again, so the copy (names, contact details) is not kept.
        ImportBatch.update(status="failed", error=message[:500], finished_at=clock.now(), data=None).where(
            ImportBatch.id == batch_id).execute()
        return "failed"
    # The file is not needed once imported: the register now holds what it said.
    ImportBatch.update(status="done", counts=counts, data=None, finished_at=clock.now()).where(
        ImportBatch.id == batch_id).execute()
    return "done"


def _import(batch: ImportBatch) -> dict:
    """Import the batch's rows a chunk at a time (each chunk one transaction); the counts."""
    rows = check(bytes(batch.data)).rows
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for start in range(0, len(rows), CHUNK):
        with database.atomic():
            for row in rows[start:start + CHUNK]:
                counts[_import_row(row, batch)] += 1
            ImportBatch.update(processed_rows=start + len(rows[start:start + CHUNK]), counts=counts,
                               progress_at=clock.now()).where(ImportBatch.id == batch.id).execute()
    refresh_statistics()
    return counts


def _import_row(row: dict, batch: ImportBatch) -> str:
    by = batch.created_by
    user = User.get_or_none(User.email == row["email"])
    mentor = MentorProfile.get_or_none(MentorProfile.user == user) if user else None
    if mentor is None:
        mentor = profiles.create(by, name=row["name"], email=row["email"], values=row["values"],
                                capacity=row["capacity"])
        if batch.send_invitations and by is not None:
            invitations.send_invitation(by, mentor.user, "mentor")
        return "created"
    changed = profiles.update(mentor, by, values=row["values"], name=row["name"])
    # Only the capacity: a pause or leave is the mentor's own. A capacity below the places already
    # taken is left as it is (set_availability returns None).
    if mentor.capacity != row["capacity"]:
        changed = bool(availability.set_availability(mentor, by, capacity=row["capacity"])) or changed
    return "updated" if changed else "unchanged"
