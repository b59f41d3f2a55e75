"""The emails about requests, waiting lists and mentees still choosing, one function each: who it goes
to, its subject, what its words (templates/emails/<template>.md) are given, and its dedupe key."""
from datetime import datetime

from flask import current_app

from portal.core import links, mail
from portal.models import MenteeProfile, MentorProfile, MentorRequest, Relationship, User, WaitlistEntry

# What the link in a mentor's request email is for: answering that one request.
DECISION = "request_decision"


def _about(mentor_request: MentorRequest) -> dict:
    """What a mentor is told of the mentee asking: first name, training and their note."""
    mentee, mentee_user, mentor_user = mentor_request.mentee, mentor_request.mentee_user, mentor_request.mentor_user
    return {"name": mentor_user.first_name, "mentee_name": mentee_user.first_name, "grade": mentee.grade,
            "specialty": mentee.specialty or mentee.school, "note": mentor_request.note,
            "deadline": mentor_request.deadline}


def _answer_url(mentor_request: MentorRequest, now: datetime) -> str:
    return _answer_urls([mentor_request], now)[0]


def _answer_urls(mentor_requests: list[MentorRequest], now: datetime) -> list[str]:
    """For each request, a link that answers it without a password, working until its deadline (made
    in one insert)."""
    tokens = links.issue_all(DECISION, [(r.mentor_user, r.deadline - now, r.id) for r in mentor_requests])
    return [links.external_url("requests.respond", token=token) for token in tokens]


def send_request(mentor_request: MentorRequest, now: datetime) -> None:
    mentor_user = mentor_request.mentor_user
    mail.send(mentor_user.email, "request_new", f"{mentor_request.mentee_user.first_name} would like you as their "
              "mentor", user=mentor_user, **_about(mentor_request), url=_answer_url(mentor_request, now),
              dedupe_key=f"request-new:{mentor_request.id}")


def send_reminders(reminders: list[tuple[MentorRequest, bool, int]], now: datetime) -> None:
    """Each (request, whether today is its last day, which reminder this is) to its mentor."""
    urls = _answer_urls([mentor_request for mentor_request, _, _ in reminders], now)
    mentees = {m.id: m for m in MenteeProfile.select().where(MenteeProfile.id.in_(sorted({r.mentee_id for r, _, _ in reminders})))}
    for (mentor_request, last_day, number), url in zip(reminders, urls):
        mentor_request.mentee = mentees[mentor_request.mentee_id]
        mentor_user = mentor_request.mentor_user
        mail.send(mentor_user.email, "request_reminder",
                  "Today is the last day to answer a request" if last_day else "A reminder: a request is waiting",
                  user=mentor_user, **_about(mentor_request), last_day=last_day, url=url,
                  dedupe_key=f"request-reminder:{mentor_request.id}:{number}")


def send_accepted(mentor_request: MentorRequest, relationship: Relationship) -> None:
    """Both are put in touch: each is given the other's contact details, and the mentee the mentor's message."""
    mentee_user, mentor_user = mentor_request.mentee_user, mentor_request.mentor_user
    mentor = MentorProfile.get_by_id(mentor_request.mentor_id)
    url = links.external_url("mentoring.relationship", relationship_id=relationship.id)
    mail.send(mentee_user.email, "request_accepted_mentee", f"{mentor_user.first_name} will be your mentor",
              user=mentee_user, name=mentee_user.first_name, mentor_name=mentor_user.name,
              contact=mentor.contact_details, mentor_email=mentor_user.email, message=mentor_request.decline_message,
              url=url, dedupe_key=f"request-accepted:{mentor_request.id}:mentee")
    mail.send(mentor_user.email, "request_accepted_mentor", f"You are now {mentee_user.first_name}'s mentor",
              user=mentor_user, name=mentor_user.first_name, mentee_name=mentee_user.name,
              mentee_email=mentee_user.email, url=url, dedupe_key=f"request-accepted:{mentor_request.id}:mentor")


# How a request that ended without a match is explained to the mentee: (template, subject), where the
# subject may name the mentor.
UNMATCHED = {
    "request_declined": ("request_declined", "{mentor} cannot be your mentor just now"),
    "request_expired": ("request_expired_mentee", "Your request has closed: please choose another mentor"),
    "request_closed": ("request_closed_mentee", "{mentor} is not taking mentees just now"),
}


# Why the mentor asked is no longer being asked, in the mentee's emails about their backups.
WHY_ENDED = {"request_declined": "declined", "request_expired": "expired", "request_closed": "closed"}


def send_unmatched(mentor_request: MentorRequest, action: str, mentor_leaving: bool,
                   asked: MentorRequest | None = None, skipped: list[MentorRequest] = ()) -> None:
    """The mentee is told their request ended: that their next backup has been asked, or, when there is
    no one left, invited to choose again; without the mentor's name when the mentor's data is being erased."""
    if action not in UNMATCHED:
        return
    if asked is not None or skipped:
        _send_backup_news(mentor_request, action, mentor_leaving, asked, skipped)
        return
    mentee_user, mentor_user = mentor_request.mentee_user, mentor_request.mentor_user
    template, subject = UNMATCHED[action]
    if mentor_leaving:
        subject = "Your request has closed: please choose another mentor"
    mail.send(mentee_user.email, template, subject.format(mentor=mentor_user.first_name), user=mentee_user,
              name=mentee_user.first_name, mentor_name="" if mentor_leaving else mentor_user.first_name,
              left=mentor_leaving, message=mentor_request.decline_message,
              url=links.external_url("directory.directory"), dedupe_key=f"{action}:{mentor_request.id}")


def _send_backup_news(mentor_request: MentorRequest, action: str, mentor_leaving: bool,
                      asked: MentorRequest | None, skipped: list[MentorRequest]) -> None:
    mentee_user = mentor_request.mentee_user
    context = dict(user=mentee_user, name=mentee_user.first_name, why=WHY_ENDED[action], left=mentor_leaving,
                   mentor_name="" if mentor_leaving else mentor_request.mentor_user.first_name,
                   message=mentor_request.decline_message,
                   skipped=[backup.mentor_user.first_name for backup in skipped],
                   dedupe_key=f"{action}:{mentor_request.id}")
    if asked is not None:
        mail.send(mentee_user.email, "request_passed_on", f"We have asked your backup, {asked.mentor_user.first_name}",
                  asked_name=asked.mentor_user.first_name, deadline=asked.deadline,
                  url=links.external_url("mentoring.mine"), **context)
    else:
        mail.send(mentee_user.email, "request_choices_ended", "None of your choices can take you on just now",
                  url=links.external_url("directory.directory"), **context)


def send_question(mentor_request: MentorRequest) -> None:
    """The mentor's question before answering: the mentee replies in the portal."""
    mentee_user = mentor_request.mentee_user
    mail.send(mentee_user.email, "request_question", f"{mentor_request.mentor_user.first_name} has a question before "
              "answering", user=mentee_user, name=mentee_user.first_name,
              mentor_name=mentor_request.mentor_user.first_name, question=mentor_request.question,
              deadline=mentor_request.deadline, url=links.external_url("mentoring.mine"),
              dedupe_key=f"request-question:{mentor_request.id}")


def send_reply(mentor_request: MentorRequest, now: datetime) -> None:
    """The mentee's answer to the mentor's question, with the link to answer the request."""
    mentor_user = mentor_request.mentor_user
    mail.send(mentor_user.email, "request_reply", f"{mentor_request.mentee_user.first_name} has answered your "
              "question", user=mentor_user, name=mentor_user.first_name,
              mentee_name=mentor_request.mentee_user.first_name, question=mentor_request.question,
              reply=mentor_request.reply, deadline=mentor_request.deadline, url=_answer_url(mentor_request, now),
              dedupe_key=f"request-reply:{mentor_request.id}")


def send_cancelled(mentor_request: MentorRequest, mentee_leaving: bool) -> None:
    """The mentor is told a request to them was taken back (without the mentee's name when their data is
    being erased)."""
    mentor_user, first_name = mentor_request.mentor_user, mentor_request.mentee_user.first_name
    mail.send(mentor_user.email, "request_cancelled", "A request to you has been withdrawn" if mentee_leaving
              else f"{first_name} has withdrawn their request", user=mentor_user, name=mentor_user.first_name,
              mentee_name="" if mentee_leaving else first_name, left=mentee_leaving,
              dedupe_key=f"request-cancelled:{mentor_request.id}")


def send_expired_to_mentor(mentor_request: MentorRequest) -> None:
    mentor_user = mentor_request.mentor_user
    mail.send(mentor_user.email, "request_expired_mentor", "A request to you has closed", user=mentor_user,
              name=mentor_user.first_name, mentee_name=mentor_request.mentee_user.first_name,
              dedupe_key=f"request-expired:{mentor_request.id}:mentor")


def send_waitlist_closed(entry: WaitlistEntry) -> None:
    mentee_user = entry.mentee_user
    mail.send(mentee_user.email, "waitlist_closed", "A waiting list you were on has closed", user=mentee_user,
              name=mentee_user.first_name, url=links.external_url("directory.directory"),
              dedupe_key=f"waitlist-closed:{entry.id}")


def send_waitlists_left(mentor_request: MentorRequest, entries: list[WaitlistEntry]) -> None:
    """Matched, the mentee is taken off the waiting lists they were on: said once, naming them."""
    mentee_user = mentor_request.mentee_user
    mail.send(mentee_user.email, "waitlist_left", "You have left your waiting lists" if len(entries) > 1
              else "You have left a waiting list", user=mentee_user, name=mentee_user.first_name,
              mentor_name=mentor_request.mentor_user.name, left=[entry.mentor.user.name for entry in entries],
              url=links.external_url("mentoring.mine"), dedupe_key=f"waitlist-left:{mentor_request.id}")


def send_waitlist_offer(entry: WaitlistEntry, expires: datetime) -> None:
    mentee_user, mentor_name = entry.mentee_user, entry.mentor_user.name
    mail.send(mentee_user.email, "waitlist_offer", f"A place with {mentor_name} is free for you",
              user=mentee_user, name=mentee_user.first_name, mentor_name=mentor_name, expires=expires,
              url=links.external_url("directory.profile", mentor_id=entry.mentor_id),
              dedupe_key=f"waitlist-offer:{entry.id}")


def send_deactivation_warning(user: User, mentee_id: int, due: datetime, warning: int) -> None:
    mail.send(user.email, "deactivation_warning", "Choose a mentor to keep your account open", user=user,
              name=user.first_name, due=due, url=links.external_url("directory.directory"),
              dedupe_key=f"deactivation-warning:{mentee_id}:{due.isoformat()}:{warning}")


def send_deactivated(user: User, mentee_id: int, period_started: datetime, by_team: bool = False) -> None:
    mail.send(user.email, "mentee_deactivated", "Your mentee account has been paused", user=user,
              name=user.first_name, months=current_app.config["DEACTIVATE_AFTER_MONTHS"], by_team=by_team,
              url=links.external_url("accounts.login"),
              dedupe_key=f"deactivated:{mentee_id}:{period_started.isoformat()}")


def send_reactivated(user: User, mentee_id: int, now: datetime) -> None:
    mail.send(user.email, "mentee_reactivated", "Your mentee account is open again", user=user,
              name=user.first_name, months=current_app.config["DEACTIVATE_AFTER_MONTHS"],
              url=links.external_url("directory.directory"), dedupe_key=f"reactivated:{mentee_id}:{now.isoformat()}")
