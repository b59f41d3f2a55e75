"""The pages anyone can see: home, the mentoring agreement, registering interest in mentoring."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .. import content
from ..extensions import limiter
from ..interest import register as register_interest
from .forms import InterestForm

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return render_template("main/home.html")


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
