"""The daily summary, and each person's choices about their email (Account → Emails, and the one-click
link in every email that can be turned off).

News a person chose to have daily waits in the outbox (EmailStatus.HELD), due at the time of their next
summary (its next_attempt_at). Each minute the sweep gathers, for each person, what is due into one email
with a section per item, sent through the outbox like any other, and marks those items as carried by it
in the same transaction: a sweep run twice, or on two workers at once, sends each item once, and a
summary is never sent empty. Changing one's choices moves what is waiting along with them, under the same
lock as the sweep: released at once, moved to the new time, or, when such news is turned off, not sent.
News held in the moment of a change (mail.send reads the choice without waiting for it) is not lost: it
goes in the next summary, or, turned off, is marked not sent then.
"""
from datetime import datetime

from peewee import fn

from portal.core import clock, mail
from portal.core.db import database
from portal.models import Email, EmailPreference, EmailStatus, User
from portal.rules import emails as email_rules
from portal.rules.emails import NewsChoice


def send_due(now: datetime, limit: int = 500) -> int:
    """One summary for each person whose held news is due; returns how many were sent."""
    # The oldest due first, through the (status, next_attempt_at) index; a DISTINCT here would lead SQLite to
    # walk the (user, status) index instead, every minute. Whoever is left out goes at the next run.
    due = Email.select(Email.user).where((Email.status == EmailStatus.HELD) & (Email.next_attempt_at <= now)).order_by(
        Email.next_attempt_at).limit(10 * limit)
    people = list(dict.fromkeys(row.user_id for row in due))[:limit]
    return sum(_summarise(user_id, now) for user_id in people)


def _lock(user) -> None:
    """Hold the person's choices still until the transaction ends (on PostgreSQL; SQLite writes one
    transaction at a time anyway): their summary and a change of their choices never interleave."""
    EmailPreference.update(updated_at=EmailPreference.updated_at).where(EmailPreference.user == user).execute()


def _summarise(user_id: int, now: datetime) -> bool:
    with database.atomic():
        _lock(user_id)
        items = list(Email.select().where((Email.user == user_id) & (Email.status == EmailStatus.HELD)
                                          & (Email.next_attempt_at <= now)).order_by(Email.id))
        if not items:
            return False  # another sweep sent them a moment ago
        summary_id = send_summary(User.get_by_id(user_id), items)
        # Their words are in the summary now; each item keeps its subject and time, and where it went.
        Email.update(status=EmailStatus.SUMMARISED if summary_id else EmailStatus.NOT_SENT, summary=summary_id,
                     text_body="", html_body="", held_body="", attachments=[]).where(
            Email.id.in_([item.id for item in items])).execute()
    return summary_id is not None


def _without_greeting(source: str) -> str:
    """An item's words without its "Hello Jo," line: the summary says hello once, at the top."""
    first, _, rest = source.partition("\n\n")
    return rest if first.startswith("Hello") and first.endswith(",") and rest else source


def send_summary(user: User, items: list[Email]) -> int | None:
    """The daily summary: one section per item, and every calendar update the items carried."""
    count = len(items)
    return mail.send(user.email, "daily_summary",
                     f"Your daily summary: {count} {'update' if count == 1 else 'updates'}", user=user,
                     name=user.first_name, items=[{"subject": item.subject, "body": _without_greeting(item.held_body)}
                                                  for item in items],
                     attachments=[attached for item in items for attached in item.attachments or []],
                     dedupe_key=f"daily-summary:{user.id}:{items[0].id}")


def waiting(user: User) -> tuple[int, datetime | None]:
    """How many items wait for the person's next summary, and when it is due."""
    count, due = Email.select(fn.COUNT(Email.id), fn.MIN(Email.next_attempt_at)).where(
        (Email.user == user) & (Email.status == EmailStatus.HELD)).tuples().get()
    return count, due


def choose(user: User, news: str | None = None, summary_hour: int | None = None,
           weekly_summary: bool | None = None) -> dict:
    """Save the person's choices (None: as it was). News already waiting follows them: as it happens, it
    goes now; at a new time, it waits for that; turned off, it is not sent. Returns how many items were
    released, moved or withdrawn."""
    now = clock.now()
    with database.atomic():
        _lock(user)
        before = mail.choices_of(user)
        chosen = {"news": before.news if news is None else news,
                  "summary_hour": before.summary_hour if summary_hour is None else summary_hour,
                  "weekly_summary": before.weekly_summary if weekly_summary is None else weekly_summary}
        EmailPreference.insert(user=user, updated_at=now, **chosen).on_conflict(
            conflict_target=[EmailPreference.user], update={**chosen, "updated_at": now}).execute()
        held = (Email.user == user) & (Email.status == EmailStatus.HELD)
        moved = {"released": 0, "moved": 0, "withdrawn": 0}
        if chosen["news"] == NewsChoice.AT_ONCE:
            ids = [row.id for row in Email.select(Email.id).where(held).order_by(Email.id)]
            Email.update(status=EmailStatus.QUEUED, next_attempt_at=now + mail.REQUEUE_AFTER, held_body="").where(
                Email.id.in_(ids)).execute()
            for email_id in ids:
                database.after_commit(lambda email_id=email_id: mail.queue_delivery(email_id))
            moved["released"] = len(ids)
        elif chosen["news"] == NewsChoice.OFF:
            moved["withdrawn"] = Email.update(status=EmailStatus.NOT_SENT, text_body="", html_body="", held_body="",
                                              attachments=[]).where(held).execute()
        elif chosen["summary_hour"] != before.summary_hour:
            moved["moved"] = Email.update(
                next_attempt_at=email_rules.next_summary(now, chosen["summary_hour"])).where(held).execute()
    return moved


def stop(user: User, what: str) -> None:
    """What one click in an email turns off (a key of rules.emails.STOPPABLE)."""
    if what == "news":
        choose(user, news=NewsChoice.OFF)
    else:
        choose(user, weekly_summary=False)
