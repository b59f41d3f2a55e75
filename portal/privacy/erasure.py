"""Erasure (UK GDPR, SCHEME.md): asked for by the person, or done by the team for someone who asked
by phone.

Erasure keeps the shape of what happened (that a request was made, a session held, on which
dates, and the broad reason for time away) so the scheme's counts stay right, and removes
everything that says who it was or what they wrote. Survey answers were never linked to anyone,
so there is nothing of theirs to remove.
"""
import re

from markupsafe import escape
from peewee import fn

from portal.accounts import invitations
from portal.core import audit, clock, db, inbox
from portal.core.db import database
from portal.core.refused import Refused
from portal.mentoring import relationships
from portal.models import (ActionLink, AuditEvent, Email, EmailPreference, EmailStatus, ImportBatch, InboxItem,
                           InboxReply, InboxStatus, MenteeProfile, MentoringSession, MentorNote, MentorOption,
                           MentorProfile, MentorRequest, ProfileChange, Relationship, User, WaitlistEntry)
from portal.models.base import new_nonce
from portal.privacy import retention
from portal.register import availability, imports, profiles
from portal.requests import mentor_requests, waitlist
from portal.rules.mentoring import RelationshipStatus

ERASED_NAME = "Erased person"


ERASURE = "erasure"


def erasure_asked(user: User) -> bool:
    return InboxItem.select().where((InboxItem.kind == ERASURE) & (InboxItem.status == InboxStatus.OPEN)
                                    & (InboxItem.user == user.id)).exists()


def ask_erasure(user: User, message: str) -> InboxItem:
    """Erasure is done by the admin team, who may need to talk to the person first (a mentor with
    mentees, say); asking again while an item is open changes nothing."""
    existing = InboxItem.get_or_none((InboxItem.kind == ERASURE) & (InboxItem.status == InboxStatus.OPEN)
                                     & (InboxItem.user == user.id))
    return existing or inbox.raise_item(ERASURE, name=user.name, email=user.email, user=user, message=message.strip())


class ErasureRefused(Refused):
    """Why someone's data cannot be erased, in words for the admin."""


def is_erased(user: User) -> bool:
    return user.name == ERASED_NAME and not user.is_active


# What erasing someone does, for the admin about to do it.
CONSEQUENCES = [
    "Anything still going on ends first: a waiting request, a mentoring, a place on the register or on a waiting "
    "list. The people on the other side are told, without being given their name.",
    "Their name, email address, profile, photo and everything they wrote are removed: from the portal, from the "
    "emails it sent, from their messages to the team and from any mentor import file.",
    "Dates and counts stay, without their name, so the scheme's figures stay right.",
    "They will not be able to log in again. It cannot be undone: reply to them first if anything needs settling.",
]


def erase(user: User, by: User, item: InboxItem | None = None) -> None:
    """Remove who someone is and what they wrote. Anything still going on is ended first, the
    usual way, so the people on the other side are told, in words that do not name them. All in one
    transaction: the emails that ending things writes to the person are deleted before any is
    queued, so none reaches them."""
    if user.id == by.id:
        raise ErasureRefused("You cannot erase your own account: ask another admin.")
    if is_erased(user):
        raise ErasureRefused("This person's data has already been erased.")
    mentee, mentor = user.mentee, user.mentor
    with database.atomic():
        # Emails written from here on are the notices below, already free of them: only older ones are scrubbed.
        written_before = Email.select(fn.MAX(Email.id)).scalar() or 0
        if mentee:
            waiting = mentor_requests.waiting_request(mentee)
            if waiting:
                try:
                    mentor_requests.cancel(waiting, user, leaving=True)
                except mentor_requests.RequestRefused:
                    pass  # answered a moment ago: if accepted, the mentoring it started is ended below
            active = mentor_requests.active_relationship(mentee)
            if active:
                relationships.withdraw(active, by, leaving=user)
            waitlist.leave_all(mentee.id, by)
        if mentor:
            availability.set_listed(mentor, by, False, leaving=True)  # closes their waiting requests, telling the mentees
            for active in Relationship.select().where((Relationship.mentor == mentor.id)
                                                      & (Relationship.status == RelationshipStatus.ACTIVE)):
                relationships.withdraw(active, by, leaving=user)
            waitlist.close_list(mentor)
            mentor_requests.drop_backups_to(mentor)
        _scrub(user, mentee, mentor, written_before)
        # An admin may act on a request made by phone while one made in the portal is still open.
        for asked in InboxItem.select(InboxItem.id).where((InboxItem.kind == ERASURE)
                                                          & (InboxItem.status == InboxStatus.OPEN)
                                                          & (InboxItem.user == user.id)):
            inbox.close(asked.id, by)
        if item is not None:
            inbox.close(item.id, by)
        audit.record(by, "erased_person", user)


def cancel_invitation(user: User, by: User) -> bool:
    """Someone invited who has not set a password: the invitation's link stops working and nothing of them
    is kept (they never joined, so no figure counts them), the register entry made for them included; if
    they are invited again, they start afresh. False when they have just set their password."""
    with database.atomic():
        # Held, so a password being set now waits, then finds no account, rather than being half-undone.
        never_joined = User.select().where((User.id == user.id) & invitations.PENDING
                                           & User.id.not_in(MenteeProfile.select(MenteeProfile.user)))
        if not (never_joined.for_update() if db.is_postgres() else never_joined).exists():
            return False
        mentor = MentorProfile.get_or_none(MentorProfile.user == user.id)
        _forget_address(user.email, user)
        User.delete().where(User.id == user.id).execute()  # with their links, profile and its history
        if mentor and mentor.photo:
            profiles.drop_photo(mentor.photo)
        audit.record(by, "cancelled_invitation", user)
    return True


def erase_address(item: InboxItem, by: User) -> None:
    """Someone known only by what they sent (interest in mentoring, say): no account to close, only
    what came from or went to their address."""
    if not item.email:
        raise ErasureRefused("This person's details have already been erased.")
    if User.select().where(User.email == item.email).exists():
        raise ErasureRefused("They have an account: erase their data from their record.")
    with database.atomic():
        _forget_address(item.email)
        inbox.close(item.id, by)
        audit.record(by, "erased_person", item)


def _forget_address(address: str, user: User | None = None) -> None:
    """What came from or went to an address: mail, messages to the team, rows of a mentor import."""
    mine, sent = Email.to_address == address, InboxItem.email == address
    if user is not None:
        mine, sent = mine | (Email.user == user.id), sent | (InboxItem.user == user.id)
    # Mail not yet gone to them never will; what went keeps its subject and time, not its words.
    Email.delete().where(mine & (Email.status != EmailStatus.SENT)).execute()
    Email.update(to_address="erased", text_body="", html_body="", held_body="", attachments=[],
                 unsubscribe_url=None).where(mine).execute()
    # The team's replies go with what they answer: quoted back, they would say what the person wrote.
    InboxReply.update(message="").where(InboxReply.item.in_(InboxItem.select(InboxItem.id).where(sent))).execute()
    InboxItem.update(name=ERASED_NAME, email="", message="", details={}).where(sent).execute()
    # A file kept for an import not yet done (never confirmed, say) still holds their row.
    for batch in ImportBatch.select(ImportBatch.id, ImportBatch.data).where(ImportBatch.data.is_null(False)):
        kept = imports.without_person(bytes(batch.data), address)
        if kept is not None:
            ImportBatch.update(data=kept).where(ImportBatch.id == batch.id).execute()


def _counterparts(mentee: MenteeProfile | None, mentor: MentorProfile | None) -> list[User]:
    """The people on the other side of any request this person made or received, or of a waiting list
    (a mentee offered a place with a mentor was told the mentor's name, whether or not they then asked)."""
    found = []
    if mentee:
        found.extend(User.select().join(MentorProfile).join(MentorRequest).where(MentorRequest.mentee == mentee.id))
        found.extend(User.select().join(MentorProfile).join(WaitlistEntry).where(WaitlistEntry.mentee == mentee.id))
    if mentor:
        found.extend(User.select().join(MenteeProfile).join(MentorRequest).where(MentorRequest.mentor == mentor.id))
        found.extend(User.select().join(MenteeProfile).join(WaitlistEntry).where(WaitlistEntry.mentor == mentor.id))
    return found


def _scrub(user: User, mentee: MenteeProfile | None, mentor: MentorProfile | None, written_before: int) -> None:
    now = clock.now()
    _forget_address(user.email, user)
    # Emails to the people on the other side spoke of them: their note, their address, their name. Those
    # gone keep their subject, not their words; those still to go are not sent (what ending things wrote
    # since says what they need to know).
    others = _counterparts(mentee, mentor)
    if others:
        first = user.first_name
        # Their name as a word, as written (SQL's LIKE would take "Jo" in "enjoy" for it).
        named = re.compile(rf"\b{re.escape(first)}\b|(?i:{re.escape(user.email)})")
        theirs = Email.id.in_([e.id for e in Email.select(Email.id, Email.text_body).where(
            Email.to_address.in_([other.email for other in others]) & (Email.id <= written_before))
            if named.search(e.text_body)] or [0])
        Email.delete().where(theirs & (Email.status != EmailStatus.SENT)).execute()
        Email.update(text_body="", html_body="", attachments=[],
                     subject=fn.REPLACE(fn.REPLACE(fn.REPLACE(Email.subject, user.name, "someone"), f"{first}'s",
                                                   "Someone's"), f"{first} ", "Someone ")
                     ).where(theirs).execute()
    if user.is_admin:
        _forget_admin(user)
    # Every link made for them goes: emailed ones, their calendar address, the links that stop their emails.
    ActionLink.delete().where(ActionLink.user == user.id).execute()
    EmailPreference.delete().where(EmailPreference.user == user.id).execute()
    if mentee:
        MenteeProfile.update(grade="", school="", specialty="", trust="", away_tags=[], meet_mode="", usual_days=[],
                             can_reach="", deactivated_at=mentee.deactivated_at or now
                             ).where(MenteeProfile.id == mentee.id).execute()
        MentorRequest.update(**retention.REQUEST_WORDS).where(MentorRequest.mentee == mentee.id).execute()
        _forget_locations(Relationship.mentee == mentee.id)
    if mentor:
        MentorOption.delete().where(MentorOption.mentor == mentor.id).execute()
        ProfileChange.delete().where(ProfileChange.mentor == mentor.id).execute()
        MentorNote.delete().where(MentorNote.mentor == mentor.id).execute()
        MentorProfile.update(
            listed=False, photo=None, grade="", school="", specialty="", trust="", gender="", pronouns="",
            experience_rtt="", experience_away="", why_mentor="", availability_notes="", locations="", interests="",
            contact_details="", search_text="", leave_from=None, leave_until=None, paused_until=None).where(
            MentorProfile.id == mentor.id).execute()
        if mentor.photo:
            profiles.drop_photo(mentor.photo)
        MentorRequest.update(**retention.REQUEST_WORDS).where(MentorRequest.mentor == mentor.id).execute()
        _forget_locations(Relationship.mentor == mentor.id)
    User.update(name=ERASED_NAME, email=f"erased-{user.id}@erased.invalid", pending_email=None, password_hash=None,
                is_active=False, email_confirmed_at=None, last_login_at=None, session_nonce=new_nonce(),
                is_admin=False).where(User.id == user.id).execute()


def _forget_admin(admin: User) -> None:
    """An admin's name was written into the audit log (whom an inbox item was assigned to) and into
    the invitations they sent, some perhaps still to go: the team stands in for them."""
    AuditEvent.update(detail=ERASED_NAME).where((AuditEvent.action == "assigned_inbox_item")
                                                & (AuditEvent.detail == admin.name[:200])).execute()
    invited = Email.template.in_(["invitation", "role_added"])
    Email.update(text_body=fn.REPLACE(Email.text_body, f"{admin.name} has", "The team has"),
                 html_body=fn.REPLACE(Email.html_body, f"{escape(admin.name)} has", "The team has")).where(
        invited & Email.text_body.contains(admin.name)).execute()


def _forget_locations(whose) -> None:
    MentoringSession.update(location="", joining_link="").where(
        MentoringSession.relationship.in_(Relationship.select(Relationship.id).where(whose))).execute()
