"""A copy of everything the portal holds about a person, and who in the team has looked at it (their
"Your data" page and its download)."""
import base64
import json
from datetime import date, datetime

from flask import Response
from peewee import JOIN

from portal.core import clock, inbox, mail
from portal.mentoring import feed
from portal.models import (ActionLink, AuditEvent, Email, InboxItem, InboxReply, MenteeProfile, MentoringSession,
                           MentorNote, MentorProfile, MentorRequest, ProfileChange, Relationship, StoredPhoto, User,
                           WaitlistEntry)
from portal.rules import requests as request_rules

MENTEE_FIELDS = ("grade", "school", "specialty", "trust", "eligibility", "reason", "expected_return",
                 "agreement_version", "agreement_accepted_at", "sessions_allowed", "period_started_at",
                 "first_requested_at", "matched_at", "deactivated_at", "created_at", "away_tags", "meet_mode",
                 "usual_days", "can_reach")


MENTOR_FIELDS = ("grade", "school", "specialty", "trust", "gender", "pronouns", "experience_rtt", "experience_away",
                 "why_mentor", "availability_notes", "meets_in_person", "meets_online", "locations", "interests",
                 "contact_details", "capacity", "listed", "paused", "paused_until", "leave_from", "leave_until",
                 "course_part1_on",
                 "course_part2_on", "last_supervision_on", "created_at", "updated_at")


def _plain(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _fields(row, names) -> dict:
    return {name: _plain(getattr(row, name)) for name in names}


def _name_of(profile_model, profile_id: int) -> str:
    return User.select(User.name).join(profile_model).where(profile_model.id == profile_id).get().name


def export(user: User) -> dict:
    """Everything the portal holds about one person, as plain values (times in UTC)."""
    found = {
        "account": {**_fields(user, ("name", "email", "pending_email", "created_at", "email_confirmed_at",
                                      "last_login_at")),
                    "admin": user.is_admin},
        "survey": "Survey answers are kept without any link to the person who gave them, so none are listed here.",
    }
    mentee, mentor = user.mentee, user.mentor
    if mentee:
        found["mentee"] = _fields(mentee, MENTEE_FIELDS)
        found["mentee"]["requests"] = [
            {"mentor": _name_of(MentorProfile, r.mentor_id), "your_note": r.note,
             "their_message": r.decline_message, "their_question": r.question, "your_reply": r.reply,
             "your_choice": "first" if r.choice == 1 else f"backup {r.choice - 1}",
             **_fields(r, ("status", "created_at", "deadline", "decided_at"))}
            for r in MentorRequest.select().where(MentorRequest.mentee == mentee.id).order_by(MentorRequest.id)]
        found["mentee"]["waiting_lists"] = [
            {"mentor": _name_of(MentorProfile, w.mentor_id), **_fields(w, ("status", "joined_at", "closed_at"))}
            for w in WaitlistEntry.select().where(WaitlistEntry.mentee == mentee.id).order_by(WaitlistEntry.id)]
        found["mentee"]["mentoring"] = [_relationship(r, MentorProfile, r.mentor_id)
                                        for r in Relationship.select().where(Relationship.mentee == mentee.id)]
    if mentor:
        found["mentor"] = _fields(mentor, MENTOR_FIELDS)
        found["mentor"]["choices"] = sorted(f"{o.kind}: {o.value}" for o in mentor.options)
        found["mentor"]["headshot"] = _headshot(mentor.photo)
        # Only requests that reached them: a backup never sent is not theirs to know of.
        found["mentor"]["requests_received"] = [
            {"mentee": _name_of(MenteeProfile, r.mentee_id), "their_note": r.note, "your_message": r.decline_message,
             "your_question": r.question, "their_reply": r.reply,
             **_fields(r, ("status", "created_at", "deadline", "decided_at"))}
            for r in MentorRequest.select().where((MentorRequest.mentor == mentor.id)
                                                  & MentorRequest.status.not_in(request_rules.NEVER_ASKED))
            .order_by(MentorRequest.id)]
        found["mentor"]["mentoring"] = [
            {**_relationship(r, MenteeProfile, r.mentee_id),
             "your_private_notes": "".join(n.text for n in MentorNote.select().where(MentorNote.relationship == r.id))}
            for r in Relationship.select().where(Relationship.mentor == mentor.id)]
        found["mentor"]["profile_changes"] = [
            {"changed_at": _plain(c.changed_at), "changes": c.changes}
            for c in ProfileChange.select().where(ProfileChange.mentor == mentor.id).order_by(ProfileChange.id)]
    choices = mail.choices_of(user)
    found["email_choices"] = {"news": choices.news, "daily_summary_hour": choices.summary_hour,
                              **({"weekly_summary_copy": choices.weekly_summary} if user.is_admin else {})}
    # That a lasting link exists and since when, not the link itself: the download may be kept anywhere.
    found["private_links"] = [
        {"for": LASTING.get(link.purpose, link.purpose), **_fields(link, ("created_at", "revoked_at"))}
        for link in ActionLink.select().where((ActionLink.user == user.id) & ActionLink.expires_at.is_null())
        .order_by(ActionLink.id)]
    found["emails_sent_to_you"] = [
        _fields(e, ("subject", "created_at", "sent_at", "status"))
        for e in Email.select().where((Email.user == user.id) | (Email.to_address == user.email)).order_by(Email.id)]
    found["messages_to_the_team"] = _messages_to_the_team(user)
    found["what_you_did"] = [_fields(a, ("at", "action"))
                             for a in AuditEvent.select().where(AuditEvent.actor == user.id).order_by(AuditEvent.id)]
    found["looked_at_by_the_team"] = [{"who": look["who"], "what": look["what"], "at": _plain(look["at"])}
                                      for look in looks(user)]
    return found


def _messages_to_the_team(user: User) -> list[dict]:
    """What they sent the team and the team's replies, in one query (a row for each reply)."""
    messages = {}
    rows = (InboxItem.select(InboxItem, InboxReply).join(InboxReply, JOIN.LEFT_OUTER, attr="reply")
            .where((InboxItem.user == user.id) | (InboxItem.email == user.email))
            .order_by(InboxItem.id, InboxReply.id))
    for item in rows:
        message = messages.setdefault(item.id, {
            "about": inbox.KINDS.get(item.kind, item.kind), **_fields(item, ("message", "created_at", "status")),
            "replies_from_the_team": []})
        if getattr(item, "reply", None) is not None and item.reply.id is not None:
            message["replies_from_the_team"].append(_fields(item.reply, ("message", "sent_at")))
    return list(messages.values())


def download(user: User) -> Response:
    body = json.dumps(export(user), indent=2, ensure_ascii=False)
    filename = f"peer-mentoring-data-{clock.today_london().isoformat()}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


# What each lasting link of a person's is for, in words for them.
LASTING = {feed.PURPOSE: "your calendar address", mail.unsubscribe_purpose("news"): "stopping news emails",
           mail.unsubscribe_purpose("weekly"): "stopping your copy of the weekly summary"}


# An admin opening someone's data (recorded in the audit log by the admin pages), in words for that person.
LOOKS = {
    "viewed_person": ("looked at", "your record"),
    "viewed_mentor_entry": ("looked at", "your entry on the mentor register"),
    "viewed_person_data": ("downloaded", "a copy of your data"),
    "viewed_inbox_item": ("looked at", "a message you sent the team"),
    "viewed_request": ("looked at", "your request for a mentor"),
}


def looks(user: User) -> list[dict]:
    """Who in the team opened this person's data, and when, newest first (their own looks aside)."""
    theirs = InboxItem.select(InboxItem.id).where((InboxItem.user == user.id) | (InboxItem.email == user.email))
    about = (((AuditEvent.object_type == "user") & (AuditEvent.object_id == user.id))
             | ((AuditEvent.object_type == "inboxitem") & AuditEvent.object_id.in_(theirs)))
    found = (AuditEvent.select(AuditEvent, User).join(User, on=(AuditEvent.actor == User.id))
             .where(AuditEvent.action.in_(list(LOOKS)) & about & (AuditEvent.actor != user.id))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    return [{"who": event.actor.name, "did": LOOKS[event.action][0], "what": LOOKS[event.action][1], "at": event.at}
            for event in found]


def _headshot(key: str | None) -> dict | None:
    """The photo as it is kept and shown (the larger size; the card is the same picture smaller)."""
    stored = StoredPhoto.get_or_none(StoredPhoto.key == key) if key else None
    if stored is None:
        return None
    return {"filename": "headshot.webp", "media_type": "image/webp",
            "base64": base64.b64encode(bytes(stored.profile)).decode("ascii")}


def _relationship(relationship: Relationship, other_model, other_id: int) -> dict:
    return {"with": _name_of(other_model, other_id),
            **_fields(relationship, ("status", "opened_at", "closed_at")),
            # "place" is the word a person reads for a session's location, as on the session form.
            "sessions": [{**_fields(s, ("starts_at", "length_minutes", "mode", "platform", "joining_link")),
                          "place": s.location, **_fields(s, ("status",))}
                         for s in relationship.sessions.order_by(MentoringSession.starts_at)]}
