"""The shared inbox: concerns, cancellations, withdrawals, reactivations, requests for more sessions,
interest in mentoring (an invitation in one step). Each item can be assigned, answered by email and closed."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from peewee import JOIN
from playhouse.flask_utils import get_object_or_404
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.accounts import invitations
from portal.admin import bp
from portal.admin.lists import Column, Filter, RecordList
from portal.core import audit, inbox
from portal.core.access import me
from portal.core.forms import choices, strip
from portal.core.htmx import refusal_shown
from portal.mentoring import relationships
from portal.models import InboxItem, InboxReply, InboxStatus, Relationship, User
from portal.privacy import erasure
from portal.requests import idle


class ReplyForm(FlaskForm):
    message = TextAreaField("Your reply", filters=[strip],
                            description="Sent by email from the scheme's address, as you write it here.",
                            validators=[DataRequired("Write your reply"),
                                        Length(max=5000, message="A reply must be 5,000 characters or fewer")])


class AssignForm(FlaskForm):
    admin = SelectField("Assign to", validate_choice=False)


STATUSES = {InboxStatus.OPEN: "Open", InboxStatus.CLOSED: "Closed", "": "Open and closed"}


def _admins() -> dict:
    return {str(u.id): u.name for u in User.select().where(User.is_admin).order_by(User.name)}


def _inbox_list() -> RecordList:
    assignee = User.alias()
    return RecordList(
        title="Inbox", endpoint="admin.inbox_list", noun=("item", "items"),
        defaults={"status": InboxStatus.OPEN},  # what needs doing, unless asked otherwise
        rows=lambda: InboxItem.select(InboxItem, assignee).join(
            assignee, JOIN.LEFT_OUTER, on=(InboxItem.assigned_to == assignee.id)),
        order=lambda query: query.order_by(InboxItem.created_at),
        filters=[
            Filter("status", "Status", lambda q, v: q.where(InboxItem.status == v), STATUSES),
            Filter("kind", "What", lambda q, v: q.where(InboxItem.kind == v), {"": "Everything", **inbox.KINDS}),
            Filter("assigned", "Assigned to", lambda q, v: q.where(InboxItem.assigned_to.is_null())
                   if v == "nobody" else q.where(InboxItem.assigned_to == int(v)),
                   {"": "Anyone", "nobody": "Nobody", **_admins()}),
        ],
        columns=[
            Column("What", lambda item: inbox.KINDS.get(item.kind, item.kind),
                   lambda item: url_for("admin.inbox_item", item_id=item.id)),
            Column("From", lambda item: item.name),
            Column("Received", lambda item: current_app.jinja_env.filters["date_time"](item.created_at)),
            Column("Assigned to", lambda item: item.assigned_to.name if item.assigned_to_id else "Nobody"),
            Column("Status", lambda item: item.status.capitalize()),
        ])


@bp.route("/inbox")
def inbox_list():
    return _inbox_list().render()


def _item_or_404(item_id: int) -> InboxItem:
    return get_object_or_404(InboxItem, InboxItem.id == item_id)


def _relationship_of(item: InboxItem) -> Relationship | None:
    relationship_id = (item.details or {}).get("relationship")
    return Relationship.get_or_none(Relationship.id == relationship_id) if relationship_id else None


@bp.route("/inbox/<int:item_id>", methods=["GET", "POST"])
def inbox_item(item_id):
    item = _item_or_404(item_id)
    form = ReplyForm(message=inbox.greeting(item))
    if form.validate_on_submit():
        inbox.reply(item, me(), form.message.data)
        flash(f"Your reply has been sent to {item.email}.", "success")
        return redirect(url_for("admin.inbox_item", item_id=item.id))
    if request.method == "GET":
        audit.record(me(), "viewed_inbox_item", item)
    assign = AssignForm(admin=str(item.assigned_to_id or ""))
    assign.admin.choices = choices([("", "Nobody"), *_admins().items()])
    account = item.user or (User.get_or_none(User.email == item.email) if item.email else None)
    return render_template("admin/inbox_item.html", item=item, kinds=inbox.KINDS, form=form, assign=assign,
                           relationship=_relationship_of(item), account=account,
                           what_happened=inbox.what_happened(item), told=inbox.TOLD,
                           replies=_replies(item)), 400 if form.errors else 200


def _replies(item: InboxItem):
    by = User.alias()
    return (InboxReply.select(InboxReply, by).join(by, JOIN.LEFT_OUTER, on=(InboxReply.by == by.id))
            .where(InboxReply.item == item.id).order_by(InboxReply.sent_at, InboxReply.id))


@bp.route("/inbox/<int:item_id>/assign", methods=["POST"])
def assign_inbox_item(item_id):
    item = _item_or_404(item_id)
    admins = _admins()
    chosen = request.form.get("admin", "")
    if chosen and chosen not in admins:
        flash("Choose an admin from the list.", "error")
    else:
        inbox.assign(item, User.get_by_id(int(chosen)) if chosen else None, me())
        flash(f"Assigned to {admins[chosen]}." if chosen else "No longer assigned.", "success")
    return redirect(url_for("admin.inbox_item", item_id=item.id))


@bp.route("/inbox/<int:item_id>/close", methods=["POST"])
def close_inbox_item(item_id):
    _item_or_404(item_id)
    if inbox.close(item_id, me()):
        flash("Item closed.", "success")
    else:
        flash("Someone else closed that item already.", "info")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/inbox/<int:item_id>/erase", methods=["POST"])
def erase_from_inbox(item_id):
    item = _item_or_404(item_id)
    if item.user is None:
        return _erase_address(item)
    if item.kind != erasure.ERASURE:
        abort(404)
    if item.status != InboxStatus.OPEN:
        flash("That request has been dealt with already.", "info")
        return redirect(url_for("admin.inbox_item", item_id=item.id))
    with refusal_shown():
        erasure.erase(item.user, me(), item)
        flash("Their data has been erased. Anyone they were mentoring with, or waiting on, has been told.", "success")
        return redirect(url_for("admin.inbox_list"))
    return redirect(url_for("admin.inbox_item", item_id=item.id))


def _erase_address(item: InboxItem):
    """Someone with no account (who registered interest, say), known only by their address."""
    with refusal_shown():
        erasure.erase_address(item, me())
        flash("Their details have been erased.", "success")
        return redirect(url_for("admin.inbox_list"))
    return redirect(url_for("admin.inbox_item", item_id=item.id))


@bp.route("/inbox/<int:item_id>/reactivate", methods=["POST"])
def reactivate_from_inbox(item_id):
    item = _item_or_404(item_id)
    if item.kind != "reactivation" or item.user is None or item.user.mentee is None:
        abort(404)
    if idle.reactivate(item.user.mentee, me()):
        flash(f"{item.user.name}'s account is open again, with a new period to choose a mentor.", "success")
    else:
        inbox.close(item.id, me())
        flash(f"{item.user.name}'s account is already open: nothing to do.", "info")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/inbox/<int:item_id>/invite", methods=["POST"])
def invite_from_inbox(item_id):
    item = _item_or_404(item_id)
    if item.kind != "interest" or not item.email:
        abort(404)
    if invitations.invite_from_interest(item, me()) is None:
        flash("Someone else closed that item already.", "info")
        return redirect(url_for("admin.inbox_item", item_id=item.id))
    flash(f"{item.name} is invited as a peer mentor: we have emailed {item.email}. Their register entry waits for "
          "their bio.", "success")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/inbox/<int:item_id>/withdraw", methods=["POST"])
def withdraw_from_inbox(item_id):
    item = _item_or_404(item_id)
    relationship = _relationship_of(item)
    if item.kind != "withdrawal" or relationship is None:
        abort(404)
    if relationships.withdraw(relationship, me(), item):
        flash("The mentoring has ended. Both have been told.", "success")
    else:
        inbox.close(item.id, me())
        flash("That mentoring had already ended.", "info")
    return redirect(url_for("admin.inbox_list"))


@bp.route("/inbox/<int:item_id>/grant", methods=["POST"])
def grant_from_inbox(item_id):
    item = _item_or_404(item_id)
    relationship = _relationship_of(item)
    if item.kind != "more_sessions" or relationship is None:
        abort(404)
    with refusal_shown():
        allowed = relationships.grant_more(relationship, me(), item)
        flash(f"Agreed: {item.name} can now have {allowed} sessions in all.", "success")
    return redirect(url_for("admin.inbox_list"))
