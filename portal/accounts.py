"""Logins: signing up, confirming an address, passwords, invitations.

No function here tells its caller whether an email address has an account, so no page
built on them can reveal it either: where an address is taken, its owner gets an email.
"""
from datetime import timedelta

from flask import current_app
from peewee import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from . import audit, clock, content, links, mail
from .db import database
from .models import MenteeProfile, MentorProfile, User, new_nonce
from .roles import ADMIN, MENTOR

CONFIRM = "confirm_email"
RESET = "reset_password"
INVITE = "invitation"

# Checked against when no account matches, so a wrong address takes as long as a wrong password.
_UNUSED_HASH = generate_password_hash("no account has this password")


def hash_password(password: str) -> str:
    return generate_password_hash(password)  # scrypt


def find(email: str) -> User | None:
    return User.get_or_none(User.email == email.strip().lower())


def authenticate(email: str, password: str) -> User | None:
    user = find(email)
    if user is None or not user.password_hash:
        check_password_hash(_UNUSED_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    User.update(last_login_at=clock.now()).where(User.id == user.id).execute()
    return user


def mentee_profile_values(form) -> dict:
    agreement = content.shown_version("agreement", form.agreement_version.data)
    return {
        "grade": form.grade.data,
        "school": form.school.data,
        "specialty": form.specialty.data or "",
        "trust": form.trust.data,
        "eligibility": form.eligibility.data,
        "reason": form.reason.data,
        "expected_return": form.expected_return.data,
        "agreement_version": agreement.version,
        "agreement_accepted_at": clock.now(),
        "period_started_at": clock.now(),
    }


def sign_up_mentee(form) -> None:
    """Create a mentee and send the confirmation link; if the address is taken, email its owner instead.

    The password is hashed first whichever way it goes, so a taken address answers no faster than a
    new one, and outside the transaction, so the slow hash holds no lock."""
    password_hash = hash_password(form.password.data)
    try:
        with database.atomic():
            if find(form.email.data) is None:
                user = User.create(email=form.email.data, name=form.name.data, password_hash=password_hash)
                MenteeProfile.create(user=user, **mentee_profile_values(form))
                audit.record(user, "signed_up", user)
                send_confirmation(user)
                return
    except IntegrityError:
        pass  # the same address signed up a moment ago (a double click): treat it as taken
    existing = find(form.email.data)
    mail.send(existing.email, "signup_existing", "Someone tried to sign up with your email address",
              user=existing, name=existing.first_name,
              login_url=links.external_url("auth.login"),
              reset_url=links.external_url("auth.forgot_password"),
              join_url=links.external_url("account.join_as_mentee"),
              dedupe_key=f"signup-existing:{existing.id}:{clock.today_london()}")


def add_mentee_role(user: User, form) -> MenteeProfile | None:
    """A login that already exists (a mentor, say) joins as a mentee too; None if it already had."""
    try:
        with database.atomic():
            profile = MenteeProfile.create(user=user, **mentee_profile_values(form))
            audit.record(user, "joined_as_mentee", user)
    except IntegrityError:
        return None
    return profile


def accept_agreement(mentee: MenteeProfile, agreement) -> None:
    MenteeProfile.update(agreement_version=agreement.version, agreement_accepted_at=clock.now()).where(
        MenteeProfile.id == mentee.id).execute()
    audit.record(mentee.user, "accepted_agreement", mentee, detail=f"version {agreement.version}")


def send_confirmation(user: User) -> None:
    token = links.issue(CONFIRM, user, timedelta(hours=current_app.config["CONFIRM_LINK_HOURS"]))
    mail.send(user.email, "confirm_email", "Confirm your email address", user=user,
              name=user.first_name, url=links.external_url("auth.confirm_email", token=token),
              hours=current_app.config["CONFIRM_LINK_HOURS"])


def resend_confirmation(email: str) -> None:
    user = find(email)
    if user and not user.email_confirmed_at and user.is_active:
        send_confirmation(user)


def confirm_email(link) -> User:
    with database.atomic():
        links.spend(link)
        user = User.get_by_id(link.user_id)
        if not user.email_confirmed_at:
            User.update(email_confirmed_at=clock.now()).where(User.id == user.id).execute()
            audit.record(user, "confirmed_email", user)
    return user


def request_password_reset(email: str) -> None:
    user = find(email)
    if user is None or not user.is_active:
        return
    minutes = current_app.config["RESET_LINK_MINUTES"]
    token = links.issue(RESET, user, timedelta(minutes=minutes))
    mail.send(user.email, "reset_password", "Reset your password", user=user, name=user.first_name,
              url=links.external_url("auth.reset_password", token=token), minutes=minutes)


def end_sessions(user: User) -> None:
    """Every login cookie of this person stops working, copies included: on logging out, say."""
    User.update(session_nonce=new_nonce()).where(User.id == user.id).execute()


def set_password(user: User, password: str, *, reason: str) -> User:
    """A new password signs the person out everywhere else, and they are told by email."""
    with database.atomic():
        user.password_hash = hash_password(password)
        user.session_nonce = new_nonce()
        # Reaching this through an emailed link proves the address is theirs.
        if reason in ("reset", "invitation") and not user.email_confirmed_at:
            user.email_confirmed_at = clock.now()
        user.save()
        # A mentor who has just set up their login now appears in the directory.
        MentorProfile.update().where(MentorProfile.user == user.id).execute()
        audit.record(user, f"password_{reason}", user)
        if reason != "invitation":
            mail.send(user.email, "password_changed", "Your password has been changed", user=user,
                      name=user.first_name, reset_url=links.external_url("auth.forgot_password"))
    return user


def use_link_to_set_password(link, password: str, reason: str) -> User | None:
    """Spend a reset or invitation link and set the password; None when the link was spent meanwhile."""
    with database.atomic():
        if not links.spend(link):
            return None
        return set_password(User.get_by_id(link.user_id), password, reason=reason)


ROLES = {MENTOR: "a peer mentor", ADMIN: "a member of the admin team"}


def invite(by: User, name: str, email: str, role: str) -> User:
    """Give someone a role and email them a link; a new person sets their password through it."""
    with database.atomic():
        user = find(email)
        if user is None:
            user = User.create(email=email.strip().lower(), name=name)
        if role == ADMIN and not user.is_admin:
            User.update(is_admin=True).where(User.id == user.id).execute()
        if role == MENTOR and not MentorProfile.select().where(MentorProfile.user == user).exists():
            # Off the register until the team has added their bio: an empty profile helps no mentee.
            MentorProfile.create(user=user, listed=False)
        audit.record(by, f"invited_{role}", user)
        send_invitation(by, user, role)
    return user


def send_invitation(by: User, user: User, role: str) -> None:
    if user.password_hash:
        # They can already log in: tell them about the new role, no password needed.
        mail.send(user.email, "role_added", f"You have been added as {ROLES[role]}", user=user,
                  name=user.first_name, role=ROLES[role], inviter=by.name,
                  login_url=links.external_url("auth.login"))
        return
    days = current_app.config["INVITE_LINK_DAYS"]
    token = links.issue(INVITE, user, timedelta(days=days))
    mail.send(user.email, "invitation", f"You are invited to join {current_app.config['SCHEME_NAME']}",
              user=user, name=user.first_name, role=ROLES[role], inviter=by.name, days=days,
              url=links.external_url("auth.accept_invitation", token=token))


def pending_invitations():
    """People invited who have not yet set a password (an erased account has none either)."""
    return (User.select().where(User.password_hash.is_null() & User.is_active)
            .order_by(User.created_at.desc()))


def role_invited_as(user: User) -> str:
    return ADMIN if user.is_admin else MENTOR
