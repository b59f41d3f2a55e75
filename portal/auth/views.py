"""Signing up, logging in and out, confirming an address, resetting a password, accepting an invitation."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from .. import accounts, content, links
from ..access import me
from ..extensions import address_and_email, limiter
from ..forms import NewPasswordForm
from ..partials import inline_checks, is_inline_check
from .forms import EmailOnlyForm, LoginForm, SignupForm

bp = Blueprint("auth", __name__)


def _login_limit():
    return current_app.config["LOGIN_ATTEMPTS"]


def _reset_limit():
    return current_app.config["RESET_ATTEMPTS"]


def _network_limit():
    # Generous: a whole trust's staff may share one address.
    return current_app.config["ATTEMPTS_PER_NETWORK"]


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_network_limit, methods=["POST"], exempt_when=is_inline_check)
def signup():
    form = SignupForm()
    inline_checks(form)
    if form.validate_on_submit():
        accounts.sign_up_mentee(form)
        return redirect(url_for("auth.check_email", email=form.email.data))
    return render_template("auth/signup.html", form=form, agreement=content.current("agreement"))


@bp.route("/signup/check-your-email")
def check_email():
    return render_template("auth/check_email.html", email=request.args.get("email", ""), form=EmailOnlyForm())


@bp.route("/login", methods=["GET", "POST"])
# Only a form shown again counts (a wrong password): not a login, and not an attempt the portal could not
# check (its database restarting, say), which would otherwise lock people out once it was back.
@limiter.limit(_network_limit, methods=["POST"], deduct_when=lambda response: response.status_code == 200)
@limiter.limit(_login_limit, methods=["POST"], key_func=address_and_email,
               deduct_when=lambda response: response.status_code == 200)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(links.local_path(request.args.get("next"), url_for("main.home")))
        form.password.errors.append("The email address or password is not right")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.end_sessions(me())
    # Emptied before logout_user, which leaves a note in the session to delete the remember cookie.
    session.clear()
    logout_user()
    flash("You have logged out.", "info")
    response = redirect(url_for("main.home"))
    # Removed here rather than by flask-login, which leaves out Secure: a browser ignores a __Host-
    # cookie without it, even one removing it, and would keep the old remember cookie.
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
    checked = links.check(accounts.CONFIRM, token)
    if checked.problem == "used":
        flash("Your email address is already confirmed.", "success")
        return redirect(url_for("main.home"))
    if not checked.ok:
        return render_template("auth/link_problem.html", problem=checked.problem, kind="confirm",
                               form=EmailOnlyForm()), 410 if checked.problem != "forged" else 404
    if request.method == "GET":
        return render_template("auth/confirm_email.html", email=checked.link.user.email)
    accounts.confirm_email(checked.link)
    flash("Thank you: your email address is confirmed.", "success")
    return redirect(url_for("main.home") if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/confirm/again", methods=["POST"])
@limiter.limit(_network_limit)
@limiter.limit(_reset_limit, key_func=address_and_email)
def resend_confirmation():
    form = EmailOnlyForm()
    if current_user.is_authenticated:
        accounts.resend_confirmation(current_user.email)
        flash(f"We have sent a new link to {current_user.email}.", "success")
        return redirect(url_for("main.home"))
    if form.validate_on_submit():
        accounts.resend_confirmation(form.email.data)
        return redirect(url_for("auth.check_email", email=form.email.data))
    return render_template("auth/link_problem.html", problem="expired", kind="confirm", form=form), 400


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_network_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=address_and_email)
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data,
                               minutes=current_app.config["RESET_LINK_MINUTES"])
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _set_password_through_link(token, accounts.RESET, "reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    return _set_password_through_link(token, accounts.INVITE, "invitation")


def _set_password_through_link(token, purpose, reason):
    checked = links.check(purpose, token)
    if not checked.ok:
        status = 404 if checked.problem == "forged" else 410
        return render_template("auth/link_problem.html", problem=checked.problem, kind=reason,
                               form=EmailOnlyForm()), status
    user = checked.link.user
    form = NewPasswordForm(owner=user)
    if form.validate_on_submit():
        if accounts.use_link_to_set_password(checked.link, form.password.data, reason) is None:
            return render_template("auth/link_problem.html", problem="used", kind=reason,
                                   form=EmailOnlyForm()), 410
        logout_user()
        flash("Your password is set. Log in with it now." if reason == "invitation"
              else "Your password has been changed. Log in with your new password.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user, reason=reason)
