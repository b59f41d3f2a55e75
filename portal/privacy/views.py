"""A person's own data: what the portal holds about them, who in the team has looked at it, a copy to
download, and asking for its erasure."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from portal.core.access import me, requires
from portal.core.forms import strip
from portal.privacy import erasure, export

bp = Blueprint("privacy", __name__)


class ErasureForm(FlaskForm):
    message = TextAreaField("Anything the team should know (optional)", filters=[strip],
                            validators=[Length(max=1000, message="This must be 1,000 characters or fewer")])


@bp.route("/account/data", methods=["GET", "POST"])
@requires()
def data():
    """What we hold, a copy to download, and asking for erasure (POST)."""
    user = me()
    form = ErasureForm()
    if form.validate_on_submit():
        erasure.ask_erasure(user, form.message.data or "")
        flash("The team has your request to erase your data. They will be in touch by email before they do it.",
              "success")
        return redirect(url_for("privacy.data"))
    status = 400 if form.errors else 200
    return render_template("privacy/data.html", form=form, held=export.export(user),
                           looks=export.looks(user), asked=erasure.erasure_asked(user)), status


@bp.route("/account/data.json")
@requires()
def data_download():
    return export.download(me())
