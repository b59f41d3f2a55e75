"""Logins and passwords: finding an account, checking a password, resetting and setting one, and
ending every session of a login.

No function here tells its caller whether an email address has an account, so no page
built on them can reveal it either: where an address is taken, its owner gets an email.
"""

from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts import emails
from portal.core import audit, clock, links
from portal.core.db import database
from portal.models import MentorProfile, User, new_nonce

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


def request_password_reset(email: str) -> None:
    user = find(email)
    if user is None or not user.is_active:
        return
    emails.send_password_reset(user)


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
            emails.send_password_changed(user)
    return user


def use_link_to_set_password(link, password: str, reason: str) -> User | None:
    """Spend a reset or invitation link and set the password; None when the link was spent meanwhile."""
    with database.atomic():
        if not links.spend(link):
            return None
        return set_password(User.get_by_id(link.user_id), password, reason=reason)
