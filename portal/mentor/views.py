"""A mentor's own pages: their profile as mentees see it, editing it, and their availability."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import clock, mentors
from ..access import MENTOR, me, requires
from .editing import availability_status, profile_form_data, profile_status, save_availability, save_profile
from .forms import AvailabilityForm, ProfileEditForm
from .uploads import pending_key

bp = Blueprint("mentor", __name__, url_prefix="/mentor")


@bp.route("/profile")
@requires(MENTOR)
def profile():
    mentor = current_user.mentor
    return render_template("mentor/profile.html", mentor=mentor, choices=mentors.choices_of(mentor),
                           state=mentors.state(mentor, clock.today_london()))


@bp.route("/profile/edit", methods=["GET", "POST"])
@requires(MENTOR)
def edit_profile():
    mentor = current_user.mentor
    form = ProfileEditForm(data=profile_form_data(mentor))
    saved, changed = save_profile(form, mentor, me())
    if saved:
        flash("Your profile is saved." if changed else "Nothing had changed.", "success")
        return redirect(url_for("mentor.profile"))
    return render_template("mentor/edit.html", form=form, mentor=mentor,
                           pending=pending_key(form)), profile_status(form)


@bp.route("/availability", methods=["GET", "POST"])
@requires(MENTOR)
def availability():
    mentor = current_user.mentor
    form = AvailabilityForm(obj=mentor)
    if save_availability(form, mentor, me()):
        flash("Your availability is saved.", "success")
        return redirect(url_for("mentor.profile"))
    return render_template("mentor/availability.html", form=form, mentor=mentor), availability_status(form)
