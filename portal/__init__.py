"""The peer mentoring portal: create_app() builds the Flask application."""
from pathlib import Path

from flask import Flask, abort, g, has_request_context, render_template, request, session
from flask_compress import Compress
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from peewee import InterfaceError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal import config
from portal.accounts.views import bp as accounts
from portal.admin import bp as admin
from portal.cli import register as register_cli
from portal.core import db, design, formatting, htmx, logs, static_files
from portal.core.access import nav_items
from portal.core.extensions import csrf, limiter, login_manager
from portal.core.forms import whole_number
from portal.dev.views import bp as dev
from portal.directory.views import bp as directory
from portal.home.views import bp as home
from portal.mentoring.views import bp as mentoring
from portal.models import User
from portal.privacy.views import bp as privacy
from portal.register.views import bp as register
from portal.requests.views import bp as requests
from portal.survey.views import bp as survey

ROOT = Path(__file__).resolve().parent.parent

# Answered without looking up who is logged in: a load balancer asks often, and a static file is the
# same for everyone.
BARE_ENDPOINTS = {"home.health", "home.favicon", "static"}
# Pages whose GET is the same whoever looks, and is drawn as for someone logged out without looking
# them up: the page an emailed answer link opens (mail scanners open it too) until its button is pressed.
LOOKED_AT_LOGGED_OUT = {"requests.respond"}


class Portal(Flask):
    def log_exception(self, exc_info):
        """As Flask's, naming the URL rule rather than the path, which may hold an emailed link's token."""
        rule = request.url_rule.rule if request.url_rule else "-"
        self.logger.error("Exception on %s %s", request.method, rule, exc_info=exc_info)


def create_app(overrides: dict | None = None, environ=None) -> Flask:
    app = Portal(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    settings = config.from_environment(**({"environ": environ} if environ is not None else {}),
                                       instance_path=Path(app.instance_path))
    app.config.update(settings)
    app.config.update(overrides or {})

    if app.config["TRUST_PROXY_HOPS"]:
        hops = app.config["TRUST_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    # First of all the hooks, so that every request the app sees is named in its log line.
    app.before_request(lambda: logs.note_route(request.environ, request.url_rule))
    db.init_app(app)
    _init_login(app)  # first: its check of the session runs before the CSRF check
    csrf.init_app(app)
    limiter.init_app(app)
    formatting.init_app(app)
    design.init_app(app)
    htmx.init_app(app)
    _register_blueprints(app)
    _register_errors(app)
    headers = _register_headers(app)
    _refuse_nul_bytes(app)
    # Pages are compressed as they go out (static files were compressed when they were built). A page's
    # CSRF token beside text an attacker chose is what compression can leak (BREACH), over thousands
    # of requests; the SameSite=Lax session cookie stays off the background requests (images, scripts,
    # fetch) such an attack needs, and only a top-level navigation carries it.
    Compress(app)
    static_files.init_app(app, headers)
    app.wsgi_app = logs.RequestLines(app.wsgi_app)

    register_cli(app)

    @app.context_processor
    def navigation():
        # Emails are rendered by jobs and commands too, where there is no one to navigate.
        if not has_request_context():
            return {}
        return {"nav_items": nav_items(current_user)}

    return app


def _init_login(app):
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load(session_id: str):
        user_id, _, nonce = session_id.partition(":")
        number = whole_number(user_id)
        if number is None:
            return None
        user = User.with_roles(number)
        if user is None or user.session_nonce != nonce or not user.is_active:
            return None
        return user

    @app.before_request
    def forget_an_ended_login():
        """A session cookie kept from before its login ended (by logging out, a new password or a
        closed account) still holds the CSRF token of its forms: emptying it makes those fail too."""
        if request.endpoint in BARE_ENDPOINTS:
            return
        if request.method in ("GET", "HEAD") and request.endpoint in LOOKED_AT_LOGGED_OUT:
            g._login_user = login_manager.anonymous_user()  # flask-login's own place for this request's login
            return
        if "_user_id" in session and not current_user.is_authenticated:
            session.clear()


class RowId(IntegerConverter):
    """<int:...> in a path: digits 0-9 only, and a number larger than the database's integers is
    simply not found (SQLite would fail on it)."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _register_blueprints(app):
    app.url_map.converters["int"] = RowId
    for blueprint in (home, accounts, privacy, directory, register, requests, mentoring, survey, admin):
        app.register_blueprint(blueprint)
    if app.config["DEV_MAILBOX"]:
        app.register_blueprint(dev)


def _register_errors(app):
    def page(status, title, message):
        return render_template("error.html", title=title, message=message), status

    app.register_error_handler(400, lambda e: page(
        400, "Something in that request could not be read", "Go back and check what you entered: it may contain "
                                                            "a character we cannot accept."))
    app.register_error_handler(CSRFError, lambda e: page(
        400, "Your form expired", "For your security, forms stop working after you log out or your session ends. "
                                  "Go back, reload the page and try again: what you typed may still be there."))
    app.register_error_handler(403, lambda e: page(
        403, "You cannot see this page", "Your account does not give access to this page."))
    app.register_error_handler(404, lambda e: page(
        404, "Page not found", "Check the address, or go back to the home page."))
    app.register_error_handler(413, lambda e: page(
        413, "That file is too large", "Go back and choose a smaller file."))
    app.register_error_handler(429, lambda e: page(
        429, "Too many attempts", "For your security we have paused this for a while. Please wait 15 minutes "
                                  "and try again. If you have forgotten your password, you can reset it."))

    def database_unavailable(error):
        # PostgreSQL restarting, or out of reach: the pool reconnects by itself once it is back. Who is
        # logged in cannot be looked up meanwhile, so the page is drawn as for someone logged out.
        app.logger.error("The database could not be used: %s", error, exc_info=error)
        g._login_user = login_manager.anonymous_user()
        body, status = page(503, "Sorry, the service is not available just now",
                            "Please try again in a few minutes. If you were sending a form, it has not been "
                            "saved: go back and send it again.")
        return body, status, {"Retry-After": "60"}

    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)
    app.register_error_handler(500, lambda e: page(
        500, "Sorry, something went wrong", "Please try again in a few minutes. If it keeps happening, "
                                           "email the team and tell them what you were doing."))


def _refuse_nul_bytes(app):
    """A NUL character has no place in anything a person types, and PostgreSQL refuses to store
    one: such a request is answered with a clear 400 here rather than failing later. An address too
    (/admin/content/<key>/<version> looks its key up in the database)."""

    @app.before_request
    def no_nul():
        if "\x00" in request.path:
            abort(400)
        for values in (request.args, request.form):
            if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
                abort(400)


# The NHS font (Frutiger) is licensed to NHS services from the NHS's own host; the design system's
# stylesheet names it there, and falls back to the system's fonts when it cannot be reached.
NHS_FONT_HOST = "https://assets.nhs.uk"

# Browser features the portal never uses, turned off so nothing on its pages can ask for them.
UNUSED_FEATURES = ("accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
                   "magnetometer", "microphone", "midi", "payment", "usb")


def _register_headers(app) -> dict:
    """The headers of every response, pages and static files alike; returned for the static files."""
    # A CDN's htmx is allowed as that one file: the CDN serves anyone's scripts from the same origin.
    htmx_file = f" {app.config['HTMX_URL']}" if "://" in app.config["HTMX_URL"] else ""
    policy = (f"default-src 'self'; script-src 'self'{htmx_file}; style-src 'self'; img-src 'self' data:; "
              f"font-src 'self' {NHS_FONT_HOST}; "
              "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'self'; object-src 'none'")
    headers = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "SAMEORIGIN",  # frame-ancestors, for older browsers
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": ", ".join(f"{name}=()" for name in UNUSED_FEATURES),
        "Referrer-Policy": "same-origin",
    }
    if app.config["PORTAL_ENV"] == "production":
        # Not includeSubDomains: other sites under the same domain are not ours to decide for.
        headers["Strict-Transport-Security"] = "max-age=31536000"

    @app.after_request
    def security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        # Pages show personal data and carry a form token: no cache keeps them, a browser's or a
        # proxy's. (Static files, served before the app, are cached for good under hashed names.)
        response.headers.setdefault("Cache-Control", "no-store")
        # Some pages answer htmx with a fragment of themselves: caches must keep the two apart.
        response.vary.add("HX-Request")
        return response

    return headers
