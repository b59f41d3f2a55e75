"""A person's name and email address, changed by themselves or by the team. A new address a person gives
is used only once the link sent to it is pressed, which proves the mailbox is theirs; until then the old one
stays in use. Once it has moved the old one is told, so a change they did not make is heard of where they
read."""
from peewee import IntegrityError

from portal.accounts import emails, invitations, logins
from portal.core import audit, clock, links
from portal.core.db import database
from portal.core.refused import Refused
from portal.models import User


class AddressTaken(Refused):
    def __init__(self, address: str):
        super().__init__(f"{address} already belongs to another account, so this one cannot use it")


def change_name(user: User, name: str, by: User) -> bool:
    """False when the name is the same."""
    if name == user.name:
        return False
    with database.atomic():
        User.update(name=name).where(User.id == user.id).execute()
        audit.record(by, "changed_name", user)
    return True


def ask_to_change_email(user: User, address: str) -> None:
    """Send the link to `address`. Whether it has an account is not said here (that would tell anyone
    logged in whose addresses are known): its owner, pressing the link, is told."""
    with database.atomic():
        User.update(pending_email=address).where(User.id == user.id).execute()
        emails.send_email_change(user, address)
        audit.record(user, "asked_to_change_email", user)


def change_email_through_link(link) -> User:
    """Spend the link and move the account to the address it was sent to."""
    with database.atomic():
        user = User.get_by_id(link.user_id)
        address = user.pending_email
        if not address:
            raise Refused("There is no change of address waiting: it may have been made another way.")
        if not links.spend(link):
            raise Refused("This link has already been used.")
        move_email(user, address, user, confirmed=True)
    return User.get_by_id(user.id)


def change_by_team(user: User, by: User, *, name: str | None, email: str) -> list[str]:
    """The team puts a name or an address right (a typo, a new address given by phone). The team vouch for
    the address, so it is used at once. Someone who has not yet set a password is sent a new invitation
    there (the link sent to the old address stops working), and an address not yet confirmed gets a new
    link to confirm it. Returns what changed, in words."""
    changed = []
    with database.atomic():
        if name is not None and change_name(user, name, by):
            changed.append("name")
        if email != user.email:
            move_email(user, email, by, confirmed=False)
            changed.append("email address")
            moved = User.get_by_id(user.id)
            if moved.is_active and not moved.password_hash:
                invitations.send_invitation(by, moved, invitations.role_invited_as(moved))
            elif moved.is_active and not moved.email_confirmed_at:
                emails.send_confirmation(moved)
    return changed


def move_email(user: User, address: str, by: User, *, confirmed: bool) -> str:
    """The account's address becomes `address` (confirmed now, when the mailbox was just proved), any change
    waiting is dropped, and the address left is told if it was ever confirmed (an unconfirmed one may be a
    stranger's, typed by mistake). Returns the old address."""
    found = logins.find(address)
    if found is not None and found.id != user.id:
        raise AddressTaken(address)
    old, was_confirmed = user.email, user.email_confirmed_at
    try:
        with database.atomic():
            User.update(email=address, pending_email=None,
                        email_confirmed_at=clock.now() if confirmed else User.email_confirmed_at).where(
                User.id == user.id).execute()
    except IntegrityError:
        raise AddressTaken(address) from None  # taken a moment ago
    audit.record(by, "changed_email", user)
    if was_confirmed:
        emails.send_email_changed(old, User.get_by_id(user.id), by_team=by.id != user.id)
    return old
