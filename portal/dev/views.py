"""The development mailbox: with no SMTP server outside production, delivered mail is read here.

Registered only then (see create_app), so it does not exist in production at all.
"""
from flask import Blueprint, render_template
from playhouse.flask_utils import get_object_or_404

from portal.models import Email

bp = Blueprint("dev", __name__, url_prefix="/dev/mail")


@bp.route("/")
def index():
    emails = Email.select().order_by(Email.id.desc()).limit(200)
    return render_template("dev/index.html", emails=emails)


@bp.route("/<int:email_id>")
def show(email_id):
    return render_template("dev/show.html", email=get_object_or_404(Email, Email.id == email_id))


@bp.route("/<int:email_id>/html")
def html(email_id):
    email = get_object_or_404(Email, Email.id == email_id)
    return email.html_body, 200, {"Content-Type": "text/html; charset=utf-8",
                                  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                                          "sandbox allow-popups allow-top-navigation-by-user-activation"}
