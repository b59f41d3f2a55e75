"""People: finding mentees and mentors, a person's state and history, and acting for them."""
from flask import abort, flash, redirect, render_template, request, url_for
from peewee import fn
from playhouse.flask_utils import get_object_or_404

from portal.accounts import details
from portal.admin import bp
from portal.admin.forms import PersonDetailsForm
from portal.admin.lists import Column, Filter, RecordList
from portal.core import audit, links
from portal.core.access import me
from portal.core.htmx import refusal_shown
from portal.core.roles import ADMIN, MENTEE, MENTOR
from portal.mentoring import relationships, sessions
from portal.models import Email, MenteeProfile, MentoringSession, MentorProfile, MentorRequest, Relationship, User
from portal.privacy import erasure, export
from portal.requests import idle
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus

ROLES = {"": "Everyone", MENTEE: "Mentees", MENTOR: "Mentors", ADMIN: "Admins"}
MENTEE_STATES = {"": "Any state", "waiting": "Waiting for an answer", "matched": "Matched",
                 "closed": "Mentoring ended", "deactivated": "Deactivated", "no_request": "Not asked anyone yet"}


def _role(query, role):
    if role == ADMIN:
        return query.where(User.is_admin)
    model = MenteeProfile if role == MENTEE else MentorProfile
    return query.where(User.id.in_(model.select(model.user)))


def _mentee_state(query, state):
    mentees = {
        "waiting": MenteeProfile.select(MenteeProfile.user).join(MentorRequest).where(
            MentorRequest.status == RequestStatus.PENDING),
        "matched": MenteeProfile.select(MenteeProfile.user).join(Relationship, on=(
            Relationship.mentee == MenteeProfile.id)).where(Relationship.status == RelationshipStatus.ACTIVE),
        "closed": MenteeProfile.select(MenteeProfile.user).join(Relationship, on=(
            Relationship.mentee == MenteeProfile.id)).where(
            Relationship.status.in_([RelationshipStatus.CLOSED, RelationshipStatus.WITHDRAWN])),
        "deactivated": MenteeProfile.select(MenteeProfile.user).where(MenteeProfile.deactivated_at.is_null(False)),
        "no_request": MenteeProfile.select(MenteeProfile.user).where(
            MenteeProfile.first_requested_at.is_null() & MenteeProfile.deactivated_at.is_null()),
    }[state]
    return query.where(User.id.in_(mentees))


def _search(query, text):
    return query.where(fn.LOWER(User.name).contains(text.lower()) | User.email.contains(text.lower()))


PEOPLE = RecordList(
    title="People", endpoint="admin.people", noun=("person", "people"),
    rows=lambda: User.select(),
    order=lambda query: query.order_by(fn.LOWER(User.name), User.id),
    filters=[Filter("q", "Name or email", _search, kind="search"), Filter("role", "Role", _role, ROLES),
             Filter("state", "Mentees who are", _mentee_state, MENTEE_STATES)],
    columns=[Column("Name", lambda user: user.name, lambda user: url_for("admin.person", user_id=user.id)),
             Column("Email", lambda user: user.email),
             Column("Joined", lambda user: user.created_at.strftime("%d %b %Y"))])


@bp.route("/people")
def people():
    return PEOPLE.render()


def _user_or_404(user_id: int) -> User:
    user = User.with_roles(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/people/<int:user_id>")
def person(user_id):
    user = _user_or_404(user_id)
    audit.record(me(), "viewed_person", user)
    mentor_user = User.alias()
    context = {"person": user, "emails": list(Email.select(Email.subject, Email.created_at, Email.status)
                                              .where(Email.user == user).order_by(Email.created_at.desc()).limit(50))}
    if user.mentee:
        context["requests"] = list(
            MentorRequest.select(MentorRequest, MentorProfile, mentor_user).join(MentorProfile)
            .join(mentor_user, on=(MentorProfile.user == mentor_user.id))
            .where(MentorRequest.mentee == user.mentee).order_by(MentorRequest.created_at.desc()))
        context["held"] = sessions.held_count(user.mentee.id)
    relationships = Relationship.select().where(
        (Relationship.mentee == (user.mentee.id if user.mentee else 0))
        | (Relationship.mentor == (user.mentor.id if user.mentor else 0))).order_by(Relationship.opened_at.desc())
    context["relationships"] = [
        {"relationship": r, "sessions": list(MentoringSession.select().where(MentoringSession.relationship == r)
                                             .order_by(MentoringSession.starts_at)),
         "mentee": r.mentee_user,
         "mentor": r.mentor_user}
        for r in relationships]
    context["erased"] = erasure.is_erased(user)
    return render_template("admin/person.html", **context)


@bp.route("/people/<int:user_id>/data.json")
def person_data(user_id):
    """A copy of what is held about someone, for them (asked for by phone or post, say)."""
    user = _user_or_404(user_id)
    audit.record(me(), "viewed_person_data", user)
    return export.download(user)


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
def erase_person(user_id):
    """Erasure asked for outside the portal (by phone, say), or for someone who never logged in."""
    user = _user_or_404(user_id)
    if request.method == "GET" and not erasure.is_erased(user):
        return render_template("admin/confirm.html", title=f"Erase {user.name}'s data?",
                               consequences=erasure.CONSEQUENCES,
                               action=url_for("admin.erase_person", user_id=user.id), button="Erase their data",
                               back=url_for("admin.person", user_id=user.id))
    with refusal_shown():
        erasure.erase(user, me())
        flash("Their data has been erased. Anyone they were mentoring with, or waiting on, has been told.", "success")
    return redirect(url_for("admin.person", user_id=user.id))


@bp.route("/people/<int:user_id>/details", methods=["GET", "POST"])
def person_details(user_id):
    """A name or address put right by the team. A mentor's name is part of their register profile (with its
    history), so it is changed there."""
    user = _user_or_404(user_id)
    if erasure.is_erased(user):
        flash("Their data has been erased: there are no details to change.", "info")
        return redirect(url_for("admin.person", user_id=user.id))
    if request.method == "GET":
        audit.record(me(), "viewed_person", user)
    form = PersonDetailsForm(data={"name": user.name, "email": user.email} if request.method == "GET" else None)
    if user.mentor:
        del form.name
    if form.validate_on_submit():
        with refusal_shown(form.email):
            changed = details.change_by_team(user, me(), name=form.name.data if form.name else None,
                                             email=form.email.data)
            flash(f"Their {' and '.join(changed)} {'is' if len(changed) == 1 else 'are'} changed." if changed
                  else "Nothing has changed.", "success" if changed else "info")
            return redirect(url_for("admin.person", user_id=user.id))
    return render_template("admin/person_details.html", form=form, person=user), 400 if form.errors else 200


@bp.route("/people/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id):
    """Closing a mentee's account by hand, as the sweep does when no mentor is chosen in time: asked first."""
    user = _user_or_404(user_id)
    if user.mentee is None:
        abort(404)
    back = url_for("admin.person", user_id=user.id)
    if request.method == "GET":
        problem = idle.why_not_deactivate(user.mentee)
        if problem:
            return render_template("admin/confirm.html", title=f"{user.name}'s mentee account stays open",
                                   refusal=problem, back=back)
        return render_template("admin/confirm.html", title=f"Deactivate {user.name}'s mentee account?",
                               consequences=[f"{user.first_name} can no longer look for a mentor or ask one.",
                                             "They leave any waiting list they are on.",
                                             "They are told by email, and can ask the team to open it again.",
                                             "Reopening it later gives them a new period to choose a mentor."],
                               action=url_for("admin.deactivate", user_id=user.id),
                               button="Deactivate the account", back=back)
    with refusal_shown():
        idle.deactivate(user.mentee, me())
        flash(f"{user.name}'s mentee account is deactivated. They have been told.", "success")
    return redirect(back)


@bp.route("/people/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id):
    user = _user_or_404(user_id)
    if user.mentee is None:
        abort(404)
    if idle.reactivate(user.mentee, me()):
        flash(f"{user.name}'s account is open again, with a new period to choose a mentor.", "success")
    else:
        flash(f"{user.name}'s account is already open: nothing to do.", "info")
    return redirect(url_for("admin.person", user_id=user.id))


def _relationship_or_404(relationship_id: int) -> Relationship:
    return get_object_or_404(Relationship, Relationship.id == relationship_id)


@bp.route("/relationships/<int:relationship_id>/withdraw", methods=["GET", "POST"])
def withdraw(relationship_id):
    relationship = _relationship_or_404(relationship_id)
    if request.method == "GET":
        return render_template("admin/confirm.html", title="End this mentoring?",
                               consequences=["Both will be told by email that the mentoring has ended.",
                                             "Sessions already held still count towards the mentee's allowance.",
                                             "Sessions still planned are cancelled.",
                                             "The mentee can then ask another mentor."],
                               action=url_for("admin.withdraw", relationship_id=relationship.id),
                               button="End the mentoring",
                               back=links.local_path(request.args.get("back"), url_for("admin.home")))
    if relationships.withdraw(relationship, me()):
        flash("The mentoring has ended. Both have been told.", "success")
    else:
        flash("That mentoring had already ended.", "info")
    return redirect(url_for("admin.person", user_id=relationship.mentee_user.id))


@bp.route("/relationships/<int:relationship_id>/grant", methods=["POST"])
def grant(relationship_id):
    relationship = _relationship_or_404(relationship_id)
    with refusal_shown():
        allowed = relationships.grant_more(relationship, me())
        flash(f"Agreed: {allowed} sessions in all.", "success")
    return redirect(request.referrer or url_for("admin.home"))


@bp.route("/relationships/<int:relationship_id>/close", methods=["POST"])
def close_relationship(relationship_id):
    relationship = _relationship_or_404(relationship_id)
    if relationships.close(relationship, me(), ADMIN, "closed by the team"):
        flash("The mentoring is closed; the mentee will be sent the evaluation survey.", "success")
    else:
        flash("That mentoring had already ended.", "info")
    return redirect(request.referrer or url_for("admin.home"))
