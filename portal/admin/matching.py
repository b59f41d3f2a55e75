"""Acting on requests for people (agreed by phone, say): a waiting request's deadline moved, the request
withdrawn or passed to another mentor, a mentee matched directly, a mentor's waiting list kept."""
from flask import abort, flash, redirect, render_template, request, url_for
from playhouse.flask_utils import get_object_or_404

from portal.admin import bp
from portal.admin.forms import ExtendForm, MatchForm, PassOnForm
from portal.core.access import me
from portal.core.formatting import long_date
from portal.core.htmx import refusal_shown
from portal.models import MenteeProfile, MentorProfile, MentorRequest, User, WaitlistEntry
from portal.requests import team, waitlist
from portal.requests.mentor_requests import RequestRefused


def _request_page(mentor_request: MentorRequest, extend_form=None, pass_form=None, status=200):
    return render_template("admin/request.html", mentor_request=mentor_request,
                           extend_form=extend_form or ExtendForm(formdata=None),
                           pass_form=pass_form or PassOnForm(formdata=None)), status


def _found(request_id: int) -> MentorRequest:
    found = MentorRequest.with_people(request_id)
    if found is None:
        abort(404)
    return found


@bp.route("/requests/<int:request_id>")
def request_page(request_id):
    return _request_page(_found(request_id))


@bp.route("/requests/<int:request_id>/extend", methods=["POST"])
def extend_request(request_id):
    found, form = _found(request_id), ExtendForm()
    if form.validate_on_submit():
        with refusal_shown(form.until):
            team.extend(found, me(), form.until.data)
            flash(f"{found.mentor.user.first_name} now has until the end of {long_date(form.until.data)} to answer.",
                  "success")
            return redirect(url_for("admin.request_page", request_id=request_id))
    return _request_page(found, extend_form=form, status=400)


@bp.route("/requests/<int:request_id>/pass", methods=["POST"])
def pass_request(request_id):
    found, form = _found(request_id), PassOnForm()
    if form.validate_on_submit():
        mentor = _mentor_by_email(form.mentor_email)
        if mentor:
            with refusal_shown(form.mentor_email):
                passed = team.pass_on(found, me(), mentor)
                flash(f"The request has gone to {mentor.user.name}, and {found.mentor.user.first_name} has been told "
                      "it was withdrawn.", "success")
                return redirect(url_for("admin.request_page", request_id=passed.id))
    return _request_page(found, pass_form=form, status=400)


@bp.route("/requests/<int:request_id>/withdraw", methods=["GET", "POST"])
def withdraw_request(request_id):
    found = _found(request_id)
    back = url_for("admin.request_page", request_id=request_id)
    if found.status == "pending" and request.method == "POST":
        with refusal_shown():
            team.withdraw(found, me())
            flash("The request is withdrawn. The mentor has been told, and the mentee can ask someone else.",
                  "success")
        return redirect(back)
    return render_template("admin/confirm.html", title=f"Withdraw {found.mentee.user.name}'s request?",
                           consequences=[f"{found.mentor.user.name} is told it was withdrawn, and their place is free",
                                         f"{found.mentee.user.first_name} can ask another mentor straight away",
                                         "Do this only when the mentee has asked for it"],
                           refusal=None if found.status == "pending" else "This request is no longer waiting.",
                           action=url_for("admin.withdraw_request", request_id=request_id),
                           button="Withdraw the request", back=back)


def _mentor_by_email(field) -> MentorProfile | None:
    mentor = (MentorProfile.select(MentorProfile, User).join(User).where(User.email == field.data).first())
    if mentor is None:
        field.errors = [*field.errors, "No mentor on the register has this email address"]
    return mentor


@bp.route("/match", methods=["GET", "POST"])
def match():
    """A mentee matched to a mentor directly, for a match agreed with both by phone."""
    form = MatchForm()
    if form.validate_on_submit():
        mentor = _mentor_by_email(form.mentor_email)
        mentee = (MenteeProfile.select(MenteeProfile, User).join(User).where(User.email == form.mentee_email.data)
                  .first())
        if mentee is None:
            form.mentee_email.errors = [*form.mentee_email.errors, "No mentee has this email address"]
        if mentor and mentee:
            try:
                relationship = team.match(mentee, mentor, me(), form.note.data)
            except RequestRefused as refused:
                form.mentee_email.errors = [*form.mentee_email.errors, str(refused)]
            else:
                flash(f"{mentee.user.name} and {mentor.user.name} are matched, and both have been emailed each "
                      "other's details.", "success")
                return redirect(url_for("admin.person", user_id=mentee.user_id))
    return render_template("admin/match.html", form=form), 400 if form.errors else 200


@bp.route("/waitlist/<int:entry_id>/remove", methods=["GET", "POST"])
def remove_from_waitlist(entry_id):
    entry = get_object_or_404(WaitlistEntry, WaitlistEntry.id == entry_id)
    mentee_user, mentor_user = entry.mentee_user, entry.mentor_user
    back = url_for("admin.mentor", mentor_id=entry.mentor_id)
    if request.method == "POST":
        if waitlist.leave(entry, me()):
            flash(f"{mentee_user.name} is off {mentor_user.name}'s waiting list.", "success")
        return redirect(back)
    return render_template("admin/confirm.html", title=f"Take {mentee_user.name} off {mentor_user.name}'s waiting list?",
                           consequences=["Anyone behind them moves up a place",
                                         "A place held for them goes to the next in line"],
                           refusal=None if entry.status in waitlist.OPEN else "They are no longer on this list.",
                           action=url_for("admin.remove_from_waitlist", entry_id=entry_id),
                           button="Take them off the list", back=back)
