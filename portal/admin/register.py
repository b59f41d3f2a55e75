"""The mentor register: the list, creating a mentor from their bio, editing, availability, listing."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN, fn

from .. import accounts, clock, listing, mentors
from ..mentor.editing import profile_form_data, save_availability, save_profile
from ..mentor.forms import AvailabilityForm, MentorProfileForm, NewMentorForm
from ..mentor.uploads import pending_key, take_photo
from ..models import MentorProfile, ProfileChange, User
from . import bp

STATES = {
    "": "Everyone",
    "listed": "On the register",
    "unlisted": "Off the register",
    "paused": "Paused",
    "leave": "On leave today",
    "full": "Full",
    "invited": "Not yet set up",
}


def _state_condition(state: str):
    today = clock.today_london()
    return {
        "listed": MentorProfile.listed,
        "unlisted": ~MentorProfile.listed,
        "paused": MentorProfile.paused,
        "leave": MentorProfile.leave_from.is_null(False) & (MentorProfile.leave_from <= today)
        & (MentorProfile.leave_until >= today),
        "full": MentorProfile.places_taken >= MentorProfile.capacity,
        "invited": User.password_hash.is_null(),
    }.get(state)


@bp.route("/mentors")
def mentors_list():
    q = " ".join(request.args.get("q", "").split())[:100]
    state = request.args.get("state", "")
    state = state if state in STATES else ""
    query = MentorProfile.select(MentorProfile, User).join(User)
    if q:
        query = query.where(fn.LOWER(User.name).contains(q.lower()) | User.email.contains(q.lower()))
    if _state_condition(state) is not None:
        query = query.where(_state_condition(state))
    page = listing.paginate(query.order_by(fn.LOWER(User.name), MentorProfile.id), listing.page_number(request.args),
                            25)
    return render_template("admin/mentors.html", page=page, q=q, state=state, states=STATES,
                           args={k: v for k, v in {"q": q, "state": state}.items() if v},
                           today=clock.today_london(), mentor_state=mentors.state, mentor_states=mentors.STATES)


def _mentor_or_404(mentor_id: int) -> MentorProfile:
    mentor = MentorProfile.select(MentorProfile, User).join(User).where(MentorProfile.id == mentor_id).first()
    if mentor is None:
        abort(404)
    return mentor


@bp.route("/mentors/new", methods=["GET", "POST"])
def new_mentor():
    form = NewMentorForm()
    if form.is_submitted():
        valid = form.validate()
        photo_key = take_photo(form)
        existing = accounts.find(form.email.data or "")
        if existing and existing.mentor:
            form.email.errors.append("This person is already a mentor: find them in the register")
            valid = False
        if valid and not form.photo.errors:
            mentor = mentors.create(current_user._get_current_object(), name=form.name.data, email=form.email.data,
                                    values=form.values(), photo_key=photo_key, capacity=form.capacity.data)
            if form.send_invitation.data:
                accounts.send_invitation(current_user._get_current_object(), mentor.user, "mentor")
                flash(f"{form.name.data} is on the register and has been sent an invitation.", "success")
            else:
                flash(f"{form.name.data} is on the register. Send the invitation when you are ready.", "success")
            return redirect(url_for("admin.mentor", mentor_id=mentor.id))
    return render_template("admin/mentor_form.html", form=form, mentor=None, pending=pending_key(form))


@bp.route("/mentors/<int:mentor_id>")
def mentor(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    history = (ProfileChange.select(ProfileChange, User).join(User, JOIN.LEFT_OUTER, on=ProfileChange.changed_by)
               .where(ProfileChange.mentor == mentor).order_by(ProfileChange.changed_at.desc()).limit(50))
    return render_template("admin/mentor.html", mentor=mentor, choices=mentors.choices_of(mentor), history=history,
                           labels=mentors.LABELS, state=mentors.state(mentor, clock.today_london()),
                           states=mentors.STATES)


@bp.route("/mentors/<int:mentor_id>/edit", methods=["GET", "POST"])
def edit_mentor(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    form = MentorProfileForm(data=profile_form_data(mentor))
    saved, _ = save_profile(form, mentor, current_user._get_current_object())
    if saved:
        flash("The profile is saved.", "success")
        return redirect(url_for("admin.mentor", mentor_id=mentor.id))
    return render_template("admin/mentor_form.html", form=form, mentor=mentor, pending=pending_key(form))


@bp.route("/mentors/<int:mentor_id>/availability", methods=["GET", "POST"])
def mentor_availability(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    form = AvailabilityForm(obj=mentor)
    if save_availability(form, mentor, current_user._get_current_object()):
        flash("Availability saved.", "success")
        return redirect(url_for("admin.mentor", mentor_id=mentor.id))
    return render_template("mentor/availability.html", form=form, mentor=mentor, admin=True)


@bp.route("/mentors/<int:mentor_id>/listing", methods=["POST"])
def mentor_listing(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    listed = request.form.get("listed") == "yes"
    mentors.set_listed(mentor, current_user._get_current_object(), listed)
    flash(f"{mentor.user.name} is {'back on' if listed else 'off'} the register.", "success")
    return redirect(url_for("admin.mentor", mentor_id=mentor.id))


@bp.route("/mentors/<int:mentor_id>/invite", methods=["POST"])
def invite_mentor(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    accounts.send_invitation(current_user._get_current_object(), mentor.user, "mentor")
    flash(f"Invitation sent to {mentor.user.email}.", "success")
    return redirect(url_for("admin.mentor", mentor_id=mentor.id))
