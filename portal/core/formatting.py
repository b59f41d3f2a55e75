"""How times, dates and the scheme's own texts look on pages and in emails."""
import markdown as markdown_lib
import nh3
from markupsafe import Markup

from portal.core import clock, reference
from portal.rules import measures
from portal.rules import requests as requests_rules

# What the scheme's texts may contain once rendered: formatting and links, nothing that runs or loads.
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br", "hr", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "*": set()}  # "*": none on other tags (not even lang, title)
# Relative links (to the portal's own pages) pass too.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Taken out with everything inside them, not just their tags: their content is code or a page of its own.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
                        "textarea", "select", "title"}


def long_date(value) -> str:
    """Monday 4 January 2027 (a date, or a UTC time shown as its London date)."""
    if hasattr(value, "hour"):
        value = clock.to_london(value)
    return f"{value:%A} {value.day} {value:%B %Y}"


def short_date(value) -> str:
    """4 January 2027."""
    if hasattr(value, "hour"):
        value = clock.to_london(value)
    return f"{value.day} {value:%B %Y}"


def date_time(value) -> str:
    """4 January 2027 at 2:30pm, London time."""
    local = clock.to_london(value)
    hour = local.hour % 12 or 12
    return f"{short_date(value)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def availability_summary(slots: list[str]) -> str:
    """"Weekday evenings, Saturday mornings" from ["mon-evening", ..., "sat-morning"]: in week order,
    days with the same parts of the day said together."""
    parts_of = {}
    for slot in set(slots) & set(reference.SLOTS):  # anything else says nothing a mentee could use
        day, part = slot.split("-")
        parts_of.setdefault(day, set()).add(part)
    together = {}  # the parts of a day -> the days that have just those, in week order
    for day in reference.DAYS:
        if day in parts_of:
            together.setdefault(tuple(p for p in reference.PARTS_OF_DAY if p in parts_of[day]), []).append(day)
    phrases = []
    for parts, days in together.items():  # in the order of each group's first day
        named = []
        if all(day in days for day in WEEKDAYS):
            named.append("Weekday")
            days = [day for day in days if day not in WEEKDAYS]
        if "sat" in days and "sun" in days:
            named.append("weekend")
            days = [day for day in days if day not in ("sat", "sun")]
        named += [reference.DAYS[day] for day in days]
        joined = _and(named)
        phrases.append(f"{joined[0].upper()}{joined[1:]} {_and([reference.PARTS_OF_DAY[p] for p in parts])}")
    return ", ".join(phrases)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def platform_names(keys: list[str]) -> str:
    return ", ".join(reference.PLATFORMS[key] for key in keys if key in reference.PLATFORMS)


def meeting_summary(mentor, choices: dict) -> str:
    """"Face to face in Leeds, York; by video or phone (Zoom, Teams)"."""
    ways = []
    if mentor.meets_in_person:
        ways.append(f"Face to face in {mentor.locations}" if mentor.locations else "Face to face")
    if mentor.meets_online:
        platforms = platform_names(choices.get("platforms", []))
        ways.append(f"by video or phone ({platforms})" if platforms else "by video or phone")
    text = "; ".join(ways)
    return text[:1].upper() + text[1:]


def history_value(value) -> str:
    """A value in a profile's change history, short enough to scan."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def counted(items, noun: str) -> str:
    """"1 request", "3 requests": the number of items with the noun to match."""
    number = len(items)
    return f"{number:,} {noun if number == 1 else noun + 's'}"


def render_markdown(text: str) -> Markup:
    """Markdown written by admins as HTML safe to show: the one place their texts are rendered, for pages,
    previews and anything else. The Markdown is kept as written; the HTML it makes (raw HTML in it
    included) keeps only the allow-lists above."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT,
                            attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
                            strip_comments=True, link_rel="noopener noreferrer"))


def init_app(app):
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["trusts"] = reference.TRUSTS
    app.jinja_env.globals["reference"] = reference
    app.jinja_env.globals["meeting_summary"] = meeting_summary
    app.jinja_env.globals["finished"] = requests_rules.FINISHED | requests_rules.PASSED_OVER
    app.jinja_env.globals["unmatched"] = requests_rules.UNMATCHED
    app.add_template_filter(long_date)
    app.add_template_filter(short_date)
    app.add_template_filter(date_time)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(availability_summary)
    app.add_template_filter(platform_names)
    app.add_template_filter(history_value)
    app.add_template_filter(counted)
    app.add_template_filter(measures.shown, "figure")

    @app.context_processor
    def scheme():
        return {
            "scheme_name": app.config["SCHEME_NAME"],
            "inbox_email": app.config["SCHEME_INBOX_EMAIL"],
            "htmx_url": app.config["HTMX_URL"],
            "htmx_sri": app.config["HTMX_SRI"],
        }
