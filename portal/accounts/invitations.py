"""(from portal.accounts) TODO docstring"""
from datetime import timedelta

from flask import current_app

from portal.accounts import logins
from portal.core import audit, links, mail
from portal.core.db import database
from portal.core.roles import ADMIN, MENTOR
from portal.models import MentorProfile, User

INVITE = "invitation"


ROLES = {MENTOR: "a peer mentor", ADMIN: "a member of the admin team"}


def invite(by: User, name: str, email: str, role: str) -> User:
    """Give someone a role and email them a link; a new person sets their password through it."""
    with database.atomic():
        user = logins.find(email)
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
                  login_url=links.external_url("accounts.login"))
        return
    days = current_app.config["INVITE_LINK_DAYS"]
    token = links.issue(INVITE, user, timedelta(days=days))
    mail.send(user.email, "invitation", f"You are invited to join {current_app.config['SCHEME_NAME']}",
              user=user, name=user.first_name, role=ROLES[role], inviter=by.name, days=days,
              url=links.external_url("accounts.accept_invitation", token=token))


def pending_invitations():
    """People invited who have not yet set a password (an erased account has none either)."""
    return (User.select().where(User.password_hash.is_null() & User.is_active)
            .order_by(User.created_at.desc()))


def role_invited_as(user: User) -> str:
    return ADMIN if user.is_admin else MENTOR
