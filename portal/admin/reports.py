"""Reports for a date range, as charts with their tables, and the same figures as CSV; and the
survey's results."""
import csv
import io
from datetime import timedelta

from flask import Response, current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from portal.admin import bp, reporting
from portal.core import audit, clock
from portal.core.access import me
from portal.core.forms import date_field
from portal.survey import evaluation


class RangeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    start = date_field("From", validators=[])
    end = date_field("Until", validators=[])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The end of the range must be on or after its start")


def _range():
    """The range asked for (the last twelve months by default), or the form with its mistakes."""
    today = clock.today_london()
    form = RangeForm(request.args, data={"start": today.replace(day=1) - timedelta(days=334), "end": today})
    if request.args and not form.validate():
        return form, None
    start, end = form.start.data or today - timedelta(days=365), form.end.data or today
    return form, (start, end)


@bp.route("/reports")
def reports_page():
    form, span = _range()
    if span is None:
        return render_template("admin/reports.html", form=form, reports=None), 400
    found = reporting.build(*span)
    return render_template("admin/reports.html", form=form, reports=found, span=span, timings=reporting.timings(*span),
                           results=reporting.survey_results(*span), smallest=current_app.config["SMALLEST_GROUP"])


@bp.route("/reports.csv")
def reports_csv():
    form, span = _range()
    if span is None:
        return render_template("admin/reports.html", form=form, reports=None), 400
    found, waits = reporting.build(*span), reporting.timings(*span)
    if not any(report.total for report in found) and not any(timing.total for timing in waits):
        form.end.errors = ["There is nothing in this range to export: choose a wider one"]
        return render_template("admin/reports.html", form=form, reports=found, span=span, timings=waits,
                               results=reporting.survey_results(*span),
                               smallest=current_app.config["SMALLEST_GROUP"]), 400
    out = io.StringIO()
    csv.writer(out).writerows(reporting.csv_rows(found, reporting.survey_results(*span),
                                               current_app.config["SMALLEST_GROUP"], waits))
    name = f"peer-mentoring-{span[0].isoformat()}-to-{span[1].isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.route("/survey")
def survey_results():
    audit.record(me(), "viewed_survey_results")
    return render_template("admin/survey.html", results=evaluation.results(),
                           smallest=current_app.config["SMALLEST_GROUP"])
