"""The emails about accounts, one function each: who it goes to, its subject, what its words
(templates/emails/<template>.md) are given, and its dedupe key. Emailed links are issued here too, so
each link's purpose is named beside the email that carries it."""
from datetime import timedelta

from flask import current_app

from portal.core import clock, links, mail
from portal.core.roles import ADMIN, MENTOR
from portal.models import User

# What each emailed link is for (links.check refuses a link used for another purpose).
CONFIRM = "confirm_email"
RESET = "reset_password"
INVITE = "invitation"
CHANGE_EMAIL = "change_email"

# A role, as an invitation names it.
ROLES = {MENTOR: "a peer mentor", ADMIN: "a member of the admin team"}


def send_confirmation(user: User) -> None:
    hours = current_app.config["CONFIRM_LINK_HOURS"]
    token = links.issue(CONFIRM, user, timedelta(hours=hours))
    mail.send(user.email, "confirm_email", "Confirm your email address", user=user, name=user.first_name,
              url=links.external_url("accounts.confirm_email", token=token), hours=hours)


def send_signup_attempt(existing: User) -> None:
    """Someone signed up with an address that has an account: its owner is told, once a day at most."""
    mail.send(existing.email, "signup_existing", "Someone tried to sign up with your email address",
              user=existing, name=existing.first_name,
              login_url=links.external_url("accounts.login"),
              reset_url=links.external_url("accounts.forgot_password"),
              join_url=links.external_url("accounts.join_as_mentee"),
              dedupe_key=f"signup-existing:{existing.id}:{clock.today_london()}")


def send_email_change(user: User, address: str) -> None:
    """The link that moves the account to `address`, sent there: pressing it proves the mailbox is theirs."""
    hours = current_app.config["CONFIRM_LINK_HOURS"]
    token = links.issue(CHANGE_EMAIL, user, timedelta(hours=hours))
    mail.send(address, "change_email", "Confirm your new email address", user=user, name=user.first_name,
              url=links.external_url("accounts.change_email", token=token), hours=hours)


def send_email_changed(old_address: str, user: User, by_team: bool = False) -> None:
    """To the address the account has left: if the change was not theirs, they hear of it where they read."""
    mail.send(old_address, "email_changed", "Your email address has been changed", user=user,
              name=user.first_name, address=user.email, by_team=by_team)


def send_password_reset(user: User) -> None:
    minutes = current_app.config["RESET_LINK_MINUTES"]
    token = links.issue(RESET, user, timedelta(minutes=minutes))
    mail.send(user.email, "reset_password", "Reset your password", user=user, name=user.first_name,
              url=links.external_url("accounts.reset_password", token=token), minutes=minutes)


def send_password_changed(user: User) -> None:
    mail.send(user.email, "password_changed", "Your password has been changed", user=user,
              name=user.first_name, reset_url=links.external_url("accounts.forgot_password"))


def send_role_added(user: User, role: str, by: User) -> None:
    """Someone who can already log in has a new role: no password to set."""
    mail.send(user.email, "role_added", f"You have been added as {ROLES[role]}", user=user,
              name=user.first_name, role=ROLES[role], inviter=by.name,
              login_url=links.external_url("accounts.login"))


def send_invitation(user: User, role: str, by: User) -> None:
    days = current_app.config["INVITE_LINK_DAYS"]
    token = links.issue(INVITE, user, timedelta(days=days))
    mail.send(user.email, "invitation", f"You are invited to join {current_app.config['SCHEME_NAME']}",
              user=user, name=user.first_name, role=ROLES[role], inviter=by.name, days=days,
              url=links.external_url("accounts.accept_invitation", token=token))


def send_interest_thanks(address: str) -> None:
    """Anyone can fill the interest form in with anyone's address: one thank-you a day per address, and
    none of what was typed (not even the name) in it, so it cannot carry a message."""
    mail.send(address, "interest_received", "Thank you for your interest in peer mentoring",
              dedupe_key=f"interest:{address}:{clock.today_london()}")
