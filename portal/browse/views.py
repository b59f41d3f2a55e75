"""Mentees looking through the mentors: the directory, a mentor's profile, waiting lists, photos."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from playhouse.flask_utils import get_object_or_404

from .. import clock, directory, matching, waitlist
from ..access import for_mentees, me, sees_contact_details
from ..mentors import choices_of, state
from ..models import MentorProfile, StoredPhoto, User, WaitlistEntry
from ..partials import is_htmx, refusal_shown, render_htmx
from ..requests.forms import RequestForm
from ..rules import availability

bp = Blueprint("browse", __name__)


@bp.route("/mentors/", endpoint="directory")
@for_mentees
def directory_page():
    today = clock.today_london()
    show_full = current_app.config["SHOW_FULL_MENTORS"]
    version = directory.register_version()
    known = directory.known_values(*directory.filter_choices(version))
    filters, page_number, notes = directory.parse(request.args, known)
    page = directory.search(filters, page_number, today, show_full, version)
    if page_number > page.pages:
        notes.append(f"There is no page {page_number}: this is the last page.")
    # A fragment also brings the count of results, which sits outside it on the page.
    response = make_response(render_htmx("browse/directory.html", "_partials/mentor_results.html", filters=filters,
                                         page=page, notes=notes, known=known, oob_count=is_htmx()))
    if is_htmx():
        # The address bar shows the filters in use, not every empty field of the form.
        extra = {"page": page.number} if page.number > 1 else {}
        response.headers["HX-Push-Url"] = url_for("browse.directory", **filters.as_args(), **extra)
    return response


def _mentor_or_404(mentor_id: int) -> MentorProfile:
    return get_object_or_404(MentorProfile.select(MentorProfile, User).join(User), MentorProfile.id == mentor_id)


@bp.route("/mentors/<int:mentor_id>")
@for_mentees
def profile(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    if state(mentor, clock.today_london()) not in availability.OFFERED and not current_user.is_admin:
        return render_template("browse/unavailable.html", mentor=mentor), 404
    return profile_page(mentor)


def profile_page(mentor, request_form=None):
    """A mentor's profile with what the mentee looking at it can do: ask them, wait for them."""
    user = me()
    entry = waitlist.open_entry(user.mentee, mentor) if user.mentee else None
    return render_template(
        "browse/profile.html", mentor=mentor, choices=choices_of(mentor), entry=entry,
        position=waitlist.position(entry) if entry and entry.status == WaitlistEntry.WAITING else None,
        contact=sees_contact_details(user, mentor), matched=matching.are_matched(user, mentor),
        form=request_form or RequestForm(),
        cannot_ask=matching.why_cannot_request(user, mentor) if user.mentee else None)


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
    return redirect(url_for("browse.profile", mentor_id=mentor_id))


@bp.route("/mentors/<int:mentor_id>/waitlist/leave", methods=["POST"])
@for_mentees
def leave_waitlist(mentor_id):
    mentor = _mentor_or_404(mentor_id)
    entry = waitlist.open_entry(current_user.mentee, mentor) if current_user.mentee else None
    if entry:
        waitlist.leave(entry, me())
        flash("You have left the waiting list.", "success")
    return redirect(url_for("browse.profile", mentor_id=mentor_id))


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
