"""Importing a checked CSV of mentors (portal/register/imports.py does the work)."""
from jobs import job
from portal.register import imports


@job
def import_mentors(batch_id: int) -> str:
    return imports.run(batch_id)
