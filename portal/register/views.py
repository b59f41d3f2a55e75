"""A mentor's own pages: their profile as mentees see it, editing it, and their availability."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.core import clock, inbox
from portal.core.access import MENTOR, me, requires
from portal.models import StoredPhoto, mentor_state
from portal.register import availability as settings
from portal.register import profiles
from portal.register.editing import (availability_status, profile_form_data, profile_status, save_availability,
                                     save_profile)
from portal.register.forms import AvailabilityForm, ProfileEditForm
from portal.register.uploads import pending_key
from portal.requests import responsiveness
from portal.rules.availability import MentorState

bp = Blueprint("register", __name__)


@bp.route("/mentor/profile")
@requires(MENTOR)
def profile():
    mentor = current_user.mentor
    today = clock.today_london()
    state = mentor_state(mentor, today)
    return render_template("register/profile.html", mentor=mentor, choices=profiles.choices_of(mentor), state=state,
                           new=profiles.is_new(mentor),
                           awaiting_listing=state == MentorState.UNLISTED and not profiles.is_new(mentor)
                           and inbox.is_open_for("profile_ready", mentor.user_id),
                           leave_booked=bool(mentor.leave_from and mentor.leave_from > today),
                           answer_days=responsiveness.usual_answer_days([mentor.id], clock.now()).get(mentor.id))


@bp.route("/mentor/profile/edit", methods=["GET", "POST"])
@requires(MENTOR)
def edit_profile():
    mentor = current_user.mentor
    form = ProfileEditForm(data=profile_form_data(mentor))
    first_time = profiles.is_new(mentor)  # read before the save
    saved, changed = save_profile(form, mentor, me())
    if saved:
        flash("Your profile is complete. The team has been told and will put you on the register: mentees can "
              "find you from then." if first_time and changed else
              "Your profile is saved." if changed else "Nothing had changed.", "success")
        return redirect(url_for("register.profile"))
    return render_template("register/edit.html", form=form, mentor=mentor,
                           pending=pending_key(form)), profile_status(form)


@bp.route("/mentor/availability", methods=["GET", "POST"])
@requires(MENTOR)
def availability():
    mentor = current_user.mentor
    form = AvailabilityForm(obj=mentor)
    if save_availability(form, mentor, me()):
        flash("Your capacity, pause and leave are saved.", "success")
        return redirect(url_for("register.profile"))
    return render_template("register/availability.html", form=form, mentor=mentor,
                           today=clock.today_london()), availability_status(form)


@bp.route("/mentor/leave/end", methods=["POST"])
@requires(MENTOR)
def end_leave():
    mentor = current_user.mentor
    on_leave = mentor_state(mentor, clock.today_london()) == MentorState.ON_LEAVE
    if mentor.leave_from:
        settings.end_leave(mentor, me())
        flash("Welcome back: mentees can find you in the directory again." if on_leave
              else "Your leave is cancelled.", "success")
    return redirect(url_for("register.profile"))


@bp.route("/photos/<key>/<any(card, profile):size>.webp")
@login_required
def photo(key, size):
    stored = StoredPhoto.get_or_none(StoredPhoto.key == key)
    if stored is None:
        abort(404)
    response = current_app.response_class(getattr(stored, size), mimetype="image/webp")
    # The key changes whenever the photo does, so a browser may keep this copy for good.
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.set_etag(f"{key}-{size}")
    return response.make_conditional(request)
