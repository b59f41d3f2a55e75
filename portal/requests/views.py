"""Answering a request (in the portal, or from the emailed link without a password), cancelling one,
and asking the team to reopen a paused mentee account."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.core import audit, clock, links
from portal.core.access import ADMIN, MENTEE, MENTOR, answers_request, me, requires
from portal.core.htmx import refusal_shown
from portal.core.refused import Refused
from portal.models import MentorRequest, Relationship, User
from portal.requests import emails, idle, mentor_requests
from portal.requests.forms import AnswerForm
from portal.rules import requests as rules
from portal.rules.requests import RequestStatus

bp = Blueprint("requests", __name__)


@bp.route("/requests/<int:request_id>/cancel", methods=["GET", "POST"])
@requires(MENTEE)
def cancel(request_id):
    """Asked first, as cancelling a session is: one tap on My mentoring only opens this page."""
    mentor_request = get_object_or_404(MentorRequest, MentorRequest.id == request_id)
    if mentor_request.mentee_id != current_user.mentee.id:
        abort(403)
    if request.method == "GET":
        if mentor_request.status != RequestStatus.PENDING:
            flash(mentor_requests.what_happened(mentor_request), "info")
            return redirect(url_for("mentoring.mine"))
        return render_template("requests/cancel.html", mentor_request=MentorRequest.with_people(request_id),
                               backups=mentor_requests.backups_of(mentor_request.mentee_id))
    with refusal_shown(category="info"):
        mentor_requests.cancel(mentor_request, me())
        flash("Your request is cancelled. You can ask another mentor.", "success")
    return redirect(url_for("mentoring.mine"))


def _answer_page(mentor_request: MentorRequest, form: AnswerForm, token: str | None = None, status=200):
    """`mentor_request` as MentorRequest.with_people gives it, read after anything the press changed."""
    # The mentor answering (from their email, or signed in), not the team answering for them, may pause.
    as_mentor = token is not None or (current_user.is_authenticated and current_user.mentor is not None
                                      and current_user.mentor.id == mentor_request.mentor_id)
    return render_template("requests/answer.html", mentor_request=mentor_request, mentee=mentor_request.mentee,
                           mentee_user=mentor_request.mentee.user, form=form, token=token, as_mentor=as_mentor), status


def _answer(mentor_request: MentorRequest, form: AnswerForm, by: User, role: str, link=None, token=None):
    """Act on a submitted answer, or send the mentor's question; the page to show next."""
    if not form.validate_on_submit():
        return _answer_page(MentorRequest.with_people(mentor_request.id), form, token, 400)
    if form.action.data == "question":
        with refusal_shown(form.question):
            mentor_requests.ask_question(mentor_request, by, form.question.data)
            flash(f"Your question has gone to {mentor_request.mentee_user.first_name}. Their answer will appear "
                  "here, and we will email it to you.", "success")
            return redirect(url_for("requests.respond", token=token) if token
                            else url_for("requests.answer", request_id=mentor_request.id))
        return _answer_page(MentorRequest.with_people(mentor_request.id), form, token, 409)
    pause_until = form.pause_until.data if role == rules.MENTOR else None
    try:
        decided = mentor_requests.decide(mentor_request, form.action.data, by, role, form.message.data or "", link=link,
                                         pause_until=pause_until)
    except Refused as refused:
        return render_template("requests/answered.html", mentor_request=MentorRequest.get_by_id(mentor_request.id),
                               problem=str(refused)), 409
    return render_template("requests/answered.html", mentor_request=decided, relationship=Relationship.get_or_none(
        Relationship.mentor_request == decided.id))


@bp.route("/requests/<int:request_id>/answer", methods=["GET", "POST"])
@requires(MENTOR, ADMIN)
def answer(request_id):
    mentor_request = MentorRequest.with_people(request_id)
    if mentor_request is None:
        abort(404)
    if not answers_request(current_user, mentor_request):
        abort(403)
    form = AnswerForm()
    is_mentor = current_user.mentor is not None and current_user.mentor.id == mentor_request.mentor_id
    if request.method == "GET" and not is_mentor:
        # The team opening what the mentee wrote and their training: a look, as at their record.
        audit.record(me(), "viewed_request", mentor_request.mentee.user)
    if request.method == "POST":
        return _answer(mentor_request, form, me(), rules.MENTOR if is_mentor else rules.ADMIN)
    if mentor_request.status != RequestStatus.PENDING:
        return render_template("requests/answered.html", mentor_request=mentor_request,
                               relationship=Relationship.get_or_none(Relationship.mentor_request == mentor_request.id))
    return _answer_page(mentor_request, form)


@bp.route("/respond/<token>", methods=["GET", "POST"])
def respond(token):
    """The link in the mentor's email: looking (GET) changes nothing, as mail scanners open links;
    only pressing a button (POST) answers. A spent or stale link shows what happened instead."""
    checked = links.check(emails.DECISION, token)
    if checked.problem == "forged":
        return render_template("accounts/link_problem.html", problem="forged", kind="request"), 404
    mentor_request = MentorRequest.with_people(checked.link.target_id)
    if mentor_request is None:
        abort(404)
    if not checked.ok or mentor_request.status != RequestStatus.PENDING or mentor_request.deadline <= clock.now():
        page = render_template("requests/answered.html", mentor_request=mentor_request,
                               relationship=Relationship.get_or_none(Relationship.mentor_request == mentor_request.id),
                               problem=None if mentor_request.status != RequestStatus.PENDING
                               else "This request has run out of time")
        return page, 409 if request.method == "POST" else 200  # a press that changed nothing is a conflict
    form = AnswerForm()
    if request.method == "POST":
        # Whoever holds the emailed link answers as the mentor it was sent to.
        mentor_user = User.get_by_id(checked.link.user_id)
        return _answer(mentor_request, form, mentor_user, rules.MENTOR, link=checked.link, token=token)
    return _answer_page(mentor_request, form, token)


@bp.route("/reactivation", methods=["POST"])
@requires(MENTEE)
def ask_reactivation():
    if current_user.mentee.deactivated_at:
        idle.ask_reactivation(me())
        flash("The team has your request. We will email you when your account is open again.", "success")
    return redirect(url_for("home.home"))
