"""The NHS.UK design system in our templates: nhsuk-frontend-jinja's component macros load beside
our own templates, and a WTForms field becomes the parameters of the NHS macro that draws it, so a
field in any form is one line of a template ({{ f.field(form.x) }}, _partials/forms.html)."""
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader

# The macro each kind of field is drawn with (_partials/field.html); anything else is a text input.
MACROS = {
    "TextAreaField": "textarea",
    "SelectField": "select",
    "RadioField": "radios",
    "MultiCheckboxField": "checkboxes",
    "BooleanField": "checkboxes",
    "DayMonthYearField": "dateInput",
    "PasswordField": "passwordInput",
    "FileField": "input",
    "HiddenField": "hidden",
}
# Parameters of the NHS macros a template may give beside a field; anything else is an HTML attribute.
MACRO_PARAMS = {"rows", "width"}
WIDTHS = {"IntegerField": 3, "TimeField": 5}
# A time is typed as text ("18:30"), as dates are typed in boxes: the browser's time picker shows a 12-hour
# clock in some locales, looks different in each browser, and draws no focus the design system can style.
INPUT_TYPES = {"TimeField": "text"}


def field_params(field, extra: dict | None = None, check_url: str | None = None) -> tuple[str, dict]:
    """The NHS macro that draws `field`, and what to give it."""
    kind = MACROS.get(field.type, "input")
    extra = dict(extra or {})
    attributes = {**field.render_kw} if field.render_kw else {}
    attributes.update({k: v for k, v in extra.items() if k not in MACRO_PARAMS})
    params = {"id": field.id, "name": field.name, "attributes": attributes}
    params.update({k: v for k, v in extra.items() if k in MACRO_PARAMS})
    if "class" in attributes:  # our own classes go beside the component's
        params["classes"] = attributes.pop("class")
    text = field.label.text
    if field.description:
        params["hint"] = {"text": field.description}
    if field.errors:
        params["errorMessage"] = {"text": field.errors[0]}
        if kind in ("input", "textarea", "select", "passwordInput"):
            attributes["aria-invalid"] = "true"  # the macros mark it by colour and message only
    # The group's id lets an inline check's answer replace the whole group: label, hint, message and box.
    params["formGroup"] = {"attributes": {"id": f"{field.id}-field"}}
    if check_url:
        params["formGroup"]["attributes"].update({"hx-post": check_url, "hx-trigger": "change",
                                                  "hx-target": "this", "hx-swap": "outerHTML"})
    if kind in ("radios", "checkboxes") and field.type != "BooleanField":
        chosen = field.data if isinstance(field.data, (list, tuple, set)) else [field.data]
        chosen = {str(value) for value in chosen if value is not None}
        params["idPrefix"] = field.id
        params["fieldset"] = {"legend": {"text": text}}
        params["items"] = [{"value": option.data, "text": option.label.text, "checked": str(option.data) in chosen}
                           for option in field]
        del params["id"]
    elif field.type == "BooleanField":
        params["idPrefix"] = field.id
        params["items"] = [{"value": "y", "text": text, "checked": bool(field.data)}]
        del params["id"]
    elif kind == "dateInput":
        params["namePrefix"] = field.name
        params["fieldset"] = {"legend": {"text": text}}
        params["values"] = field.parts()
        del params["name"]
    elif kind == "select":
        params["label"] = {"text": text}
        params["items"] = [{"value": value, "text": label, "selected": selected}
                           for value, label, selected, *_ in field.iter_choices()]
    else:
        params["label"] = {"text": text}
        if kind == "input":
            params["type"] = INPUT_TYPES.get(field.type) or getattr(field.widget, "input_type", "text")
            if field.type != "FileField":
                params["value"] = field._value()
            width = WIDTHS.get(field.type)
            if width and "width" not in params:
                params["width"] = width
        elif kind == "textarea":
            params["value"] = field._value()
    return kind, params


def error_list(form) -> list[dict]:
    """The error summary's entries: each problem links to the box to put it right. A hidden field
    cannot be put right by the person, so its message links to the page itself."""
    entries = []
    for field in form:
        if not field.errors or field.type == "CSRFTokenField":
            continue
        target = {"HiddenField": "maincontent", "DayMonthYearField": f"{field.id}-day"}.get(field.type, field.id)
        entries.append({"text": field.errors[0], "href": f"#{target}"})
    return entries


def init_app(app) -> None:
    # Flask escapes only templates named .html; the NHS macros are .jinja and draw what people typed.
    escapes_by_name = app.jinja_env.autoescape
    app.jinja_env.autoescape = lambda name: bool(name and name.endswith(".jinja")) or escapes_by_name(name)
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, PackageLoader("nhsuk_frontend_jinja", "templates")])
    # The NHS macros read optional parameters through missing ones (params.formGroup.attributes).
    app.jinja_env.undefined = ChainableUndefined
    app.jinja_env.globals["nhsuk_field"] = field_params
    app.jinja_env.globals["nhsuk_error_list"] = error_list
