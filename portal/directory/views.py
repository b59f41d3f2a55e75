"""Mentees looking through the mentors: the directory, a mentor's profile, and what a mentee can do
from it: ask the mentor, or join or leave their waiting list."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.core import access, clock
from portal.core.access import MENTEE, for_mentees, me, requires, sees_contact_details
from portal.core.htmx import is_htmx, refusal_shown, render_htmx
from portal.directory import search
from portal.models import MentorProfile, MentorRequest, User, WaitlistStatus, mentor_state
from portal.register.profiles import choices_of
from portal.requests import mentor_requests, responsiveness, waitlist
from portal.requests.forms import BackupsForm, RequestForm
from portal.rules import availability
from portal.rules.requests import RequestStatus

bp = Blueprint("directory", __name__)

# How many mentors the backup lists offer, the best fit first.
BACKUPS_OFFERED = 50


@bp.route("/mentors/", endpoint="directory")
@for_mentees
def directory_page():
    today = clock.today_london()
    show_full = current_app.config["SHOW_FULL_MENTORS"]
    version = search.register_version()
    known = search.known_values(*search.filter_choices(version))
    filters, page_number, notes = search.parse(request.args, known)
    seeker = search.seeker_for(me().mentee)
    page = search.search(filters, page_number, today, show_full, version, seeker=seeker)
    if page_number > page.pages:
        notes.append(f"There is no page {page_number}: this is the last page.")
    # A fragment also brings the count of results, which sits outside it on the page.
    response = make_response(render_htmx("directory/directory.html", "_partials/mentor_results.html", filters=filters,
                                         page=page, notes=notes, known=known, oob_count=is_htmx(),
                                         best_fit=search.best_fit_first(seeker, filters), sorts=search.SORTS,
                                         can_sort=seeker is not None))
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


def _offer_backups(form, user, leaving_out: int):
    form.offer_backups(search.backup_choices(search.seeker_for(user.mentee), clock.today_london(), leaving_out,
                                             BACKUPS_OFFERED))
    return form


def profile_page(mentor, request_form=None):
    """A mentor's profile with what the mentee looking at it can do: ask them (naming backups), wait for them."""
    user = me()
    entry = waitlist.open_entry(user.mentee, mentor) if user.mentee else None
    cannot_ask = mentor_requests.why_cannot_request(user, mentor) if user.mentee else None
    form = request_form or RequestForm()
    if user.mentee and not cannot_ask:
        _offer_backups(form, user, mentor.id)
    return render_template(
        "directory/profile.html", mentor=mentor, choices=choices_of(mentor), entry=entry,
        position=waitlist.position(entry) if entry and entry.status == WaitlistStatus.WAITING else None,
        contact=sees_contact_details(user, mentor), matched=access.are_matched(user, mentor), form=form,
        cannot_ask=cannot_ask, answer_days=responsiveness.usual_answer_days([mentor.id], clock.now()).get(mentor.id))


def _named_backups(form, user, asking_id: int) -> list[tuple[MentorProfile, str]] | None:
    """The backups a valid form names, each checked against the request rules; None (with the reasons
    on the form's fields) when any cannot be one."""
    named = form.backups()
    problems = mentor_requests.backup_problems(user, asking_id, [mentor_id for _, mentor_id, _ in named])
    for index, problem in problems.items():
        named[index][0].errors = [*named[index][0].errors, problem]
    if problems:
        return None
    return [(MentorProfile.get_by_id(mentor_id), note) for _, mentor_id, note in named]


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
    backups = _named_backups(form, me(), mentor.id) if form.validate_on_submit() else None
    if backups is not None:
        with refusal_shown(form.note):
            mentor_requests.make_request(me(), mentor, form.note.data, backups)
            flash(f"Your request has gone to {mentor.user.first_name}."
                  + (" We will ask your backups in turn if it comes to nothing." if backups else ""), "success")
            return redirect(url_for("mentoring.mine"))
    return profile_page(mentor, request_form=form), 400


@bp.route("/requests/<int:request_id>/backups", methods=["GET", "POST"])
@requires(MENTEE)
def backups(request_id):
    """Change or drop the backups of the request waiting for an answer."""
    mentor_request = get_object_or_404(MentorRequest, MentorRequest.id == request_id)
    if mentor_request.mentee_id != current_user.mentee.id:
        abort(403)
    if mentor_request.status != RequestStatus.PENDING:
        flash("This request is no longer waiting for an answer, so its backups cannot change.", "info")
        return redirect(url_for("mentoring.mine"))
    named = mentor_requests.backups_of(mentor_request.mentee_id)
    form = _offer_backups(BackupsForm(data={
        f"backup_{n}{part}": value for n, backup in enumerate(named, start=1)
        for part, value in (("", str(backup.mentor_id)), ("_note", "" if backup.note == mentor_request.note
                                                                   else backup.note))}), me(), mentor_request.mentor_id)
    chosen = _named_backups(form, me(), mentor_request.mentor_id) if form.validate_on_submit() else None
    if chosen is not None:
        with refusal_shown():
            mentor_requests.change_backups(me(), mentor_request, chosen)
            flash("Your backups are saved." if chosen else "Your request has no backups now.", "success")
        return redirect(url_for("mentoring.mine"))
    return render_template("directory/backups.html", form=form, mentor_request=mentor_request), \
        400 if form.errors else 200
