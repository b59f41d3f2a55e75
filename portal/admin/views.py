"""The admin home (the dashboard) and invitations: sending, sending again, cancelling."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from playhouse.flask_utils import get_object_or_404

from portal.accounts import invitations
from portal.admin import bp, dashboard
from portal.admin.forms import InviteForm
from portal.core.access import me
from portal.models import User
from portal.privacy import erasure


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


@bp.route("/invitations/<int:user_id>/cancel", methods=["GET", "POST"])
def cancel_invitation(user_id):
    user = get_object_or_404(User, User.id == user_id)
    if not user.is_active or user.password_hash:
        flash(f"{user.name} has no invitation waiting: there is nothing to cancel.", "info")
        return redirect(url_for("admin.invitations"))
    if request.method == "GET":
        entry = ", with the register entry made for them" if user.mentor else ""
        consequences = ["The link we sent them stops working.", f"Their name and email address are deleted{entry}.",
                        "To invite them later, invite them again."]
        return render_template("admin/confirm.html", title=f"Cancel the invitation to {user.name}?",
                               consequences=consequences, action=url_for("admin.cancel_invitation", user_id=user.id),
                               button="Cancel the invitation", back=url_for("admin.invitations"))
    if erasure.cancel_invitation(user, me()):
        flash(f"The invitation to {user.name} is cancelled.", "success")
    else:
        flash(f"{user.name} has just accepted their invitation, so it was not cancelled.", "info")
    return redirect(url_for("admin.invitations"))
