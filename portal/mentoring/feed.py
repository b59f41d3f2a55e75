"""A person's private calendar address (Account → Calendar): their sessions, planned, changed and
cancelled, as a feed their calendar program subscribes to.

The address is a lasting signed link (portal.core.links): it does not expire, a new one revokes the old,
stopping it revokes it, and it stops working when the account closes (the feed answers only for an active
account) or is erased (which deletes the link). It shows what the emailed invitations show, with their UID
and SEQUENCE (portal.core.calendar), and nothing more.
"""
from portal.core import calendar, links
from portal.models import MentoringSession, Relationship, User

PURPOSE = "calendar_feed"
NAME = "Mentoring sessions"


def address(user: User) -> str | None:
    """The token of the person's calendar address, if they have one."""
    return links.lasting_if_any(PURPOSE, user)


def start(user: User) -> str:
    return links.lasting(PURPOSE, user)


def replace(user: User) -> str:
    """A new address; the old one stops working (it may have been shared by mistake)."""
    links.revoke(PURPOSE, user)
    return links.lasting(PURPOSE, user)


def stop(user: User) -> None:
    links.revoke(PURPOSE, user)


def feed_of(token: str) -> tuple[str | None, str | None]:
    """(the feed at a calendar address, None), or (None, why not): "forged" for an address never made or
    altered, "gone" for one replaced, stopped, or whose account has closed."""
    checked = links.check(PURPOSE, token)
    if checked.problem == "forged":
        return None, "forged"
    if not checked.ok or not checked.link.user.is_active:
        return None, "gone"
    return calendar.feed(sessions_of(User.with_roles(checked.link.user_id)), NAME), None


def sessions_of(user: User) -> list[tuple[MentoringSession, str]]:
    """Every session in the person's mentoring, mentee or mentor, with the other person's first name (or
    who they were, once their account is closed)."""
    found = []
    for side, profile in (("mentee", user.mentee), ("mentor", user.mentor)):
        if profile is None:
            continue
        mine = Relationship.mentee == profile.id if side == "mentee" else Relationship.mentor == profile.id
        for relationship in Relationship.select().where(mine):
            other = relationship.mentor_user if side == "mentee" else relationship.mentee_user
            name = other.first_name if other.is_active else f"your {'mentor' if side == 'mentee' else 'mentee'}"
            found += [(session, name) for session in
                      relationship.sessions.order_by(MentoringSession.starts_at, MentoringSession.id)]
    return found
