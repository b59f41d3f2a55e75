"""A person's own account: their details, their password, joining as a mentee too."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user
from werkzeug.security import check_password_hash

from .. import accounts, content
from ..access import roles_of, requires
from ..auth.forms import ChangePasswordForm, MenteeDetailsForm

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
@requires()
def home():
    labels = {"admin": "Admin", "mentor": "Peer mentor", "mentee": "Mentee"}
    return render_template("account/home.html", roles=[labels[r] for r in sorted(roles_of(current_user))])


@bp.route("/password", methods=["GET", "POST"])
@requires()
def change_password():
    form = ChangePasswordForm(owner=current_user)
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash or "", form.current_password.data):
            form.current_password.errors.append("Your current password is not right")
        else:
            user = accounts.set_password(current_user._get_current_object(), form.password.data, reason="change")
            # The new nonce signed out every other browser; this one stays logged in.
            login_user(user)
            flash("Your password has been changed. Other devices have been logged out.", "success")
            return redirect(url_for("account.home"))
    return render_template("account/password.html", form=form)


@bp.route("/join-as-mentee", methods=["GET", "POST"])
@requires()
def join_as_mentee():
    if current_user.mentee:
        abort(404)
    form = MenteeDetailsForm()
    if form.validate_on_submit():
        accounts.add_mentee_role(current_user._get_current_object(), form)
        flash("You have joined as a mentee.", "success")
        return redirect(url_for("main.home"))
    return render_template("account/join.html", form=form, agreement=content.current("agreement"))
