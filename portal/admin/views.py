"""Admin home, invitations and the inbox."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import accounts, inbox, matching, sessions, survey
from ..models import InboxItem, Relationship, User
from . import bp
from .forms import InviteForm


@bp.route("/")
def home():
    return render_template("admin/home.html", open_items=inbox.open_items().count(),
                           pending=accounts.pending_invitations().count())


@bp.route("/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        accounts.invite(current_user._get_current_object(), form.name.data, form.email.data, form.role.data)
        flash(f"Invitation sent to {form.email.data}.", "success")
        return redirect(url_for("admin.invitations"))
    return render_template("admin/invite.html", form=form)


@bp.route("/invitations")
def invitations():
    return render_template("admin/invitations.html", people=accounts.pending_invitations())


@bp.route("/invitations/<int:user_id>/resend", methods=["POST"])
def resend_invitation(user_id):
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    if user.password_hash:
        flash(f"{user.name} has already accepted their invitation.", "info")
    else:
        accounts.send_invitation(current_user._get_current_object(), user, accounts.role_invited_as(user))
        flash(f"A new invitation has been sent to {user.email}. The earlier link no longer works.", "success")
    return redirect(url_for("admin.invitations"))


@bp.route("/inbox")
def inbox_list():
    return render_template("admin/inbox.html", items=inbox.open_items(), kinds=inbox.KINDS)


@bp.route("/inbox/<int:item_id>")
def inbox_item(item_id):
    item = InboxItem.get_or_none(InboxItem.id == item_id)
    if item is None:
        abort(404)
    relationship = Relationship.get_or_none(Relationship.id == (item.details or {}).get("relationship")) \
        if item.kind in ("withdrawal", "more_sessions") else None
    return render_template("admin/inbox_item.html", item=item, kinds=inbox.KINDS, relationship=relationship)


@bp.route("/inbox/<int:item_id>/close", methods=["POST"])
def close_inbox_item(item_id):
    if inbox.close(item_id, current_user._get_current_object()):
        flash("Item closed.", "success")
    else:
        flash("Someone else closed that item already.", "info")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/inbox/<int:item_id>/reactivate", methods=["POST"])
def reactivate_from_inbox(item_id):
    item = InboxItem.get_or_none(InboxItem.id == item_id)
    if item is None or item.kind != "reactivation" or item.user is None or item.user.mentee is None:
        abort(404)
    if matching.reactivate(item.user.mentee, current_user._get_current_object()):
        flash(f"{item.user.name}'s account is open again, with a new period to choose a mentor.", "success")
    else:
        inbox.close(item.id, current_user._get_current_object())
        flash(f"{item.user.name}'s account is already open: nothing to do.", "info")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/inbox/<int:item_id>/withdraw", methods=["POST"])
def withdraw_from_inbox(item_id):
    item = InboxItem.get_or_none(InboxItem.id == item_id)
    relationship = Relationship.get_or_none(Relationship.id == (item.details or {}).get("relationship")) if item else None
    if item is None or item.kind != "withdrawal" or relationship is None:
        abort(404)
    if matching.withdraw(relationship, current_user._get_current_object(), item):
        flash("The mentoring has ended. Both have been told.", "success")
    else:
        inbox.close(item.id, current_user._get_current_object())
        flash("That mentoring had already ended.", "info")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/inbox/<int:item_id>/grant", methods=["POST"])
def grant_from_inbox(item_id):
    item = InboxItem.get_or_none(InboxItem.id == item_id)
    relationship = Relationship.get_or_none(Relationship.id == (item.details or {}).get("relationship")) if item else None
    if item is None or item.kind != "more_sessions" or relationship is None:
        abort(404)
    try:
        allowed = sessions.grant_more(relationship, current_user._get_current_object(), item)
        flash(f"Agreed: {item.name} can now have {allowed} sessions in all.", "success")
    except sessions.SessionRefused as refused:
        flash(str(refused), "error")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/relationships/<int:relationship_id>/close", methods=["POST"])
def close_relationship(relationship_id):
    relationship = Relationship.get_or_none(Relationship.id == relationship_id)
    if relationship is None:
        abort(404)
    if sessions.close(relationship, current_user._get_current_object(), "admin", "closed by the team"):
        flash("The mentoring is closed; the mentee will be sent the evaluation survey.", "success")
    else:
        flash("That mentoring had already ended.", "info")
    return redirect(request.referrer or url_for("admin.home"))


@bp.route("/survey")
def survey_results():
    return render_template("admin/survey.html", results=survey.results(),
                           smallest=current_app.config["SMALLEST_GROUP"])
