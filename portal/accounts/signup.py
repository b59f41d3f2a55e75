"""Mentees signing up themselves: the eligibility declaration, the agreement version accepted, and
confirming their email address; a mentor joining as a mentee too."""

from peewee import IntegrityError

from portal.accounts import emails, logins
from portal.core import audit, clock, content, links
from portal.core.db import database
from portal.models import MenteeProfile, User


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
    password_hash = logins.hash_password(form.password.data)
    try:
        with database.atomic():
            if logins.find(form.email.data) is None:
                user = User.create(email=form.email.data, name=form.name.data, password_hash=password_hash)
                MenteeProfile.create(user=user, **mentee_profile_values(form))
                audit.record(user, "signed_up", user)
                emails.send_confirmation(user)
                return
    except IntegrityError:
        pass  # the same address signed up a moment ago (a double click): treat it as taken
    existing = logins.find(form.email.data)
    emails.send_signup_attempt(existing)


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


def resend_confirmation(email: str) -> None:
    user = logins.find(email)
    if user and not user.email_confirmed_at and user.is_active:
        emails.send_confirmation(user)


def confirm_email(link) -> User:
    with database.atomic():
        links.spend(link)
        user = User.get_by_id(link.user_id)
        if not user.email_confirmed_at:
            User.update(email_confirmed_at=clock.now()).where(User.id == user.id).execute()
            audit.record(user, "confirmed_email", user)
    return user
