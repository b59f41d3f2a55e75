"""A person's own account: their details, their password, joining as a mentee too, a copy of
their data and asking for its erasure."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import TextAreaField
from wtforms.validators import Length

from .. import accounts, content, personal_data
from ..access import ADMIN, MENTEE, MENTOR, me, requires, roles_of
from ..auth.forms import ChangePasswordForm, MenteeDetailsForm
from ..forms import strip
from ..partials import inline_checks

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
@requires()
def home():
    labels = {ADMIN: "Admin", MENTOR: "Peer mentor", MENTEE: "Mentee"}
    return render_template("account/home.html", roles=[labels[r] for r in sorted(roles_of(current_user))])


@bp.route("/password", methods=["GET", "POST"])
@requires()
def change_password():
    form = ChangePasswordForm(owner=current_user)
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash or "", form.current_password.data):
            form.current_password.errors.append("Your current password is not right")
        else:
            user = accounts.set_password(me(), form.password.data, reason="change")
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
    inline_checks(form)
    if form.validate_on_submit():
        accounts.add_mentee_role(me(), form)
        flash("You have joined as a mentee.", "success")
        return redirect(url_for("main.home"))
    return render_template("account/join.html", form=form, agreement=content.current("agreement"))


class ErasureForm(FlaskForm):
    message = TextAreaField("Anything the team should know (optional)", filters=[strip],
                            validators=[Length(max=1000, message="This must be 1,000 characters or fewer")])


@bp.route("/data", methods=["GET", "POST"])
@requires()
def data():
    """What we hold, a copy to download, and asking for erasure (POST)."""
    user = me()
    form = ErasureForm()
    if form.validate_on_submit():
        personal_data.ask_erasure(user, form.message.data or "")
        flash("The team has your request to erase your data. They will be in touch by email before they do it.",
              "success")
        return redirect(url_for("account.data"))
    status = 400 if form.errors else 200
    return render_template("account/data.html", form=form, held=personal_data.export(user),
                           looks=personal_data.looks(user), asked=personal_data.erasure_asked(user)), status


@bp.route("/data.json")
@requires()
def data_download():
    return personal_data.download(me())
