"""The pages anyone can see: home, the mentoring agreement, registering interest in mentoring."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import accounts, content, inbox, matching
from ..access import MENTEE, me, requires, roles_of
from ..models import MentorRequest
from ..rules.eligibility import deactivation_due
from ..rules.requests import PENDING
from ..extensions import limiter
from ..interest import register as register_interest
from .forms import AcceptAgreementForm, ConcernForm, InterestForm

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    user = me()
    context = {}
    if user.mentee:
        context["waiting"] = matching.waiting_request(user.mentee)
        context["reactivation_asked"] = bool(user.mentee.deactivated_at) and matching.reactivation_asked(user)
        context["relationship"] = matching.active_relationship(user.mentee)
        if not user.mentee.matched_at and not user.mentee.deactivated_at:
            context["deactivation_due"] = deactivation_due(user.mentee.period_started_at,
                                                           current_app.config["DEACTIVATE_AFTER_MONTHS"])
    if user.mentor:
        context["to_answer"] = MentorRequest.select().where((MentorRequest.mentor == user.mentor)
                                                            & (MentorRequest.status == PENDING)).count()
    return render_template("main/home.html", **context)


@bp.route("/reactivation", methods=["POST"])
@requires(MENTEE)
def ask_reactivation():
    if current_user.mentee.deactivated_at:
        matching.ask_reactivation(me())
        flash("The team has your request. We will email you when your account is open again.", "success")
    return redirect(url_for("main.home"))


# Pages a mentee can reach before accepting a new version of the agreement.
BEFORE_ACCEPTING = {"main.accept_agreement", "main.agreement", "auth.logout", "static", "main.concern",
                    "main.health"}


@bp.before_app_request
def new_agreement_first():
    """When the team publishes a new version of the agreement, a mentee accepts it at their next visit."""
    if not current_user.is_authenticated or not current_user.mentee or request.endpoint in BEFORE_ACCEPTING:
        return None
    if current_user.mentee.agreement_version < content.current("agreement").version:
        return redirect(url_for("main.accept_agreement", next=request.path))
    return None


@bp.route("/agreement/accept", methods=["GET", "POST"])
@requires(MENTEE)
def accept_agreement():
    agreement = content.current("agreement")
    form = AcceptAgreementForm()
    if form.validate_on_submit():
        accounts.accept_agreement(current_user.mentee, content.shown_version("agreement", form.version.data))
        flash("Thank you: you have accepted the new version of the agreement.", "success")
        return redirect(url_for("main.home"))
    return render_template("main/accept_agreement.html", agreement=agreement, form=form)


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
        return render_template("main/concern_sent.html")
    return render_template("main/concern.html", form=form)


@bp.route("/become-a-mentor/thank-you")
def interest_thanks():
    return render_template("main/interest_thanks.html")
