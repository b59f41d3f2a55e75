"""People: finding mentees and mentors, a person's state and history, and acting for them."""
from flask import abort, flash, redirect, render_template, request, url_for
from peewee import JOIN, SQL, fn
from playhouse.flask_utils import get_object_or_404

from portal.accounts import details
from portal.admin import bp
from portal.admin.forms import PersonDetailsForm
from portal.admin.lists import Column, Filter, RecordList
from portal.core import audit, clock, links
from portal.core.access import me
from portal.core.htmx import refusal_shown
from portal.core.roles import ADMIN, MENTEE, MENTOR
from portal.mentoring import relationships, sessions
from portal.models import (Email, MenteeProfile, MentoringSession, MentorProfile, MentorRequest, Relationship, User,
                           on_leave_on)
from portal.privacy import erasure, export
from portal.register import availability
from portal.requests import idle
from portal.rules import availability as availability_rules
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus

ROLES = {"": "Everyone", MENTEE: "Mentees", MENTOR: "Mentors", ADMIN: "Admins"}
STATES = {"": "Any state", "waiting": "Mentees waiting for an answer", "matched": "Mentees matched",
          "closed": "Mentees whose mentoring ended", "deactivated": "Mentees deactivated",
          "no_request": "Mentees who have not asked anyone yet", "on_leave": "Mentors on leave today",
          "paused": "Mentors paused"}


def _role(query, role):
    if role == ADMIN:
        return query.where(User.is_admin)
    model = MenteeProfile if role == MENTEE else MentorProfile
    return query.where(User.id.in_(model.select(model.user)))


def _state(query, state):
    people = {
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
        "on_leave": MentorProfile.select(MentorProfile.user).where(on_leave_on(clock.today_london())),
        "paused": MentorProfile.select(MentorProfile.user).where(MentorProfile.paused),
    }[state]
    return query.where(User.id.in_(people))


def _search(query, text):
    return query.where(fn.LOWER(User.name).contains(text.lower()) | User.email.contains(text.lower()))


def _people():
    """Everyone with both their profiles and where a mentee stands, in the page's one query: each
    EXISTS looks at one mentee's own rows through an index, so the rows shown cost nothing more."""
    def mentee_has(rows):
        return fn.EXISTS(rows.select(SQL("1")).where(rows.model.mentee == MenteeProfile.id))
    return (User.select(User, MenteeProfile, MentorProfile,
                        mentee_has(MentorRequest.select().where(MentorRequest.status == RequestStatus.PENDING))
                        .alias("is_waiting"),
                        mentee_has(Relationship.select().where(Relationship.status == RelationshipStatus.ACTIVE))
                        .alias("is_matched"),
                        mentee_has(Relationship.select().where(Relationship.status.in_(
                            [RelationshipStatus.CLOSED, RelationshipStatus.WITHDRAWN]))).alias("has_ended"))
            .join(MenteeProfile, JOIN.LEFT_OUTER, on=(MenteeProfile.user == User.id), attr="_mentee")
            .switch(User)
            .join(MentorProfile, JOIN.LEFT_OUTER, on=(MentorProfile.user == User.id), attr="_mentor"))


def _profile(user, role):
    # A LEFT JOIN that found no profile still gives one, every column empty.
    profile = getattr(user, f"_{role}", None)
    return profile if profile is not None and profile.id is not None else None


def _roles_of(user) -> str:
    held = [name for name, holds in (("Mentee", _profile(user, MENTEE)), ("Mentor", _profile(user, MENTOR)),
                                     ("Admin", user.is_admin)) if holds]
    return ", ".join(held) or "None"


def _mentee_standing(user, mentee) -> str:
    if mentee.deactivated_at:
        return "Deactivated"
    if user.is_matched:
        return "Matched"
    if user.is_waiting:
        return "Waiting for an answer"
    if user.has_ended:
        return "Mentoring ended"
    return "Not asked anyone yet" if mentee.first_requested_at is None else "Choosing another mentor"


def _standing(user) -> str:
    """Where each of the person's roles stands today, in the words of their own pages."""
    if not user.is_active:
        return "Account closed"
    found = []
    if mentee := _profile(user, MENTEE):
        found.append(("Mentee", _mentee_standing(user, mentee)))
    if mentor := _profile(user, MENTOR):
        found.append(("Mentor", availability.STATES[availability_rules.state(
            login_set_up=bool(user.password_hash), listed=mentor.listed, paused=mentor.paused,
            leave_from=mentor.leave_from, leave_until=mentor.leave_until, capacity=mentor.capacity,
            places_taken=mentor.places_taken, today=clock.today_london())]))
    if not found:
        return "" if user.password_hash else "Login not set up yet"
    if len(found) == 1:
        return found[0][1]
    return "; ".join(f"{role}: {words[0].lower()}{words[1:]}" for role, words in found)


PEOPLE = RecordList(
    title="People", endpoint="admin.people", noun=("person", "people"),
    rows=_people,
    order=lambda query: query.order_by(fn.LOWER(User.name), User.id),
    filters=[Filter("q", "Name or email", _search, kind="search"), Filter("role", "Role", _role, ROLES),
             Filter("state", "State", _state, STATES)],
    columns=[Column("Name", lambda user: user.name, lambda user: url_for("admin.person", user_id=user.id)),
             Column("Email", lambda user: user.email),
             Column("Role", _roles_of),
             Column("State", _standing),
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
