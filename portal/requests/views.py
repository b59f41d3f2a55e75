"""Asking a mentor, answering (in the portal or from the email link), cancelling, and the
mentoring relationship a yes begins."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from .. import audit, clock, links, matching
from ..access import ADMIN, MENTEE, MENTOR, answers_request, for_mentees, me, requires
from ..models import MenteeProfile, MentorProfile, MentorRequest, Relationship, User
from ..partials import refusal_shown
from ..refused import Refused
from ..rules import requests as rules
from .forms import AnswerForm, RequestForm

bp = Blueprint("requests", __name__)


@bp.route("/mentors/<int:mentor_id>/request", methods=["POST"])
@for_mentees
def ask(mentor_id):
    mentor = get_object_or_404(MentorProfile, MentorProfile.id == mentor_id)
    if not current_user.mentee:
        abort(403)
    form = RequestForm()
    if form.validate_on_submit():
        with refusal_shown(form.note):
            matching.make_request(me(), mentor, form.note.data)
            flash(f"Your request has gone to {mentor.user.first_name}.", "success")
            return redirect(url_for("requests.mine"))
    from ..browse.views import profile_page
    return profile_page(mentor, request_form=form), 400


@bp.route("/mentoring")
@requires(MENTEE, MENTOR)
def mine():
    """Where someone's mentoring stands: their request and relationship as a mentee, the requests
    and mentees they have as a mentor."""
    user = me()
    context = {}
    if user.mentee:
        context["waiting"] = matching.waiting_request(user.mentee)
        context["relationship"] = matching.active_relationship(user.mentee)
        context["past"] = list(MentorRequest.select(MentorRequest, MentorProfile, User)
                               .join(MentorProfile).join(User)
                               .where((MentorRequest.mentee == user.mentee)
                                      & (MentorRequest.status != rules.PENDING))
                               .order_by(MentorRequest.created_at.desc()).limit(10))
    if user.mentor:
        context["to_answer"] = list(MentorRequest.select(MentorRequest, MenteeProfile, User)
                                    .join(MenteeProfile).join(User)
                                    .where((MentorRequest.mentor == user.mentor)
                                           & (MentorRequest.status == rules.PENDING))
                                    .order_by(MentorRequest.deadline))
        context["mentees"] = list(Relationship.select(Relationship, MenteeProfile, User)
                                  .join(MenteeProfile).join(User)
                                  .where((Relationship.mentor == user.mentor) & (Relationship.status == rules.ACTIVE))
                                  .order_by(Relationship.opened_at))
    return render_template("requests/mine.html", **context)


@bp.route("/requests/<int:request_id>/cancel", methods=["POST"])
@requires(MENTEE)
def cancel(request_id):
    found = get_object_or_404(MentorRequest, MentorRequest.id == request_id)
    if found.mentee_id != current_user.mentee.id:
        abort(403)
    with refusal_shown(category="info"):
        matching.cancel(found, me())
        flash("Your request is cancelled. You can ask another mentor.", "success")
    return redirect(url_for("requests.mine"))


def _answer_page(found: MentorRequest, form: AnswerForm, token: str | None = None, status=200):
    mentee = MenteeProfile.get_by_id(found.mentee_id)
    return render_template("requests/answer.html", request_=found, mentee=mentee, mentee_user=mentee.user,
                           form=form, token=token), status


def _answer(found: MentorRequest, form: AnswerForm, by: User, role: str, link=None, token=None):
    """Act on a submitted answer; the page to show next."""
    if not form.validate_on_submit():
        return _answer_page(found, form, token, 400)
    try:
        decided = matching.decide(found, form.action.data, by, role, form.message.data or "", link=link)
    except Refused as refused:
        return render_template("requests/answered.html", request_=MentorRequest.get_by_id(found.id),
                               problem=str(refused)), 409
    return render_template("requests/answered.html", request_=decided, relationship=Relationship.get_or_none(
        Relationship.request == decided.id))


@bp.route("/requests/<int:request_id>/answer", methods=["GET", "POST"])
@requires(MENTOR, ADMIN)
def answer(request_id):
    found = get_object_or_404(MentorRequest, MentorRequest.id == request_id)
    if not answers_request(current_user, found):
        abort(403)
    form = AnswerForm()
    is_mentor = current_user.mentor is not None and current_user.mentor.id == found.mentor_id
    if request.method == "GET" and not is_mentor:
        # The team opening what the mentee wrote and their training: a look, as at their record.
        audit.record(me(), "viewed_request",
                     User.select().join(MenteeProfile).where(MenteeProfile.id == found.mentee_id).get())
    if request.method == "POST":
        return _answer(found, form, me(), rules.MENTOR if is_mentor else rules.ADMIN)
    if found.status != rules.PENDING:
        return render_template("requests/answered.html", request_=found,
                               relationship=Relationship.get_or_none(Relationship.request == found.id))
    return _answer_page(found, form)


@bp.route("/respond/<token>", methods=["GET", "POST"])
def respond(token):
    """The link in the mentor's email: looking (GET) changes nothing, as mail scanners open links;
    only pressing a button (POST) answers. A spent or stale link shows what happened instead."""
    checked = links.check(matching.DECISION, token)
    if checked.problem == "forged":
        return render_template("auth/link_problem.html", problem="forged", kind="request"), 404
    found = get_object_or_404(MentorRequest, MentorRequest.id == checked.link.target_id)
    if not checked.ok or found.status != rules.PENDING or found.deadline <= clock.now():
        page = render_template("requests/answered.html", request_=found,
                               relationship=Relationship.get_or_none(Relationship.request == found.id),
                               problem=None if found.status != rules.PENDING else "This request has run out of time")
        return page, 409 if request.method == "POST" else 200  # a press that changed nothing is a conflict
    form = AnswerForm()
    if request.method == "POST":
        # Whoever holds the emailed link answers as the mentor it was sent to.
        mentor_user = User.get_by_id(checked.link.user_id)
        return _answer(found, form, mentor_user, rules.MENTOR, link=checked.link, token=token)
    return _answer_page(found, form, token)
