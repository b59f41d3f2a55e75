"""htmx support: the same templates serve whole pages and the fragments htmx swaps in.

htmx only ever enhances: every link and form here works as a plain request too.
"""
from flask import render_template, request


def is_htmx() -> bool:
    """An htmx request for a fragment. Restoring history after Back asks for the whole page."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def htmx_field_check(form):
    """Inline validation: an htmx POST to a form's own URL with ?check=<field> validates the form
    and returns just that field, with its message, without saving anything."""
    name = request.args.get("check")
    if request.method != "POST" or not is_htmx() or not name or name not in form:
        return None
    form.validate()
    return render_template("_partials/field.html", field=form[name], check_url=request.path)
