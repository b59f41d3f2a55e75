"""Mentees looking through the mentors: the directory, a mentor's profile, and what a mentee can do
from it: ask the mentor, or join or leave their waiting list."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.core import access, clock
from portal.core.access import for_mentees, me, sees_contact_details
from portal.core.htmx import is_htmx, refusal_shown, render_htmx
from portal.directory import search
from portal.models import MentorProfile, User, WaitlistEntry, mentor_state
from portal.register.profiles import choices_of
from portal.requests import mentor_requests, waitlist
from portal.requests.forms import RequestForm
from portal.rules import availability

bp = Blueprint("directory", __name__)


@bp.route("/mentors/", endpoint="directory")
@for_mentees
def directory_page():
    today = clock.today_london()
    show_full = current_app.config["SHOW_FULL_MENTORS"]
    version = search.register_version()
    known = search.known_values(*search.filter_choices(version))
    filters, page_number, notes = search.parse(request.args, known)
    page = search.search(filters, page_number, today, show_full, version)
    if page_number > page.pages:
        notes.append(f"There is no page {page_number}: this is the last page.")
    # A fragment also brings the count of results, which sits outside it on the page.
    response = make_response(render_htmx("directory/directory.html", "_partials/mentor_results.html", filters=filters,
                                         page=page, notes=notes, known=known, oob_count=is_htmx()))
    if is_htmx():
        # The address bar shows the filters in use, not every empty field of the form.
        extra = {"page": page.number} if page.number > 1 else {}
        response.headers["HX-Push-Url"] = url_for("directory.directory", **filters.as_args(), **extra)
    return response


def _mentor_or_404(mentor_id: int) -> MentorProfile:
    return get_object_or_404(MentorProfile.select(MentorProfile, User).join(User), MentorProfile.id == mentor_id)


@bp.route("/mentors/<int:mentor_id>")
@for_mentees
def profile(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    if mentor_state(mentor, clock.today_london()) not in availability.OFFERED and not current_user.is_admin:
        return render_template("directory/unavailable.html", mentor=mentor), 404
    return profile_page(mentor)


def profile_page(mentor, request_form=None):
    """A mentor's profile with what the mentee looking at it can do: ask them, wait for them."""
    user = me()
    entry = waitlist.open_entry(user.mentee, mentor) if user.mentee else None
    return render_template(
        "directory/profile.html", mentor=mentor, choices=choices_of(mentor), entry=entry,
        position=waitlist.position(entry) if entry and entry.status == WaitlistEntry.WAITING else None,
        contact=sees_contact_details(user, mentor), matched=access.are_matched(user, mentor),
        form=request_form or RequestForm(),
        cannot_ask=mentor_requests.why_cannot_request(user, mentor) if user.mentee else None)


@bp.route("/mentors/<int:mentor_id>/waitlist", methods=["POST"])
@for_mentees
def join_waitlist(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    if not current_user.mentee:
        abort(403)
    with refusal_shown():
        waitlist.join(current_user.mentee, mentor)
        flash(f"You are on {mentor.user.first_name}'s waiting list. We will email you when a place is free.",
              "success")
    return redirect(url_for("directory.profile", mentor_id=mentor_id))


@bp.route("/mentors/<int:mentor_id>/waitlist/leave", methods=["POST"])
@for_mentees
def leave_waitlist(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    entry = waitlist.open_entry(current_user.mentee, mentor) if current_user.mentee else None
    if entry:
        waitlist.leave(entry, me())
        flash("You have left the waiting list.", "success")
    return redirect(url_for("directory.profile", mentor_id=mentor_id))


@bp.route("/mentors/<int:mentor_id>/request", methods=["POST"])
@for_mentees
def ask(mentor_id):
    mentor = get_object_or_404(MentorProfile, MentorProfile.id == mentor_id)
    if not current_user.mentee:
        abort(403)
    form = RequestForm()
    if form.validate_on_submit():
        with refusal_shown(form.note):
            mentor_requests.make_request(me(), mentor, form.note.data)
            flash(f"Your request has gone to {mentor.user.first_name}.", "success")
            return redirect(url_for("mentoring.mine"))
    return profile_page(mentor, request_form=form), 400
