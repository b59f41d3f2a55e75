"""The pages anyone can see: home, the mentoring agreement, registering interest in mentoring."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import content, matching
from ..access import MENTEE, requires
from ..models import MentorRequest
from ..rules.eligibility import deactivation_due
from ..extensions import limiter
from ..interest import register as register_interest
from .forms import InterestForm

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    user = current_user._get_current_object()
    context = {}
    if user.mentee:
        context["waiting"] = matching.waiting_request(user.mentee)
        context["relationship"] = matching.active_relationship(user.mentee)
        if not user.mentee.matched_at and not user.mentee.deactivated_at:
            context["deactivation_due"] = deactivation_due(user.mentee.period_started_at,
                                                           current_app.config["DEACTIVATE_AFTER_MONTHS"])
    if user.mentor:
        context["to_answer"] = MentorRequest.select().where((MentorRequest.mentor == user.mentor)
                                                            & (MentorRequest.status == "pending")).count()
    return render_template("main/home.html", **context)


@bp.route("/reactivation", methods=["POST"])
@requires(MENTEE)
def ask_reactivation():
    if current_user.mentee.deactivated_at:
        matching.ask_reactivation(current_user._get_current_object())
        flash("The team has your request. We will email you when your account is open again.", "success")
    return redirect(url_for("main.home"))


@bp.route("/health")
def health():
    """For load balancers and monitors: the web server answers. Touches nothing else."""
    return "ok", 200, {"Content-Type": "text/plain", "Cache-Control": "no-store"}


@bp.route("/agreement")
def agreement():
    return render_template("main/agreement.html", agreement=content.current("agreement"))


@bp.route("/become-a-mentor", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def interest():
    form = InterestForm()
    if form.validate_on_submit():
        register_interest(form)
        return redirect(url_for("main.interest_thanks"))
    return render_template("main/interest.html", form=form)


@bp.route("/become-a-mentor/thank-you")
def interest_thanks():
    return render_template("main/interest_thanks.html")
