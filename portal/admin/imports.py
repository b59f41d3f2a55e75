"""Importing mentors from a CSV file: upload, preview with each row's problems, confirm, watch."""
from flask import Response, redirect, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField

from portal.admin import bp
from portal.core import clock
from portal.core.access import me
from portal.core.db import database
from portal.core.htmx import refusal_shown, render_htmx
from portal.models import ImportBatch, ImportStatus, User
from portal.register import imports
from portal.register.imports import MAX_BYTES, FileRefused, check, column_help, template_csv

SHOWN_PROBLEMS = 100


class UploadForm(FlaskForm):
    file = FileField("CSV file", description="Up to 10,000 mentors. Excel's 'CSV UTF-8' or plain 'CSV' both work.")


class ConfirmForm(FlaskForm):
    send_invitations = BooleanField("Email an invitation to each new mentor", default=True)


@bp.route("/mentors/import/template.csv")
def import_template():
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=mentor-register-template.csv"})


@bp.route("/mentors/import", methods=["GET", "POST"])
def import_upload():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1) if upload and upload.filename else b""
        with refusal_shown(form.file):
            if not data and not (upload and upload.filename):
                raise FileRefused("Choose a CSV file to upload")
            checked = check(data)
            batch = ImportBatch.create(created_by=me(), filename=upload.filename[:200],
                                       data=data, total_rows=checked.total)
            return redirect(url_for("admin.import_preview", batch_id=batch.id))
    return render_template("admin/import_upload.html", form=form, columns=column_help())


def _batch_or_404(batch_id: int) -> ImportBatch:
    return get_object_or_404(ImportBatch, ImportBatch.id == batch_id)


@bp.route("/mentors/import/<int:batch_id>", methods=["GET", "POST"])
def import_preview(batch_id):
    batch = _batch_or_404(batch_id)
    if batch.status != ImportStatus.PREVIEWED:
        return redirect(url_for("admin.import_progress", batch_id=batch.id))
    checked = check(bytes(batch.data))
    form = ConfirmForm()
    if form.validate_on_submit() and checked.rows:
        if ImportBatch.update(status=ImportStatus.QUEUED, queued_at=clock.now(),
                              send_invitations=form.send_invitations.data).where(
                (ImportBatch.id == batch.id) & (ImportBatch.status == ImportStatus.PREVIEWED)).execute():
            database.after_commit(lambda: imports.queue_batch(batch.id))
        return redirect(url_for("admin.import_progress", batch_id=batch.id))
    emails = [row["email"] for row in checked.rows]
    existing = set()
    for start in range(0, len(emails), 500):
        existing |= {u.email for u in User.select(User.email).where(User.email.in_(emails[start:start + 500]))}
    return render_template("admin/import_preview.html", batch=batch, checked=checked, form=form,
                           problems=checked.problems[:SHOWN_PROBLEMS],
                           new=sum(1 for e in emails if e not in existing), known=len(existing))


@bp.route("/mentors/import/<int:batch_id>/progress")
def import_progress(batch_id):
    batch = _batch_or_404(batch_id)
    return render_htmx("admin/import_progress.html", "_partials/import_progress.html", batch=batch)
