"""Importing mentors from a CSV file: preview with each row's problems, an RQ job with progress, and
nothing changed by importing the same file twice."""
import csv
import io
import re
from datetime import timedelta

import pytest

from portal.core import clock
from portal.dev import demo, history
from portal.models import ImportBatch, MentorOption, MentorProfile, ProfileChange, User
from portal.register.imports import COLUMNS, EXAMPLE
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.forms import csv_bytes, row
from tests.support.web import errors, text, words


@pytest.fixture
def admin_web(web):
    make_user("admin@example.org", "Ada Admin", admin=True)
    web.login("admin@example.org", PASSWORD)
    return web


def upload(web, data: bytes, filename="mentors.csv"):
    return web.submit("/admin/mentors/import", {"file": (io.BytesIO(data), filename)},
                      content_type="multipart/form-data")


def preview_of(web, response):
    assert response.status_code == 302, errors(response)
    return web.get(response.headers["Location"])


def test_the_template_downloads(admin_web):
    response = admin_web.get("/admin/mentors/import/template.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    header, example = list(csv.reader(io.StringIO(text(response))))
    assert header == COLUMNS and example[0] == EXAMPLE["email"]


def test_import_previews_confirms_runs_as_a_job_and_is_idempotent(admin_web, run_jobs, mailbox):
    make_mentor("mentor1@example.org", "Old Name")
    data = csv_bytes([row(1), row(2), row(3, grade="Consultant", why_mentor=""), row(4)])
    preview = preview_of(admin_web, upload(admin_web, data))
    page = words(preview)
    assert "4 rows" in page and "2 new mentors" in page and "1 already known" in page
    assert "1 row with problems" in page
    assert "grade: “Consultant” is not a code we know. Use one of F1, F2, CT1," in page
    assert "StR (dental), Other" in page and "Grade:" not in page and "Why you became a peer mentor" in page
    assert not User.select().where(User.email == "mentor2@example.org").exists()  # nothing saved yet

    batch = ImportBatch.get()
    confirmed = admin_web.submit(f"/admin/mentors/import/{batch.id}", {"send_invitations": "y"})
    assert confirmed.headers["Location"] == f"/admin/mentors/import/{batch.id}/progress"
    assert "Waiting to start" in text(admin_web.get(confirmed.headers["Location"]))
    polled = text(admin_web.get(confirmed.headers["Location"], headers={"HX-Request": "true"}))
    assert polled.startswith('<div id="import-progress"') and 'hx-trigger="every 1s"' in polled

    run_jobs()
    batch = ImportBatch.get_by_id(batch.id)
    assert batch.status == "done" and batch.data is None
    assert batch.counts == {"created": 2, "updated": 1, "unchanged": 0}
    done = words(admin_web.get(f"/admin/mentors/import/{batch.id}/progress"))
    assert "Finished: 2 added, 1 updated, 0 unchanged." in done and "every 1s" not in done
    new = MentorProfile.select().join(User).where(User.email == "mentor2@example.org").get()
    assert (new.grade, new.school, new.trust, new.meets_online, new.locations) == (
        "ST5", "Paediatrics", "Leeds Teaching Hospitals NHS Trust", True, "Leeds, Harrogate")
    assert {(o.kind, o.value) for o in MentorOption.select().where(MentorOption.mentor == new)} >= {
        ("slot", "mon-evening"), ("platform", "teams"), ("location", "harrogate")}
    assert User.get(User.email == "mentor1@example.org").name == "Mentor Number1"
    assert mailbox.wait_for("mentor2@example.org", "You are invited")
    assert mailbox.to("mentor1@example.org") == []  # already had a login: no invitation

    # The same file again changes nothing and sends nothing.
    changes_before, sent_before = ProfileChange.select().count(), len(mailbox.messages)
    second = preview_of(admin_web, upload(admin_web, data))
    assert "0 new mentors" in words(second) and "3 already known" in words(second)
    batch2 = ImportBatch.select().order_by(ImportBatch.id.desc()).get()
    admin_web.submit(f"/admin/mentors/import/{batch2.id}", {"send_invitations": "y"})
    run_jobs()
    assert ImportBatch.get_by_id(batch2.id).counts == {"created": 0, "updated": 0, "unchanged": 3}
    assert ProfileChange.select().count() == changes_before
    assert len(mailbox.messages) == sent_before
    assert MentorProfile.select().count() == 3


@pytest.mark.parametrize("data, message", [
    (b"", "Choose a CSV file"),
    (b"\n\n", "The file is empty"),
    (b"email,name,colour\nx@example.org,X Y,blue\n", "we do not know the column colour"),
    (b"name,grade\nX Y,ST5\n", "it has no email column"),
    (b"email,email,name\n", "A column appears twice"),
    (b"email,name\n", "no mentors in it"),
    (b"\x81\x8d\x8f\x90\x9d" * 10, "could not read the letters"),
])
def test_files_that_cannot_be_imported_are_refused_with_a_reason(admin_web, data, message):
    response = upload(admin_web, data) if data else admin_web.submit("/admin/mentors/import", {},
                                                                     content_type="multipart/form-data")
    assert message in words(response)
    assert not ImportBatch.select().exists()


def test_a_file_of_fifty_thousand_rows_is_refused(admin_web):
    lines = "\n".join(f"m{n}@example.org,Mentor {n}" for n in range(50_000))
    response = upload(admin_web, f"email,name\n{lines}\n".encode())
    assert "more than 10,000 mentors" in words(response)
    assert not ImportBatch.select().exists()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_excel_encodings_are_read(admin_web, run_jobs, encoding):
    data = csv_bytes([row(1, name="Zoë O’Brien", interests="Café culture – and naïve art")], encoding=encoding)
    preview = preview_of(admin_web, upload(admin_web, data))
    assert "1 new mentor" in words(preview)
    admin_web.submit(f"/admin/mentors/import/{ImportBatch.get().id}", {})
    run_jobs()
    mentor = MentorProfile.get()
    assert mentor.interests == "Café culture – and naïve art"
    assert mentor.user.name == "Zoë O’Brien"


def test_duplicate_emails_inside_the_file_are_problems(admin_web):
    data = csv_bytes([row(1), row(2), row(1, name="Someone Else"), row(3, email="MENTOR2@example.org")])
    page = words(preview_of(admin_web, upload(admin_web, data)))
    assert "2 new mentors" in page  # only the first row of each address counts
    assert page.count("this email address is on line") == 2
    assert re.search(r"this email address is on line 2 too", page)


def test_headers_are_matched_loosely_and_optional_columns_may_be_missing(admin_web):
    data = b"Email,Name,Grade,School,Trust,Gender,Why Mentor,Meets Online,Platforms,Contact Details,Slots\n" \
           b"kit@example.org,Kit Carter,ST4,Surgery,Leeds Teaching Hospitals NHS Trust,Man,To help,yes," \
           b"Microsoft Teams; zoom,07700 900000,tue-evening\n"
    page = words(preview_of(admin_web, upload(admin_web, data)))
    assert "1 new mentor" in page and "0 rows with problems" in page


def test_bad_yes_no_and_capacity_cells_are_explained(admin_web):
    data = csv_bytes([row(1, meets_online="maybe"), row(2, capacity="lots"), row(3, slots="funday-evening")])
    page = words(preview_of(admin_web, upload(admin_web, data)))
    assert "meets_online must be yes or no" in page
    assert "Enter a whole number from 0 to 10" in page
    assert "slots: “funday-evening” is not a code we know. Use a day (mon, tue, wed, thu, fri, sat, sun), a hyphen " \
           "and a time of day (morning, afternoon, evening), like mon-evening" in page
    assert "There is nothing to import" in page


def test_an_import_that_fails_keeps_no_copy_of_the_file(app, admin_web, run_jobs):
    """The admin uploads the file again after a failure, so the one kept (names, contacts) goes."""
    from jobs.sweeps import requeue_imports
    for n in (1, 2):
        preview_of(admin_web, upload(admin_web, csv_bytes([row(n)])))
        batch = ImportBatch.select().order_by(ImportBatch.id.desc()).get()
        admin_web.submit(f"/admin/mentors/import/{batch.id}", {"send_invitations": ""})
    stalled, broken = ImportBatch.select().order_by(ImportBatch.id)
    # One worker died part way; the other's file cannot be read any more when the job starts.
    ImportBatch.update(status="running", progress_at=clock.now() - timedelta(hours=1)).where(
        ImportBatch.id == stalled.id).execute()
    ImportBatch.update(data=b"\n\n").where(ImportBatch.id == broken.id).execute()
    run_jobs()
    with app.app_context():
        requeue_imports()
    for batch in (ImportBatch.get_by_id(stalled.id), ImportBatch.get_by_id(broken.id)):
        assert batch.status == "failed" and batch.error and batch.data is None
    assert "The import did not finish" in words(admin_web.get(f"/admin/mentors/import/{broken.id}/progress"))


def test_codes_are_matched_in_any_case_and_an_unknown_one_is_named_with_the_codes(admin_web):
    data = csv_bytes([row(1, grade="st5", school="paediatrics", platforms="Microsoft Teams; ZOOM"),
                      row(2, platforms="teams; skype; carrier pigeon", gender="")])
    page = words(preview_of(admin_web, upload(admin_web, data)))
    assert "1 new mentor" in page and "1 row with problems" in page
    assert ("platforms: “skype”, “carrier pigeon” are not codes we know. Use any of teams, zoom, meet, whatsapp, "
            "facetime, phone (or the names the profile form shows for them); several separated by semicolons") in page
    assert "Gender: Choose a gender, or 'Prefer not to say'" in page  # an empty cell: what the form says


def test_the_column_help_lists_each_coded_columns_codes_and_places_take_commas(admin_web):
    page = words(admin_web.get("/admin/mentors/import"))
    assert "grade One of F1, F2, CT1, CT2, CT3, ST1," in page
    assert "school One of Anaesthesia, Dentistry," in page and "gender One of Woman, Man, Non-binary," in page
    assert "platforms Any of teams, zoom, meet, whatsapp, facetime, phone" in page
    assert "time_away Any of parental_leave, sick_leave," in page and "slots A day (mon, tue," in page
    # Places are separated as the profile form separates them, in the help, the template and on the register.
    assert "separated by commas as in the profile form: like Leeds, Harrogate" in page
    assert "separated by commas" in words(admin_web.get("/admin/mentors/new"))
    assert EXAMPLE["locations"] == "Leeds, Harrogate"


def test_the_templates_example_row_is_made_up_and_like_no_demonstration_person():
    people = [*demo.MENTORS, *({"email": email, "name": name}
                              for email, name in (demo.ADMIN, demo.MENTEE, demo.WAITING, demo.MATCHED))]
    first_names = {person["name"].split()[0] for person in people} | set(history.FIRST_NAMES)
    assert EXAMPLE["name"].split()[0] not in first_names and "Example" in EXAMPLE["name"]
    assert EXAMPLE["email"] not in {person["email"] for person in people}
    assert all(EXAMPLE["contact_details"] not in person.get("contact_details", "") for person in people)
