"""The one place that says who may see and do what.

Roles are facts about a login: an admin flag, a mentor profile, a mentee profile. A view
states the role it needs with `@requires(...)`; navigation is built from the same facts.
"""
from functools import wraps

from flask import abort, render_template, url_for
from flask_login import current_user, login_required

from portal.core.roles import ADMIN, MENTEE, MENTOR
from portal.models import MentorProfile, Relationship
from portal.rules import requests as requests_rules
from portal.rules.mentoring import RelationshipStatus


def me():
    """The person signed in, as the User itself rather than flask-login's stand-in for it, to hand
    to actions and store in rows (the anonymous user when no one is signed in)."""
    return current_user._get_current_object()


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    held = set()
    if user.is_admin:
        held.add(ADMIN)
    if user.mentor:
        held.add(MENTOR)
    if user.mentee:
        held.add(MENTEE)
    return held


def requires(*roles):
    """Signed in, holding at least one of `roles` (any signed-in user when none are named)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if roles and not roles_of(current_user) & set(roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def directory_refusal(user) -> str | None:
    """Why this login may not look through the mentors yet (None when it may): the directory is
    for confirmed, active mentees, and for admins."""
    if user.is_admin:
        return None
    if not user.mentee:
        return "not_mentee"
    if not user.email_confirmed_at:
        return "unconfirmed"
    if user.mentee.deactivated_at:
        return "deactivated"
    return None


def for_mentees(view):
    """Signed in as a mentee who may browse mentors (see directory_refusal)."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        refusal = directory_refusal(current_user)
        if refusal == "not_mentee":
            abort(403)
        if refusal:
            return render_template("directory/not_yet.html", reason=refusal), 403
        return view(*args, **kwargs)

    return guarded


def are_matched(mentee_user, mentor: MentorProfile) -> bool:
    """The login is a mentee in mentoring with this mentor now."""
    return bool(mentee_user.mentee) and Relationship.select().where(
        (Relationship.mentee == mentee_user.mentee) & (Relationship.mentor == mentor)
        & (Relationship.status == RelationshipStatus.ACTIVE)).exists()


def sees_contact_details(viewer, mentor) -> bool:
    """A mentor's contact details are for their matched mentees, themselves and the admin team."""
    return viewer.is_admin or viewer.id == mentor.user_id or are_matched(viewer, mentor)


def answers_request(user, request) -> bool:
    """The mentor asked, or an admin acting for the team. A backup not yet sent is not the mentor's to see:
    they never learn they were named as one."""
    return user.is_admin or (user.mentor is not None and user.mentor.id == request.mentor_id
                             and request.status not in requests_rules.NEVER_ASKED)


def in_relationship(user, relationship) -> bool:
    return (user.mentee is not None and user.mentee.id == relationship.mentee_id) or (
        user.mentor is not None and user.mentor.id == relationship.mentor_id)


def nav_items(user) -> list[tuple[str, str]]:
    """(label, url) for what this login can do, in the order the header shows them."""
    held = roles_of(user)
    if not held and not getattr(user, "is_authenticated", False):
        return [("Log in", url_for("accounts.login")), ("Sign up", url_for("accounts.signup"))]
    items = [("Home", url_for("home.home"))]
    if MENTEE in held or ADMIN in held:
        items.append(("Find a mentor", url_for("directory.directory")))
    if MENTEE in held or MENTOR in held:
        items.append(("My mentoring", url_for("mentoring.mine")))
    if MENTOR in held:
        items.append(("My profile", url_for("register.profile")))
    if ADMIN in held:
        items.append(("Admin", url_for("admin.home")))
    items.append(("Account", url_for("accounts.account")))
    return items
