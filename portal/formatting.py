"""How times, dates and the scheme's own texts look on pages and in emails."""
import markdown as markdown_lib
import nh3
from markupsafe import Markup

from . import clock, reference

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br", "hr", "code"}


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


def render_markdown(text: str) -> Markup:
    """Markdown written by admins, with anything unsafe (scripts, handlers, javascript: links) removed."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer"))


def init_app(app):
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["trusts"] = reference.TRUSTS
    app.add_template_filter(long_date)
    app.add_template_filter(short_date)
    app.add_template_filter(date_time)
    app.add_template_filter(render_markdown, "markdown")

    @app.context_processor
    def scheme():
        return {
            "scheme_name": app.config["SCHEME_NAME"],
            "inbox_email": app.config["SCHEME_INBOX_EMAIL"],
            "htmx_url": app.config["HTMX_URL"],
            "htmx_sri": app.config["HTMX_SRI"],
        }
