"""The pages for everyone: each role's home page, raising a concern with the team, help, the scheme's texts
(the resources for each stage, the ethical framework, the first session, the accessibility statement), and the
health check."""
from flask import Blueprint, current_app, render_template, send_from_directory
from flask_login import current_user

from portal.core import content, db, inbox, queue
from portal.core.access import me, requires, roles_of
from portal.core.extensions import limiter
from portal.home.forms import ConcernForm
from portal.models import MentorRequest
from portal.requests import idle, mentor_requests, waitlist
from portal.rules.eligibility import deactivation_due
from portal.rules.requests import RequestStatus

bp = Blueprint("home", __name__)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    user = me()
    context = {}
    if user.mentee:
        last = context["last"] = mentor_requests.latest_request(user.mentee)
        context["waiting"] = last if last and last.status == RequestStatus.PENDING else None
        context["reactivation_asked"] = bool(user.mentee.deactivated_at) and idle.reactivation_asked(user)
        context["relationship"] = mentor_requests.active_relationship(user.mentee)
        # Matched or paused, a mentee has left every waiting list: no need to look.
        context["lists"] = [] if context["relationship"] or user.mentee.deactivated_at else waitlist.lists_of(user.mentee)
        if not user.mentee.matched_at and not user.mentee.deactivated_at:
            context["deactivation_due"] = deactivation_due(user.mentee.period_started_at,
                                                           current_app.config["DEACTIVATE_AFTER_MONTHS"])
    if user.mentor:
        context["to_answer"] = MentorRequest.select().where((MentorRequest.mentor == user.mentor)
                                                            & (MentorRequest.status == RequestStatus.PENDING)).count()
    return render_template("home/home.html", **context)


@bp.route("/health")
def health():
    """For load balancers and monitors: 200 "ok" when the database and Redis both answer, else 503 and
    which does not. Nothing else is shown or looked up (no login, not even who is logged in)."""
    down = [name for name, answers in (("database", db.answers), ("redis", queue.redis_answers)) if not answers()]
    body = " and ".join(down) + " unavailable" if down else "ok"
    return body, 503 if down else 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever a page links to."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)


@bp.route("/concern", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def concern():
    """Raise a concern with the admin team, from any page, signed in or not."""
    user = me() if current_user.is_authenticated else None
    form = ConcernForm(data={"name": user.name, "email": user.email} if user else None)
    if form.validate_on_submit():
        inbox.raise_item("concern", name=form.name.data, email=form.email.data, user=user,
                         details={"role": ", ".join(sorted(roles_of(user))) if user else "not signed in"},
                         message=form.message.data)
        return render_template("home/concern_sent.html")
    return render_template("home/concern.html", form=form)


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement, for anyone, signed in or not."""
    return render_template("home/text.html", agreement=content.current("accessibility"))


@bp.route("/help")
def help_page():
    """The team's help text, with the scheme's other texts a link away."""
    texts = {key: content.TEXTS[key] for key in ("agreement", "ethics", "contracting", "accessibility")}
    return render_template("home/help.html", agreement=content.current("help"), texts=texts)


@bp.route("/ethical-framework")
def ethics():
    return render_template("home/text.html", agreement=content.current("ethics"))


@bp.route("/first-session")
def contracting():
    """What a mentor covers at the start of a first session: for mentors to read again, and for anyone
    wondering what that first conversation holds."""
    return render_template("home/text.html", agreement=content.current("contracting"))


@bp.route("/resources/<any(before, away, return):stage>")
@requires()
def resources(stage):
    return render_template("home/text.html", agreement=content.current(f"resources-{stage}"))
