"""Links that act without a password: sent by email to act once (confirm, reset, accept an invitation),
or lasting (a private calendar address, a link in every email that stops such emails).

The URL carries the id of an ActionLink row, signed with the secret key and the link's
purpose, so a link cannot be forged, altered, or used for another purpose. The row says
whether it has expired, been used, or been replaced by a newer one; a lasting link never
expires, and works until it is revoked (or its person erased, which deletes the row).

Also here: where links may lead, in emails (external_url) and back from a page (local_path).
"""
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.core import clock
from portal.models import ActionLink


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"action-link:{purpose}")


def issue(purpose: str, user, lifetime: timedelta, target_id: int | None = None, replace: bool = True) -> str:
    """A new link. With `replace`, any earlier unused link of the same purpose for the same user and
    target stops working (a new password link, say); without it, earlier ones keep working (each
    reminder of a request carries a link, and the first email's link must still answer it)."""
    now = clock.now()
    if replace:
        (ActionLink.update(revoked_at=now)
         .where((ActionLink.user == user) & (ActionLink.purpose == purpose) & (ActionLink.target_id == target_id)
                & ActionLink.used_at.is_null() & ActionLink.revoked_at.is_null())
         .execute())
    return issue_all(purpose, [(user, lifetime, target_id)])[0]


def issue_all(purpose: str, wanted: list[tuple]) -> list[str]:
    """New links of one purpose, each (user, lifetime, target_id), in one insert; earlier ones keep
    working (as `issue` without `replace`). Their tokens, in the same order."""
    if not wanted:
        return []
    now = clock.now()
    made = ActionLink.insert_many([{"purpose": purpose, "user": user, "target_id": target_id,
                                    "expires_at": now + lifetime, "created_at": now} for user, lifetime, target_id in wanted]
                                  ).returning(ActionLink.id, ActionLink.user, ActionLink.target_id).execute()
    ids = {(row.user_id, row.target_id): row.id for row in made}
    serializer = _serializer(purpose)
    return [serializer.dumps(ids[(getattr(user, "id", user), target_id)]) for user, _, target_id in wanted]


def _lasting(purpose: str, user):
    return (ActionLink.select().where((ActionLink.user == user) & (ActionLink.purpose == purpose)
                                      & ActionLink.expires_at.is_null() & ActionLink.revoked_at.is_null())
            .order_by(ActionLink.id).first())


def lasting(purpose: str, user) -> str:
    """The person's one lasting link for `purpose`, made now if they have none: every email carries the
    same link to stop such emails, so an old email's link still works."""
    return lasting_for_all(purpose, [user])[user.id]


def lasting_for_all(purpose: str, users: list) -> dict[int, str]:
    """`lasting` for many people at once (by user id): one query, and one insert for those with none."""
    ids = sorted({user.id for user in users})
    found: dict[int, int] = {}
    for link in (ActionLink.select(ActionLink.id, ActionLink.user)
                 .where(ActionLink.user.in_(ids) & (ActionLink.purpose == purpose) & ActionLink.expires_at.is_null()
                        & ActionLink.revoked_at.is_null()).order_by(ActionLink.id)):
        found.setdefault(link.user_id, link.id)
    missing = [user_id for user_id in ids if user_id not in found]
    if missing:
        made = ActionLink.insert_many([{"purpose": purpose, "user": user_id, "expires_at": None} for user_id in missing]
                                      ).returning(ActionLink.id, ActionLink.user).execute()
        found.update({row.user_id: row.id for row in made})
    serializer = _serializer(purpose)
    return {user_id: serializer.dumps(link_id) for user_id, link_id in found.items()}


def lasting_if_any(purpose: str, user) -> str | None:
    """The person's lasting link for `purpose`, if they have one."""
    link = _lasting(purpose, user)
    return _serializer(purpose).dumps(link.id) if link else None


def revoke(purpose: str, user) -> int:
    """Stop every lasting link of `purpose` the person has."""
    return (ActionLink.update(revoked_at=clock.now())
            .where((ActionLink.user == user) & (ActionLink.purpose == purpose) & ActionLink.expires_at.is_null()
                   & ActionLink.revoked_at.is_null())
            .execute())


def extend(purpose: str, target_id: int, expires_at) -> int:
    """Make the unspent links of `purpose` that act on one row last until `expires_at`."""
    return (ActionLink.update(expires_at=expires_at)
            .where((ActionLink.purpose == purpose) & (ActionLink.target_id == target_id)
                   & ActionLink.used_at.is_null() & ActionLink.revoked_at.is_null())
            .execute())


@dataclass
class Checked:
    link: ActionLink | None
    problem: str | None  # None, "forged", "expired", "used" or "revoked"

    @property
    def ok(self) -> bool:
        return self.problem is None


def check(purpose: str, token: str) -> Checked:
    try:
        link_id = _serializer(purpose).loads(token)
    except BadSignature:
        return Checked(None, "forged")
    link = ActionLink.get_or_none((ActionLink.id == link_id) & (ActionLink.purpose == purpose))
    if link is None:
        return Checked(None, "forged")
    if link.used_at:
        return Checked(link, "used")
    if link.revoked_at:
        return Checked(link, "revoked")
    if link.expires_at is not None and link.expires_at <= clock.now():
        return Checked(link, "expired")
    return Checked(link, None)


def spend(link: ActionLink) -> bool:
    """Mark the link used; False when another request spent it first."""
    return bool(ActionLink.update(used_at=clock.now())
                .where((ActionLink.id == link.id) & ActionLink.used_at.is_null())
                .execute())


def local_path(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: a ?next= or ?back= can be written by
    anyone into a link, and must never lead to another site or run a script. Browsers read a
    backslash as a slash and drop tabs and line breaks, so "/\\evil.example" would leave the site."""
    if target and target.startswith("/") and not any(char == "\\" or ord(char) < 32 or ord(char) == 127
                                                      for char in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            return target
    return fallback


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on BASE_URL, for emails: built the same in a request, a job or the CLI."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
