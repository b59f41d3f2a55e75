"""The admin home (the dashboard) and invitations."""
from flask import current_app, flash, redirect, render_template, session, url_for
from playhouse.flask_utils import get_object_or_404

from portal.accounts import invitations
from portal.admin import bp, dashboard
from portal.admin.forms import InviteForm
from portal.core.access import me
from portal.models import User


@bp.route("/")
def home():
    return render_template("admin/home.html", **dashboard.latest(session.get(dashboard.ACTED_AT)),
                           smallest=current_app.config["SMALLEST_GROUP"])


@bp.route("/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        invitations.invite(me(), form.name.data, form.email.data, form.role.data)
        flash(f"Invitation sent to {form.email.data}.", "success")
        return redirect(url_for("admin.invitations"))
    return render_template("admin/invite.html", form=form)


@bp.route("/invitations", endpoint="invitations")
def invitations_page():
    return render_template("admin/invitations.html", people=invitations.pending_invitations())


@bp.route("/invitations/<int:user_id>/resend", methods=["POST"])
def resend_invitation(user_id):
    user = get_object_or_404(User, User.id == user_id)
    if not user.is_active:
        flash("That account is closed: there is no invitation to send.", "info")
    elif user.password_hash:
        flash(f"{user.name} has already accepted their invitation.", "info")
    else:
        invitations.send_invitation(me(), user, invitations.role_invited_as(user))
        flash(f"A new invitation has been sent to {user.email}. The earlier link no longer works.", "success")
    return redirect(url_for("admin.invitations"))
