"""Inviting mentors and admins: the team gives someone a role (a mentor, perhaps, straight from their
interest in the inbox), and an emailed link lets a new person set their password."""


from portal.accounts import emails, logins
from portal.core import audit, inbox
from portal.core.db import database
from portal.core.roles import ADMIN, MENTOR
from portal.models import InboxItem, MentorProfile, User


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


def invite_from_interest(item: InboxItem, by: User) -> User | None:
    """Someone who registered interest in becoming a mentor, invited as one with the name and address
    they gave, and the item closed; None when it was closed meanwhile (so two presses invite once)."""
    with database.atomic():
        if not inbox.close(item.id, by):
            return None
        return invite(by, item.name, item.email, MENTOR)


def send_invitation(by: User, user: User, role: str) -> None:
    if user.password_hash:
        emails.send_role_added(user, role, by)
    else:
        emails.send_invitation(user, role, by)


# People invited who have not yet set a password (an erased account has none either, but is closed).
PENDING = User.password_hash.is_null() & User.is_active


def pending_invitations():
    return User.select().where(PENDING).order_by(User.created_at.desc())


def role_invited_as(user: User) -> str:
    return ADMIN if user.is_admin else MENTOR
