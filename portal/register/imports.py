"""Importing mentors from a CSV file: checked row by row with the same form an admin fills in,
previewed, then imported by a job (jobs/imports.py runs `run`) a chunk at a time, with progress the
admin can watch. Rows are matched by email address, so importing the same file twice changes
nothing the second time."""
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from werkzeug.datastructures import MultiDict

from portal.accounts import invitations
from portal.core import clock, queue, reference
from portal.core.db import database, refresh_statistics
from portal.core.refused import Refused
from portal.models import ImportBatch, ImportStatus, MentorProfile, User
from portal.register import availability, profiles
from portal.register.forms import ImportRowForm

# The columns, in the order of the downloadable template. Cells of several coded values take them separated
# by semicolons (some kinds of time away have commas in their names); places are separated by commas, as in
# the profile form, because they are words people type there. Yes/no cells take yes, no, y, n, true, false,
# 1 or 0.
COLUMNS = ["email", "name", "grade", "school", "specialty", "trust", "gender", "pronouns", "experience_rtt",
           "experience_away", "why_mentor", "slots", "availability_notes", "meets_online", "platforms",
           "meets_in_person", "locations", "interests", "contact_details", "capacity", "time_away"]
REQUIRED = {"email", "name"}
MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}
# The columns that take codes, and their codes: listed on the upload page, and told to a row with another value.
CODES = {"grade": reference.GRADES, "school": reference.SCHOOLS, "gender": reference.GENDERS,
         "slots": reference.SLOTS, "platforms": list(reference.PLATFORMS), "time_away": list(reference.TIME_AWAY)}
# Also taken in place of a code: the name the forms show for it.
NAMES = {"platforms": reference.PLATFORMS, "time_away": reference.TIME_AWAY}
SEVERAL = {"slots", "platforms", "time_away"}
# Made up, and like no one in the demonstration data or the register, so a row left in by mistake is easy to find.
EXAMPLE = {
    "email": "example.mentor@example.org", "name": "Example Mentor", "grade": "ST5", "school": "Paediatrics",
    "specialty": "Neonatology", "trust": "Leeds Teaching Hospitals NHS Trust", "gender": "Prefer not to say",
    "pronouns": "they/them", "experience_rtt": "An example: say how you came back to training.",
    "experience_away": "An example: parental leave, twice.", "why_mentor": "An example: replace this row with yours.",
    "slots": "mon-evening; wed-evening; sat-morning", "availability_notes": "Not in August",
    "meets_online": "yes", "platforms": "teams; zoom", "meets_in_person": "yes", "locations": "Leeds, Harrogate",
    "interests": "Running, baking", "contact_details": "07700 900999", "capacity": "2",
    "time_away": "parental_leave; phased_return",
}


def codes_of(column: str) -> str:
    """A coded column's codes, as the upload page and a row's problem say them."""
    if column == "slots":
        said = (f"a day ({', '.join(reference.DAYS)}), a hyphen and a time of day "
                f"({', '.join(reference.PARTS_OF_DAY)}), like mon-evening")
    else:
        said = ", ".join(CODES[column])
        said = f"any of {said}" if column in SEVERAL else f"one of {said}"
        if column in NAMES:
            said += " (or the names the profile form shows for them)"
    return f"{said}; several separated by semicolons" if column in SEVERAL else said


# What each column that is not coded holds, for the upload page.
HOLDS = {
    "email": "Their email address (needed): a row is matched by it to a mentor already on the register",
    "name": "Their full name (needed)",
    "trust": "Their trust, in words (needed)",
    "why_mentor": "Why they became a peer mentor (needed)",
    "meets_online": "yes or no", "meets_in_person": "yes or no",
    "locations": "Towns or cities where they could meet face to face, separated by commas as in the profile form: "
                 "like Leeds, Harrogate (a spreadsheet puts quotes round the cell for you)",
    "contact_details": "How the mentees they accept can contact them (needed)",
    "capacity": "How many mentees at once, a whole number from 0 to 10 (2 when empty)",
}


def column_help() -> list[tuple[str, str]]:
    """Each column and what it holds, in the template's order."""
    found = []
    for column in COLUMNS:
        if column in CODES:
            said = codes_of(column)
            held = said[0].upper() + said[1:] + ("" if column in SEVERAL else " (needed)")
            if column == "time_away":
                held += ". A file without this column leaves each mentor's choices as they are"
        else:
            held = HOLDS.get(column, "Words, as in the profile form (optional)")
        found.append((column, held))
    return found


class FileRefused(Refused):
    """Why a whole file cannot be imported, in words for the admin."""


@dataclass
class RowProblem:
    line: int
    email: str
    messages: list[str]


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)  # {"line", "email", "name", "capacity", "values"}
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.problems)


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()


def decode(data: bytes) -> str:
    """UTF-8 (with or without the byte-order mark Excel adds), else Windows-1252, Excel's other habit."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileRefused("We could not read the letters in this file. In Excel, save it as "
                              "'CSV UTF-8' and upload it again.") from None


def _header(name: str) -> str:
    return "_".join((name or "").strip().lower().replace("-", " ").split())


def check(data: bytes) -> Checked:
    if len(data) > MAX_BYTES:
        raise FileRefused("The file is larger than 10 MB. Split it into smaller files.")
    text = decode(data)
    if not text.strip():
        raise FileRefused("The file is empty. Download the template to see what it should hold.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = [_header(h) for h in next(reader)]
    except csv.Error:
        raise FileRefused("This does not look like a CSV file. Save it as CSV and upload it again.") from None
    unknown = [h for h in headers if h and h not in COLUMNS]
    missing = REQUIRED - set(headers)
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"it has no {' or '.join(sorted(missing))} column")
        if unknown:
            parts.append(f"we do not know the column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        raise FileRefused(f"The file's first row does not match the template: {'; '.join(parts)}. "
                          f"The columns are: {', '.join(COLUMNS)}.")
    if len(set(h for h in headers if h)) < len([h for h in headers if h]):
        raise FileRefused("A column appears twice in the file's first row.")

    checked, seen = Checked(), {}
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if checked.total >= MAX_ROWS:
                raise FileRefused(f"The file has more than {MAX_ROWS:,} mentors. Split it into smaller files.")
            _check_row(line, dict(zip(headers, cells)), checked, seen)
    except csv.Error as error:
        raise FileRefused(f"Line {line} of the file cannot be read as CSV ({error}).") from None
    if not checked.total:
        raise FileRefused("The file has a first row but no mentors in it.")
    return checked


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.replace(",", ";").split(";") if part.strip()]


def _coded(column: str, cell: str) -> tuple[list[str], list[str]]:
    """A coded cell's codes, and what in it is not one: a code in any case, or the name the forms show for it."""
    known = {code.lower(): code for code in CODES[column]}
    known |= {name.lower(): code for code, name in NAMES.get(column, {}).items()}
    # Some names of kinds of time away have commas in them: only semicolons part that column's values.
    parts = ([p.strip() for p in cell.split(";") if p.strip()] if column == "time_away"
             else _split(cell) if column in SEVERAL else [cell] if cell else [])
    return [known[p.lower()] for p in parts if p.lower() in known], [p for p in parts if p.lower() not in known]


def _check_row(line: int, row: dict, checked: Checked, seen: dict) -> None:
    row = {k: (v or "").strip() for k, v in row.items() if k}
    messages, told = [], set()
    formdata = MultiDict()
    for name in COLUMNS:
        value = row.get(name, "")
        if name in ("meets_online", "meets_in_person"):
            if value.lower() not in YES | NO:
                messages.append(f"{name} must be yes or no")
            elif value.lower() in YES:
                formdata.add(name, "y")
        elif name in CODES:
            codes, unknown = _coded(name, value)
            for code in codes:
                formdata.add(name, code)
            if unknown:
                told.add(name)
                said = ", ".join(f"“{part}”" for part in unknown)
                messages.append(f"{name}: {said} {'is not a code' if len(unknown) == 1 else 'are not codes'} "
                                f"we know. Use {codes_of(name)}")
        elif name == "capacity":
            formdata.add(name, value or "2")
        elif name == "locations":
            formdata.add(name, ", ".join(_split(value)))
        else:
            formdata.add(name, value)
    form = ImportRowForm(formdata=formdata)
    valid = form.validate()
    messages += [f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()
                 if name not in told]  # an unknown code is told above, with the codes
    email = (form.email.data or row.get("email", ""))
    if valid and email in seen:
        messages.append(f"this email address is on line {seen[email]} too")
    if messages:
        checked.problems.append(RowProblem(line, row.get("email", ""), messages))
        return
    seen[email] = line
    values = form.values()
    if "time_away" not in row:
        # A file from before the column existed says nothing of time away: what a mentor chose stays.
        del values["time_away"]
    checked.rows.append({"line": line, "email": email, "name": form.name.data, "capacity": form.capacity.data,
                         "values": values})


def without_person(data: bytes, email: str) -> bytes | None:
    """The file without the rows for `email` (someone whose data is erased), or None when it has none.
    Rows that cannot be read are left as they are: they were never imported."""
    try:
        rows = list(csv.reader(io.StringIO(decode(data), newline="")))
    except (FileRefused, csv.Error):
        return None
    if not rows:
        return None
    headers = [_header(h) for h in rows[0]]
    if "email" not in headers:
        return None
    column = headers.index("email")
    kept = [r for r in rows[1:] if len(r) <= column or r[column].strip().lower() != email.lower()]
    if len(kept) == len(rows) - 1:
        return None
    out = io.StringIO()
    csv.writer(out).writerows([rows[0], *kept])
    return out.getvalue().encode("utf-8")


# Running a confirmed import -----------------------------------------------------------------------

# An import with no progress for this long has lost its worker.
STALLED = timedelta(minutes=30)
CHUNK = 200


def run(batch_id: int) -> str:
    """Import a queued batch; what became of it (done, failed, or not queued: run already)."""
    if not ImportBatch.update(status=ImportStatus.RUNNING, progress_at=clock.now()).where(
            (ImportBatch.id == batch_id) & (ImportBatch.status == ImportStatus.QUEUED)).execute():
        return "not queued"
    batch = ImportBatch.get_by_id(batch_id)
    try:
        counts = _import(batch)
    except Exception as error:  # any failure is reported on the progress page, not left running
        message = str(error) if isinstance(error, FileRefused) else f"The import stopped: {error}"
        # The admin uploads the file again, so the copy (names, contact details) is not kept.
        ImportBatch.update(status=ImportStatus.FAILED, error=message[:500], finished_at=clock.now(), data=None).where(
            ImportBatch.id == batch_id).execute()
        return ImportStatus.FAILED
    # The file is not needed once imported: the register now holds what it said.
    ImportBatch.update(status=ImportStatus.DONE, counts=counts, data=None, finished_at=clock.now()).where(
        ImportBatch.id == batch_id).execute()
    return ImportStatus.DONE


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


def queue_batch(batch_id: int) -> bool:
    return queue.try_enqueue(queue.IMPORT_MENTORS, batch_id, job_timeout=3600)


def requeue(now: datetime) -> int:
    """A confirmed import whose job never arrived (Redis was down) is queued again; one whose worker
    died part way is marked failed, to be uploaded again (rows are matched by email, so that is safe)."""
    ImportBatch.update(status=ImportStatus.FAILED, finished_at=now, data=None,
                       error="The import stopped part way. Upload the file again: rows already imported "
                             "are matched by email and will not be doubled.").where(
        (ImportBatch.status == ImportStatus.RUNNING) & (ImportBatch.progress_at < now - STALLED)).execute()
    waiting = ImportBatch.select(ImportBatch.id).where(
        (ImportBatch.status == ImportStatus.QUEUED) & (ImportBatch.queued_at < now - timedelta(minutes=2)))
    return sum(queue_batch(batch.id) for batch in waiting)
