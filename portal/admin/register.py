"""The mentor register: the list, creating a mentor from their bio, editing, availability, listing."""
from flask import flash, redirect, render_template, request, url_for
from peewee import JOIN, fn
from playhouse.flask_utils import get_object_or_404

from portal.accounts import invitations, logins
from portal.admin import bp
from portal.admin.lists import Column, Filter, RecordList
from portal.core import audit, clock
from portal.core.access import me
from portal.core.roles import MENTOR
from portal.models import (MentorProfile, MentorRequest, ProfileChange, Relationship, User, WaitlistEntry, mentor_state,
                           on_leave_on)
from portal.register import availability, profiles
from portal.register.editing import (availability_status, profile_form_data, profile_status, save_availability,
                                     save_profile)
from portal.register.forms import AvailabilityForm, NewMentorForm, ProfileEditForm, TrainingForm
from portal.register.uploads import pending_key, take_photo
from portal.requests import waitlist
from portal.rules.availability import MentorState
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus

STATES = {
    "": "Everyone",
    "listed": "On the register",
    "unlisted": "Off the register",
    "paused": "Paused",
    "leave": "On leave today",
    "full": "Full",
    "invited": "Not yet set up",
}


def _state_condition(query, state: str):
    today = clock.today_london()
    return query.where({
        "listed": MentorProfile.listed,
        "unlisted": ~MentorProfile.listed,
        "paused": MentorProfile.paused,
        "leave": on_leave_on(today),
        "full": MentorProfile.listed & (MentorProfile.places_taken >= MentorProfile.capacity),
        "invited": User.password_hash.is_null() & User.is_active,
    }[state])


REGISTER = RecordList(
    title="Mentor register", endpoint="admin.mentors_list", noun=("mentor", "mentors"),
    rows=lambda: MentorProfile.select(MentorProfile, User).join(User),
    order=lambda query: query.order_by(fn.LOWER(User.name), MentorProfile.id),
    filters=[Filter("q", "Name or email", lambda q, text: q.where(fn.LOWER(User.name).contains(text.lower())
                                                                  | User.email.contains(text.lower())),
                    kind="search"),
             Filter("state", "Show", _state_condition, STATES)],
    columns=[Column("Name", lambda m: m.user.name, lambda m: url_for("admin.mentor", mentor_id=m.id)),
             Column("State", lambda m: availability.STATES[mentor_state(m, clock.today_london())]),
             Column("Places", lambda m: f"{m.places_taken} of {m.capacity}"),
             Column("Training", lambda m: "Both parts" if m.course_part1_on and m.course_part2_on
                    else "Part 1" if m.course_part1_on else "Not recorded")])


@bp.route("/mentors")
def mentors_list():
    return REGISTER.render(actions=[("Add a mentor from their bio", url_for("admin.new_mentor")),
                                    ("Import a CSV file", url_for("admin.import_upload"))])


def _mentor_or_404(mentor_id: int) -> MentorProfile:
    return get_object_or_404(MentorProfile.select(MentorProfile, User).join(User), MentorProfile.id == mentor_id)


@bp.route("/mentors/new", methods=["GET", "POST"])
def new_mentor():
    form = NewMentorForm()
    if form.is_submitted():
        valid = form.validate()
        photo_key = take_photo(form)
        existing = logins.find(form.email.data or "")
        if existing and existing.mentor:
            form.email.errors.append("This person is already a mentor: find them in the register")
            valid = False
        if valid and not form.photo.errors:
            mentor = profiles.create(me(), name=form.name.data, email=form.email.data,
                                    values=form.values(), photo_key=photo_key, capacity=form.capacity.data)
            if form.send_invitation.data:
                invitations.send_invitation(me(), mentor.user, MENTOR)
                flash(f"{form.name.data} is on the register and has been sent an invitation.", "success")
            else:
                flash(f"{form.name.data} is on the register. Send the invitation when you are ready.", "success")
            return redirect(url_for("admin.mentor", mentor_id=mentor.id))
    return render_template("admin/mentor_form.html", form=form, mentor=None, pending=pending_key(form))


@bp.route("/mentors/<int:mentor_id>")
def mentor(mentor_id):
    found = _mentor_or_404(mentor_id)
    audit.record(me(), "viewed_mentor_entry", found.user)
    return mentor_page(found)


def mentor_page(mentor: MentorProfile, training=None):
    history = (ProfileChange.select(ProfileChange, User).join(User, JOIN.LEFT_OUTER, on=ProfileChange.changed_by)
               .where(ProfileChange.mentor == mentor).order_by(ProfileChange.changed_at.desc()).limit(50))
    state = mentor_state(mentor, clock.today_london())
    # A mentor with a free place has no one waiting (a freed place goes to the list at once): no need to look.
    return render_template("admin/mentor.html", mentor=mentor, choices=profiles.choices_of(mentor), history=history,
                           labels=profiles.LABELS, state=state, states=availability.STATES,
                           training=training or TrainingForm(obj=mentor),
                           queue=[] if state == MentorState.OPEN else waitlist.queue_of(mentor))


@bp.route("/mentors/<int:mentor_id>/edit", methods=["GET", "POST"])
def edit_mentor(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    if request.method == "GET":
        audit.record(me(), "viewed_mentor_entry", mentor.user)
    form = ProfileEditForm(data=profile_form_data(mentor))
    saved, _ = save_profile(form, mentor, me())
    if saved:
        flash("The profile is saved.", "success")
        return redirect(url_for("admin.mentor", mentor_id=mentor.id))
    return render_template("admin/mentor_form.html", form=form, mentor=mentor,
                           pending=pending_key(form)), profile_status(form)


@bp.route("/mentors/<int:mentor_id>/availability", methods=["GET", "POST"])
def mentor_availability(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    if request.method == "GET":
        audit.record(me(), "viewed_mentor_entry", mentor.user)
    form = AvailabilityForm(obj=mentor)
    if save_availability(form, mentor, me()):
        flash("Availability saved.", "success")
        return redirect(url_for("admin.mentor", mentor_id=mentor.id))
    return render_template("register/availability.html", form=form, mentor=mentor, admin=True), availability_status(form)


def _consequences(mentor: MentorProfile) -> list[str]:
    """What taking a mentor away (off the register, or paused) does to the mentees they have."""
    active = Relationship.select().where((Relationship.mentor == mentor)
                                         & (Relationship.status == RelationshipStatus.ACTIVE)).count()
    waiting = MentorRequest.select().where((MentorRequest.mentor == mentor)
                                           & (MentorRequest.status == RequestStatus.PENDING)).count()
    queued = WaitlistEntry.select().where((WaitlistEntry.mentor == mentor)
                                          & WaitlistEntry.status.in_(waitlist.OPEN)).count()
    return [
        f"{mentor.user.first_name} disappears from the directory, so no new mentee can ask them.",
        f"Their {active} current {'mentee keeps' if active == 1 else 'mentees keep'} their mentoring as it is.",
        f"{waiting} {'request' if waiting == 1 else 'requests'} waiting for their answer "
        f"{'is' if waiting == 1 else 'are'} closed at once, and the {'mentee is' if waiting == 1 else 'mentees are'} "
        "told and sent back to the directory.",
        f"{queued} {'person stays' if queued == 1 else 'people stay'} on their waiting list until they return.",
    ]


@bp.route("/mentors/<int:mentor_id>/listing", methods=["GET", "POST"])
def mentor_listing(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    listed = request.values.get("listed") == "yes"
    if request.method == "GET" and not listed:
        return render_template("admin/confirm.html", title=f"Take {mentor.user.name} off the register?",
                               consequences=_consequences(mentor), hidden={"listed": "no"},
                               action=url_for("admin.mentor_listing", mentor_id=mentor.id),
                               button="Take off the register", back=url_for("admin.mentor", mentor_id=mentor.id))
    if request.method == "POST":
        availability.set_listed(mentor, me(), listed)
        flash(f"{mentor.user.name} is {'back on' if listed else 'off'} the register.", "success")
    return redirect(url_for("admin.mentor", mentor_id=mentor.id))


@bp.route("/mentors/<int:mentor_id>/pause", methods=["GET", "POST"])
def pause_mentor(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    if request.method == "GET":
        return render_template("admin/confirm.html", title=f"Pause {mentor.user.name}?",
                               consequences=_consequences(mentor),
                               action=url_for("admin.pause_mentor", mentor_id=mentor.id), button="Pause",
                               back=url_for("admin.mentor", mentor_id=mentor.id))
    availability.set_availability(mentor, me(), paused=True)
    flash(f"{mentor.user.name} is paused.", "success")
    return redirect(url_for("admin.mentor", mentor_id=mentor.id))


@bp.route("/mentors/<int:mentor_id>/training", methods=["POST"])
def mentor_training(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    form = TrainingForm()
    if form.validate_on_submit():
        profiles.set_training(mentor, me(), **{
            name: form[name].data for name in ("course_part1_on", "course_part2_on", "last_supervision_on")})
        flash("Training and supervision dates saved.", "success")
        return redirect(url_for("admin.mentor", mentor_id=mentor.id))
    return mentor_page(mentor, training=form), 400


@bp.route("/mentors/<int:mentor_id>/invite", methods=["POST"])
def invite_mentor(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    invitations.send_invitation(me(), mentor.user, MENTOR)
    flash(f"Invitation sent to {mentor.user.email}.", "success")
    return redirect(url_for("admin.mentor", mentor_id=mentor.id))
