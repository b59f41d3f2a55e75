"""The NHS.UK design system draws every page: our old hand-written form macros and classes are gone,
our own CSS styles only what the library lacks, and the library's macros escape what people type."""
import re
from pathlib import Path

from tests.support.forms import signup_form
from tests.support.web import errors, text

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
CSS = (ROOT / "static" / "css" / "portal.css").read_text()
# Classes of the old look, each replaced by one of the design system's.
REMOVED = {"button", "button--secondary", "button--warning", "panel", "panel--warning", "muted", "summary-list",
           "error-summary", "field", "field--error", "label", "hint", "input", "select", "textarea", "choice",
           "tag", "flash", "visually-hidden", "skip-link", "header", "footer", "nav", "prose", "lead", "pager"}
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def pages():
    return [p for p in TEMPLATES.rglob("*.html") if "emails" not in p.parts]  # emails keep their own layout


def classes_in(path: Path) -> set[str]:
    found = set()
    for value in CLASS_ATTRIBUTE.findall(path.read_text()):
        value = re.sub(r"{[{%].*?[}%]}", " ", value)  # what Jinja adds is checked where it is written
        found.update(value.split())
    return found


def test_templates_use_only_the_design_systems_classes_and_our_own_app_ones():
    for path in pages():
        for name in classes_in(path):
            assert name not in REMOVED, f"{path.relative_to(ROOT)} still uses the old class {name}"
            assert name.startswith(("nhsuk-", "app-")), f"{path.relative_to(ROOT)}: {name} is neither nhsuk- nor app-"


def test_every_fold_out_is_the_design_systems_details():
    # A bare <details> takes the browser's own look and its thin focus ring, not the NHS's yellow one.
    for path in pages():
        source = path.read_text()
        assert source.count("<details") == source.count('<details class="nhsuk-details"'), path.relative_to(ROOT)
        assert source.count("<summary") == source.count('<summary class="nhsuk-details__summary"'), path.name


def test_our_css_styles_only_app_classes_and_each_one_a_template_uses():
    styled = set(re.findall(r"\.(app-[a-z0-9_-]+)", CSS))
    assert not set(re.findall(r"\.((?!app-)[a-z][a-z0-9_-]*)\s*[{,:\[ >.]", CSS)) - {"nhsuk-form-group", "nhsuk-checkboxes",
                                                                                  "nhsuk-table", "nhsuk-pagination"}
    # Also those given to the NHS macros as parameters ("classes": "app-..."), and the photo's sizes.
    used = set().union(*(re.findall(r"app-[a-z0-9_-]*[a-z0-9]", p.read_text()) for p in pages()))
    used |= {f"app-photo--{size}" for size in ("card", "profile")}
    assert styled - used == set(), "CSS for classes no template uses"


def test_a_field_is_one_line_drawn_by_the_nhs_macros():
    field = (TEMPLATES / "_partials" / "field.html").read_text()
    assert "<input" not in field and "<label" not in field  # the macros draw them
    forms = (TEMPLATES / "_partials" / "forms.html").read_text()
    assert re.findall(r"{% macro (\w+)", forms) == ["field", "error_summary", "csrf"]


def test_pages_load_the_design_system_from_the_portal_itself(web):
    page = text(web.get("/"))
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert [s.split("/")[2] for s in sheets] == ["nhsuk", "css"] and all(s.startswith("/static/") for s in sheets)
    assert web.get(sheets[0]).status_code == 200
    policy = web.get("/").headers["Content-Security-Policy"]
    assert "font-src 'self' https://assets.nhs.uk;" in policy  # the NHS font, from the NHS's own host
    assert 'href="/accessibility"' in page and web.get("/accessibility").status_code == 200


def test_what_people_type_is_escaped_inside_the_nhs_macros(web):
    typed = '<script>alert("x")</script>'
    response = web.submit("/signup", signup_form(name=typed, trust=typed, email="not an email"))
    page = text(response)
    assert typed not in page and "&lt;script&gt;alert(" in page
    assert "correct format" in errors(response)["email"]


def test_dates_are_typed_in_three_boxes_and_problems_link_to_the_first(web):
    response = web.submit("/signup", signup_form(expected_return="31/02/2027"))
    page = text(response)
    assert 'href="#expected_return-day"' in page
    for part in ("day", "month", "year"):
        assert f'name="expected_return[{part}]"' in page and 'type="date"' not in page
    boxes = {"expected_return[day]": "3", "expected_return[month]": "9", "expected_return[year]": "2027"}
    sent = signup_form(**{"expected_return": None}) | boxes
    accepted = web.submit("/signup", sent)
    assert accepted.status_code in (302, 303) and "expected_return" not in errors(accepted)
