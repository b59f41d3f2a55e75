"""A mentoring relationship: contact details, sessions, the allowance, contracting, the mentor's
private notes, ending it."""
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.core import clock, content, links
from portal.core.access import ADMIN, MENTEE, MENTOR, in_relationship, me, requires
from portal.core.htmx import refusal_shown
from portal.mentoring import feed, relationships, sessions
from portal.mentoring.forms import NotesForm, OutcomeForm, SessionForm, WithdrawalForm
from portal.models import MenteeProfile, MentoringSession, MentorProfile, MentorRequest, Relationship, User
from portal.requests import mentor_requests, waitlist
from portal.requests.forms import ReplyForm
from portal.rules import sessions as session_rules
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus
from portal.rules.sessions import SessionStatus

bp = Blueprint("mentoring", __name__)


def _relationship(relationship_id: int, admins_too: bool = False) -> Relationship:
    found = get_object_or_404(Relationship, Relationship.id == relationship_id)
    if not (in_relationship(current_user, found) or (admins_too and current_user.is_admin)):
        abort(403)
    return found


def _session(session_id: int) -> tuple[MentoringSession, Relationship]:
    found = get_object_or_404(MentoringSession, MentoringSession.id == session_id)
    return found, _relationship(found.relationship_id)


def _values(form: SessionForm) -> dict:
    return {"starts_at": clock.from_london(datetime.combine(form.date.data, form.start.data)),
            "length_minutes": form.length.data, "mode": form.mode.data, "platform": form.platform.data or "",
            "joining_link": form.joining_link.data or "", "location": form.location.data or ""}


def _take(form: SessionForm, relationship: Relationship, act, session_id: int | None = None) -> bool:
    """Check the form, then the session rules (their problems shown on the fields), then act."""
    if not form.validate_on_submit():
        return False
    values = _values(form)
    field_of = {"date": form.date, "start": form.start, "length": form.length, "platform": form.platform,
                "location": form.location, "mode": form.mode}
    for name, problem in sessions.check(relationship, values, excluding=session_id).items():
        field_of[name].errors.append(problem)
    if form.errors:
        return False
    with refusal_shown(form.date):
        act(values)
        return True
    return False


def relationship_page(relationship: Relationship, form: SessionForm | None = None, status: int = 200,
                      withdrawal_form: WithdrawalForm | None = None):
    user = me()
    who = relationship.side_of(user)
    all_sessions = list(MentoringSession.select().where(MentoringSession.relationship == relationship)
                        .order_by(MentoringSession.starts_at))
    now = clock.now()
    return render_template(
        "mentoring/relationship.html", relationship=relationship, who=who,
        # With their logins, which the page names: one query each, not two.
        mentee=MenteeProfile.select(MenteeProfile, User).join(User).where(MenteeProfile.id == relationship.mentee_id).get(),
        mentor=MentorProfile.select(MentorProfile, User).join(User).where(MentorProfile.id == relationship.mentor_id).get(),
        to_come=[s for s in all_sessions if s.status in session_rules.PLANNED and s.starts_at > now],
        to_answer=[s for s in all_sessions if s.status == SessionStatus.CONFIRMED and s.starts_at <= now],
        past=[s for s in all_sessions
              if s.status in (SessionStatus.HELD, SessionStatus.NOT_HELD, SessionStatus.CANCELLED)
              or (s.status == SessionStatus.PROPOSED and s.starts_at <= now)],
        standing=sessions.standing(relationship),
        form=form or SessionForm(formdata=None, platforms=sessions.platforms_offered(relationship)),
        contracting=content.current("contracting") if who == MENTOR and not relationship.contracting_done_at else None,
        withdrawal_form=withdrawal_form or WithdrawalForm(formdata=None), outcome_form=OutcomeForm(formdata=None),
        notice_hours=current_app.config["CANCEL_NOTICE_HOURS"]), status


@bp.route("/mentoring/<int:relationship_id>")
@requires(MENTEE, MENTOR, ADMIN)
def relationship(relationship_id):
    found = _relationship(relationship_id, admins_too=True)
    if not in_relationship(current_user, found):
        # Admins see that mentoring exists (who, since when, sessions' dates) on their own pages.
        return redirect(url_for("admin.inbox_list"))
    return relationship_page(found)


@bp.route("/mentoring/<int:relationship_id>/sessions", methods=["POST"])
@requires(MENTEE, MENTOR)
def propose(relationship_id):
    found = _relationship(relationship_id)
    form = SessionForm(platforms=sessions.platforms_offered(found))
    user = me()
    if _take(form, found, lambda values: sessions.propose(found, user, values)):
        flash("Your suggested time has been sent. It is confirmed when the other person agrees.", "success")
        return redirect(url_for("mentoring.relationship", relationship_id=found.id))
    return relationship_page(found, form, 400)


@bp.route("/sessions/<int:session_id>/change", methods=["GET", "POST"])
@requires(MENTEE, MENTOR)
def change(session_id):
    mentoring_session, found = _session(session_id)
    local = clock.to_london(mentoring_session.starts_at)
    form = SessionForm(platforms=sessions.platforms_offered(found, keep=mentoring_session.platform),
                       data={"date": local.date(), "start": local.time(), "length": mentoring_session.length_minutes,
                             "mode": mentoring_session.mode, "platform": mentoring_session.platform,
                             "joining_link": mentoring_session.joining_link, "location": mentoring_session.location})
    user = me()
    if _take(form, found, lambda values: sessions.change(mentoring_session, user, values), mentoring_session.id):
        flash("Your new time has been sent. It is confirmed when the other person agrees.", "success")
        return redirect(url_for("mentoring.relationship", relationship_id=found.id))
    return render_template("mentoring/change.html", form=form, mentoring_session=mentoring_session, relationship=found), \
        400 if form.errors else 200


def _respond(relationship: Relationship, act, done):
    """Do act(user) and say how it went (done, or done(result) when it depends on the result), or
    why it could not be done; then back to the relationship's page."""
    with refusal_shown():
        result = act(me())
        flash(done(result) if callable(done) else done, "success")
    return redirect(url_for("mentoring.relationship", relationship_id=relationship.id))


def _act(session_id: int, act, done: str):
    mentoring_session, found = _session(session_id)
    return _respond(found, lambda user: act(mentoring_session, user), done)


@bp.route("/sessions/<int:session_id>/confirm", methods=["POST"])
@requires(MENTEE, MENTOR)
def confirm(session_id):
    return _act(session_id, sessions.confirm, "Confirmed. A calendar invitation is on its way to you both.")


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@requires(MENTEE, MENTOR)
def cancel(session_id):
    mentoring_session, found = _session(session_id)
    if request.method == "POST":
        return _act(session_id, sessions.cancel, "The session is cancelled. We have told the other person and "
                                                 "the team.")
    hours = current_app.config["CANCEL_NOTICE_HOURS"]
    return render_template("mentoring/cancel.html", mentoring_session=mentoring_session, relationship=found,
                           short=session_rules.short_notice(mentoring_session.starts_at, clock.now(), hours), hours=hours)


@bp.route("/sessions/<int:session_id>/outcome", methods=["POST"])
@requires(MENTEE, MENTOR)
def outcome(session_id):
    mentoring_session, found = _session(session_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(form.held.errors[0] if form.held.errors else "Say whether the session took place", "error")
        return redirect(url_for("mentoring.relationship", relationship_id=found.id))
    return _act(session_id, lambda s, user: sessions.record_outcome(s, user, form.held.data == "yes"),
                "Thank you: noted." + (" Plan your next session below, or suggest ending the mentoring."
                                       if form.held.data == "yes" else ""))


@bp.route("/mentoring/<int:relationship_id>/contracting", methods=["POST"])
@requires(MENTOR)
def contracting(relationship_id):
    found = _relationship(relationship_id)
    return _respond(found, lambda user: relationships.tick_contracting(found, user),
                    "Noted: you have had the contracting conversation.")


@bp.route("/mentoring/<int:relationship_id>/more", methods=["POST"])
@requires(MENTEE)
def ask_for_more(relationship_id):
    found = _relationship(relationship_id)
    return _respond(found, lambda user: relationships.ask_for_more(found, user),
                    "The team has your request for more sessions and will be in touch.")


@bp.route("/mentoring/<int:relationship_id>/close", methods=["POST"])
@requires(MENTEE, MENTOR)
def close(relationship_id):
    found = _relationship(relationship_id)
    return _respond(found, lambda user: relationships.ask_to_close(found, user),
                    lambda ended: "Your mentoring has ended. Thank you both." if ended else
                    "We have asked the other person to agree. The mentoring ends when they do.")


@bp.route("/mentoring/<int:relationship_id>/notes", methods=["GET", "POST"])
@requires(MENTOR)
def notes(relationship_id):
    found = _relationship(relationship_id)
    user = me()
    if found.side_of(user) != MENTOR:
        abort(403)
    note = relationships.note_for(found, user)
    form = NotesForm(data={"text": note.text if note else ""})
    if form.validate_on_submit():
        with refusal_shown(form.text):
            relationships.save_note(found, user, form.text.data or "")
            flash("Your notes are saved.", "success")
            return redirect(url_for("mentoring.notes", relationship_id=found.id))
    return render_template("mentoring/notes.html", form=form, relationship=found), 400 if form.errors else 200


@bp.route("/mentoring/<int:relationship_id>/withdraw", methods=["POST"])
@requires(MENTEE, MENTOR)
def ask_withdrawal(relationship_id):
    found = _relationship(relationship_id)
    form = WithdrawalForm()
    if found.status != RelationshipStatus.ACTIVE:
        flash("This mentoring has already ended.", "info")
    elif form.validate_on_submit():
        relationships.ask_withdrawal(found, me(), form.reason.data or "")
        flash("The team has your request and will be in touch. Nothing changes until they confirm.", "success")
    else:
        return relationship_page(found, status=400, withdrawal_form=form)  # with what they wrote, to shorten
    return redirect(url_for("mentoring.relationship", relationship_id=found.id))


@bp.route("/mentoring")
@requires(MENTEE, MENTOR)
def mine():
    return mine_page()


def mine_page(reply_form: ReplyForm | None = None, status: int = 200):
    """Where someone's mentoring stands: their request (with its backups and any question from the
    mentor) and relationship as a mentee, the requests and mentees they have as a mentor."""
    user = me()
    context = {}
    if user.mentee:
        last = context["last"] = mentor_requests.latest_request(user.mentee)  # the one waiting, if any
        context["waiting"] = last if last and last.status == RequestStatus.PENDING else None
        context["backups"] = mentor_requests.backups_of(user.mentee.id) if context["waiting"] else []
        context["reply_form"] = reply_form or ReplyForm(formdata=None)
        context["relationship"] = mentor_requests.active_relationship(user.mentee)
        context["lists"] = [] if context["relationship"] else waitlist.lists_of(user.mentee)
        context["past"] = list(MentorRequest.select(MentorRequest, MentorProfile, User)
                               .join(MentorProfile).join(User)
                               .where((MentorRequest.mentee == user.mentee)
                                      & MentorRequest.status.not_in([RequestStatus.PENDING, RequestStatus.BACKUP,
                                                                     RequestStatus.DROPPED]))
                               .order_by(MentorRequest.created_at.desc()).limit(10))
    if user.mentor:
        context["to_answer"] = list(MentorRequest.select(MentorRequest, MenteeProfile, User)
                                    .join(MenteeProfile).join(User)
                                    .where((MentorRequest.mentor == user.mentor)
                                           & (MentorRequest.status == RequestStatus.PENDING))
                                    .order_by(MentorRequest.deadline))
        context["mentees"] = list(Relationship.select(Relationship, MenteeProfile, User)
                                  .join(MenteeProfile).join(User)
                                  .where((Relationship.mentor == user.mentor)
                                         & (Relationship.status == RelationshipStatus.ACTIVE))
                                  .order_by(Relationship.opened_at))
    return render_template("mentoring/mine.html", **context), status


@bp.route("/account/calendar", methods=["GET", "POST"], endpoint="calendar")
@requires(MENTEE, MENTOR)
def calendar_page():
    """Account → Calendar: a private address for a calendar program to subscribe to, made, replaced and
    stopped here."""
    user = me()
    if request.method == "POST":
        action = {"start": feed.start, "replace": feed.replace, "stop": feed.stop}.get(request.form.get("action"))
        if action is None:
            abort(400)
        action(user)
        flash({"start": "Your calendar address is ready.",
               "replace": "Your new calendar address is ready. The old one no longer works.",
               "stop": "Your calendar address no longer works."}[request.form["action"]], "success")
        return redirect(url_for("mentoring.calendar"))
    token = feed.address(user)
    https = links.external_url("mentoring.calendar_feed", token=token) if token else None
    return render_template("mentoring/calendar.html", https=https,
                           webcal="webcal://" + https.split("://", 1)[1] if https else None)


@bp.route("/calendar/<token>.ics")
def calendar_feed(token):
    """The feed a calendar program fetches, with no login: the address is the key. A stopped, replaced
    or closed one answers 410 Gone, which tells calendar programs to stop asking."""
    found, problem = feed.feed_of(token)
    if problem:
        abort(404 if problem == "forged" else 410)
    return found, 200, {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-cache",
                        "Content-Disposition": 'inline; filename="mentoring-sessions.ics"'}



@bp.route("/requests/<int:request_id>/reply", methods=["POST"])
@requires(MENTEE)
def reply(request_id):
    """The mentee answers the question their mentor asked before answering the request."""
    mentor_request = get_object_or_404(MentorRequest, MentorRequest.id == request_id)
    if mentor_request.mentee_id != current_user.mentee.id:
        abort(403)
    form = ReplyForm()
    if form.validate_on_submit():
        with refusal_shown(form.reply):
            mentor_requests.reply_to_question(mentor_request, me(), form.reply.data)
            flash(f"Your answer has gone to {mentor_request.mentor_user.first_name}.", "success")
            return redirect(url_for("mentoring.mine"))
    return mine_page(form, 400)
