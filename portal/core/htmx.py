"""What views share in answering: htmx support (the same templates serve whole pages and the
fragments htmx swaps in), and showing a refusal to the person who met it.

htmx only ever enhances: every link and form here works as a plain request too.
"""
from contextlib import contextmanager

from flask import abort, flash, g, make_response, render_template, request

from portal.core.refused import Refused

# The fields checked as soon as they are left. Passwords are not: re-rendered, they would come back empty.
# Nor dates: leaving the day box for the month would be told the date is not real yet.
CHECKED_FIELDS = ("StringField", "EmailField")


def is_htmx() -> bool:
    """An htmx request for a fragment. Restoring history after Back asks for the whole page."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def render_htmx(page: str, fragment: str, /, **context) -> str:
    """The whole page, or for htmx just the fragment of it that htmx swaps in. The page includes the
    fragment, so both are drawn from the same context (which may hold a `page` of its own: a pager's)."""
    return render_template(fragment if is_htmx() else page, **context)


def is_inline_check() -> bool:
    """A check of one field as it is typed: it saves and sends nothing, so rate limits leave it out."""
    return request.method == "POST" and is_htmx() and request.args.get("check") is not None


def inline_checks(form) -> None:
    """Inline validation for the page of `form`, the only way a page gets it; a view calls this before
    validating the form.

    An htmx POST to the page with ?check=<field> is answered here, and nothing else of the view runs:
    the form is validated and just that field goes back, with its message, and nothing is saved.
    Any other request only marks `form` as checked, and _partials/field.html then gives its fields
    the attributes that ask for a check (inline_check_url). A page whose view does not call this
    has none, so no check can ever be answered with a whole page pasted into the form."""
    g.inline_checks = form
    if not is_inline_check():
        return
    name = request.args["check"]
    if inline_check_url(form._fields.get(name)) is None:
        abort(400)
    form.validate()
    abort(make_response(render_template("_partials/field.html", field=form[name])))


def inline_check_url(field) -> str | None:
    """Where the field's page answers a check of it, if the page's view asked for checks."""
    form = g.get("inline_checks")
    if field is None or form is None or form._fields.get(field.name) is not field or field.type not in CHECKED_FIELDS:
        return None
    return f"{request.path}?check={field.name}"


@contextmanager
def refusal_shown(field=None, category: str = "error"):
    """Run the block; if it raises Refused, the rest of it is skipped and the person is told why: as
    the error of the form `field` when there is one, or else in a flashed message of `category`."""
    try:
        yield
    except Refused as refused:
        if field is None:
            flash(str(refused), category)
        else:
            field.errors = [*field.errors, str(refused)]


def init_app(app):
    app.jinja_env.globals["inline_check_url"] = inline_check_url
