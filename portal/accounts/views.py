"""A person's way in and their account: signing up, logging in and out, confirming an address, passwords,
their name and address, accepting an invitation, the mentoring agreement, joining as a mentee too, and
registering interest in becoming a mentor."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError
from werkzeug.security import check_password_hash

from portal.accounts import details, emails, logins, preferences, signup
from portal.accounts.forms import (MEET_MODES, AcceptAgreementForm, ChangePasswordForm, DetailsForm, EmailChoicesForm,
                                   EmailOnlyForm, InterestForm, LoginForm, MatchingForm, MenteeDetailsForm, SignupForm)
from portal.accounts.interest import register_interest
from portal.core import content, digest, links, mail, reference
from portal.core.access import ADMIN, MENTEE, MENTOR, me, requires, roles_of
from portal.core.extensions import address_and_email, csrf, limiter
from portal.core.forms import NewPasswordForm
from portal.core.htmx import inline_checks, is_inline_check, refusal_shown
from portal.rules import emails as email_rules
from portal.rules import matching as matching_rules

bp = Blueprint("accounts", __name__)


def _login_limit():
    return current_app.config["LOGIN_ATTEMPTS"]


def _reset_limit():
    return current_app.config["RESET_ATTEMPTS"]


def _network_limit():
    # Generous: a whole trust's staff may share one address.
    return current_app.config["ATTEMPTS_PER_NETWORK"]


@bp.route("/signup", methods=["GET", "POST"], endpoint="signup")
@limiter.limit(_network_limit, methods=["POST"], exempt_when=is_inline_check)
def signup_page():
    form = SignupForm()
    inline_checks(form)
    if form.validate_on_submit():
        signup.sign_up_mentee(form)
        return redirect(url_for("accounts.check_email", email=form.email.data))
    return render_template("accounts/signup.html", form=form, agreement=content.current("agreement"))


@bp.route("/signup/check-your-email")
def check_email():
    return render_template("accounts/check_email.html", email=request.args.get("email", ""), form=EmailOnlyForm())


@bp.route("/login", methods=["GET", "POST"])
# Only a form shown again counts (a wrong password): not a login, and not an attempt the portal could not
# check (its database restarting, say), which would otherwise lock people out once it was back.
@limiter.limit(_network_limit, methods=["POST"], deduct_when=lambda response: response.status_code == 200)
@limiter.limit(_login_limit, methods=["POST"], key_func=address_and_email,
               deduct_when=lambda response: response.status_code == 200)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    # The address just confirmed is filled in. Confirming does not log in: the link proves the mailbox,
    # not that its owner chose the account's password.
    form = LoginForm(data={"email": session.pop("confirmed_email", "")} if request.method == "GET" else None)
    if form.validate_on_submit():
        user = logins.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(links.local_path(request.args.get("next"), url_for("home.home")))
        form.password.errors.append("The email address or password is not right")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@csrf.exempt  # checked below: the header's form (the NHS macro's) sends its token in the address
def logout():
    try:
        validate_csrf(request.form.get("csrf_token") or request.args.get("csrf_token"))
    except ValidationError as problem:
        raise CSRFError(problem.args[0]) from problem
    if current_user.is_authenticated:
        logins.end_sessions(me())
    # Emptied before logout_user, which leaves a note in the session to delete the remember cookie.
    session.clear()
    logout_user()
    flash("You have logged out.", "info")
    return _forget_remembered(redirect(url_for("home.home")))


def _forget_remembered(response):
    """Remove this browser's "keep me logged in" cookie. Done here rather than by flask-login, which
    leaves out Secure: a browser ignores a __Host- cookie without it, even one removing it."""
    session.pop("_remember", None)
    config = current_app.config
    response.delete_cookie(config["REMEMBER_COOKIE_NAME"], path=config.get("REMEMBER_COOKIE_PATH", "/"),
                           domain=config.get("REMEMBER_COOKIE_DOMAIN"), secure=config["REMEMBER_COOKIE_SECURE"],
                           httponly=True, samesite=config["REMEMBER_COOKIE_SAMESITE"])
    return response


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token):
    """The link in the email: looking (GET) changes nothing, as mail scanners open links; only
    pressing the button (POST, with the form's CSRF token) confirms."""
    checked = links.check(emails.CONFIRM, token)
    if checked.problem == "used":
        flash("Your email address is already confirmed.", "success")
        return redirect(url_for("home.home"))
    if not checked.ok:
        return render_template("accounts/link_problem.html", problem=checked.problem, kind="confirm",
                               form=EmailOnlyForm()), 410 if checked.problem != "forged" else 404
    if request.method == "GET":
        return render_template("accounts/confirm_email.html", email=checked.link.user.email)
    signup.confirm_email(checked.link)
    if current_user.is_authenticated:
        flash("Thank you: your email address is confirmed.", "success")
        return redirect(url_for("home.home"))
    flash("Thank you: your email address is confirmed. Log in with the password you chose.", "success")
    session["confirmed_email"] = checked.link.user.email
    return redirect(url_for("accounts.login"))


@bp.route("/confirm/again", methods=["POST"])
@limiter.limit(_network_limit)
@limiter.limit(_reset_limit, key_func=address_and_email)
def resend_confirmation():
    form = EmailOnlyForm()
    if current_user.is_authenticated:
        signup.resend_confirmation(current_user.email)
        flash(f"We have sent a new link to {current_user.email}.", "success")
        return redirect(url_for("home.home"))
    if form.validate_on_submit():
        signup.resend_confirmation(form.email.data)
        return redirect(url_for("accounts.check_email", email=form.email.data))
    return render_template("accounts/link_problem.html", problem="expired", kind="confirm", form=form), 400


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_network_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=address_and_email)
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        logins.request_password_reset(form.email.data)
        return render_template("accounts/reset_sent.html", email=form.email.data,
                               minutes=current_app.config["RESET_LINK_MINUTES"])
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _set_password_through_link(token, emails.RESET, "reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    return _set_password_through_link(token, emails.INVITE, "invitation")


def _set_password_through_link(token, purpose, reason):
    checked = links.check(purpose, token)
    if not checked.ok:
        status = 404 if checked.problem == "forged" else 410
        return render_template("accounts/link_problem.html", problem=checked.problem, kind=reason,
                               form=EmailOnlyForm()), status
    user = checked.link.user
    form = NewPasswordForm(owner=user)
    if form.validate_on_submit():
        changed = logins.use_link_to_set_password(checked.link, form.password.data, reason)
        if changed is None:
            return render_template("accounts/link_problem.html", problem="used", kind=reason,
                                   form=EmailOnlyForm()), 410
        # They have just proved the mailbox is theirs and chosen the password: logged in, as themselves
        # (whoever was logged in on this browser before is logged out, their remember cookie too).
        session.clear()
        response = _forget_remembered(redirect(url_for("home.home")))
        login_user(changed)
        flash("Your password is set and you are logged in." if reason == "invitation"
              else "Your password has been changed and you are logged in.", "success")
        return response
    return render_template("accounts/set_password.html", form=form, user=user, reason=reason)


@bp.route("/account/", endpoint="account")
@requires()
def account():
    labels = {ADMIN: "Admin", MENTOR: "Peer mentor", MENTEE: "Mentee"}
    mentee = current_user.mentee
    away = matching_rules.tags_of(mentee.reason, mentee.away_tags) if mentee else frozenset()
    return render_template("accounts/account.html", roles=[labels[r] for r in sorted(roles_of(current_user))],
                           away_labels=[label for tag, label in reference.TIME_AWAY.items() if tag in away],
                           day_labels=[label for day, label in reference.DAYS.items() if mentee and day in mentee.usual_days],
                           meet_modes=MEET_MODES)


@bp.route("/account/matching", methods=["GET", "POST"])
@requires(MENTEE)
def matching():
    """What suits a mentee, for the directory's best-fit order."""
    mentee = current_user.mentee
    form = MatchingForm(data=preferences.form_data(mentee), reason=mentee.reason)
    if form.validate_on_submit():
        preferences.save(mentee, me(), form)
        flash("Saved. The directory now puts the mentors who fit you best first.", "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/matching.html", form=form, mentee=mentee,
                           reason_tags=matching_rules.REASON_TAGS), 400 if form.errors else 200


@bp.route("/account/details", methods=["GET", "POST"], endpoint="details")
@limiter.limit(_reset_limit, methods=["POST"], key_func=address_and_email)
@requires()
def details_page():
    """A name changes at once; a new address once the link sent to it is pressed. A mentor's name is part
    of their register profile (with its history), so it is changed there."""
    user = me()
    form = DetailsForm(owner=user, data={"name": user.name, "email": user.email} if request.method == "GET" else None)
    if user.mentor:
        del form.name
    if form.validate_on_submit():
        said = []
        if form.name and details.change_name(user, form.name.data, user):
            said.append("Your name is changed.")
        if form.new_email:
            details.ask_to_change_email(user, form.new_email)
            said.append(f"We have sent a link to {form.new_email}. Press the button on its page to start using "
                        f"that address; until then we keep using {user.email}.")
        flash(" ".join(said) or "Nothing has changed.", "success" if said else "info")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/details.html", form=form), 400 if form.errors else 200


@bp.route("/account/email/<token>", methods=["GET", "POST"])
def change_email(token):
    """The link sent to a new address: looking (GET) changes nothing, as mail scanners open links; pressing
    the button moves the account to it."""
    checked = links.check(emails.CHANGE_EMAIL, token)
    address = checked.link.user.pending_email if checked.ok else None
    if not address:
        status = 404 if checked.problem == "forged" else 410
        return render_template("accounts/link_problem.html", problem=checked.problem or "used",
                               kind="change_email"), status
    if request.method == "GET":
        return render_template("accounts/change_email.html", address=address, user=checked.link.user)
    with refusal_shown():
        user = details.change_email_through_link(checked.link)
        flash(f"Your email address is now {user.email}.", "success")
        if current_user.is_authenticated and current_user.id == user.id:
            return redirect(url_for("accounts.account"))
        session["confirmed_email"] = user.email
        return redirect(url_for("accounts.login"))
    return render_template("accounts/change_email.html", address=address, user=checked.link.user), 409


@bp.route("/account/password", methods=["GET", "POST"])
@requires()
def change_password():
    form = ChangePasswordForm(owner=current_user)
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash or "", form.current_password.data):
            form.current_password.errors.append("Your current password is not right")
        else:
            user = logins.set_password(me(), form.password.data, reason="change")
            # The new nonce signed out every other browser; this one stays logged in.
            login_user(user)
            flash("Your password has been changed. Other devices have been logged out.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/password.html", form=form)


@bp.route("/account/emails", methods=["GET", "POST"], endpoint="emails")
@requires()
def email_choices():
    """Account → Emails: news as it happens, in a daily summary or not at all; an admin's weekly copy."""
    user = me()
    # What was sent, or what they chose before: a field left out of a form sent is a question unanswered.
    form = EmailChoicesForm(obj=None if request.method == "POST" else mail.choices_of(user))
    if not user.is_admin:
        del form.weekly_summary
    if form.validate_on_submit():
        moved = digest.choose(user, form.news.data, form.summary_hour.data,
                              form.weekly_summary.data if user.is_admin else None)
        flash(" ".join(["Your email choices are saved.", *_what_became_of(moved, form.summary_hour.data)]), "success")
        return redirect(url_for("accounts.emails"))
    waiting, due = digest.waiting(user)
    return render_template("accounts/emails.html", form=form, waiting=waiting, due=due), 400 if form.errors else 200


def _what_became_of(moved: dict, hour: int) -> list[str]:
    """What happened to news that was waiting for a summary, in words for the person who moved it."""
    def waiting(count: int) -> str:
        return f"{'1 message' if count == 1 else f'{count} messages'} waiting for your summary"

    said = []
    if moved["released"]:
        said.append(f"{waiting(moved['released'])} {'is' if moved['released'] == 1 else 'are'} on the way now.")
    if moved["moved"]:
        said.append(f"{waiting(moved['moved'])} will come in the next one, at {hour:02d}:00.")
    if moved["withdrawn"]:
        said.append(f"{waiting(moved['withdrawn'])} will not be sent: you can see it all when you log in.")
    return said


@bp.route("/unsubscribe/<what>/<token>", methods=["GET", "POST"])
# One click in a mail program (RFC 8058) POSTs here with no cookie and no CSRF token: the signed link,
# made for this person and this kind of email, is the key.
@csrf.exempt
def unsubscribe(what, token):
    """The link in an email that can be turned off: looking (GET) shows what it stops, as mail scanners
    open links; pressing the button, or a mail program's own unsubscribe, POSTs and stops it."""
    if what not in email_rules.STOPPABLE:
        abort(404)
    checked = links.check(mail.unsubscribe_purpose(what), token)
    if not checked.ok or not checked.link.user.is_active:
        return render_template("accounts/link_problem.html", problem="forged"), 404
    if request.method == "POST":
        digest.stop(checked.link.user, what)
    return render_template("accounts/unsubscribe.html", what=what, stopped=request.method == "POST")


@bp.route("/account/join-as-mentee", methods=["GET", "POST"])
@requires()
def join_as_mentee():
    if current_user.mentee:
        abort(404)
    mentor = current_user.mentor  # what their mentor profile already says of their training
    form = MenteeDetailsForm(data={field: getattr(mentor, field) for field in ("grade", "school", "specialty", "trust")}
                             if mentor else None)
    inline_checks(form)
    if form.validate_on_submit():
        signup.add_mentee_role(me(), form)
        flash("You have joined as a mentee.", "success")
        return redirect(url_for("home.home"))
    return render_template("accounts/join.html", form=form, agreement=content.current("agreement"))


# Pages a mentee can reach before accepting a new version of the agreement.
BEFORE_ACCEPTING = {"accounts.accept_agreement", "accounts.agreement", "accounts.logout", "static", "home.concern",
                    "home.accessibility",
                    "home.health", "home.favicon", "accounts.emails", "accounts.unsubscribe",
                    "mentoring.calendar_feed"}


@bp.before_app_request
def new_agreement_first():
    """When the team publishes a new version of the agreement, a mentee accepts it at their next visit."""
    if request.endpoint in BEFORE_ACCEPTING or not current_user.is_authenticated or not current_user.mentee:
        return None
    if current_user.mentee.agreement_version < content.current("agreement").version:
        return redirect(url_for("accounts.accept_agreement", next=request.path))
    return None


@bp.route("/agreement/accept", methods=["GET", "POST"])
@requires(MENTEE)
def accept_agreement():
    agreement = content.current("agreement")
    form = AcceptAgreementForm()
    if form.validate_on_submit():
        signup.accept_agreement(current_user.mentee, content.shown_version("agreement", form.version.data))
        flash("Thank you: you have accepted the new version of the agreement.", "success")
        return redirect(url_for("home.home"))
    return render_template("accounts/accept_agreement.html", agreement=agreement, form=form)


@bp.route("/agreement")
def agreement():
    return render_template("home/text.html", agreement=content.current("agreement"))


@bp.route("/become-a-mentor", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def interest():
    form = InterestForm()
    if form.validate_on_submit():
        register_interest(form)
        return redirect(url_for("accounts.interest_thanks"))
    return render_template("accounts/interest.html", form=form)


@bp.route("/become-a-mentor/thank-you")
def interest_thanks():
    return render_template("accounts/interest_thanks.html")
