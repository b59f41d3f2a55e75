"""The team's weekly summary: on Monday at 08:00 London time, one email to the scheme's inbox, and a copy
to each admin who keeps theirs (Account → Emails), with the week's counts and links into the portal.

Counts only: no names and nothing anyone wrote, as it goes to a shared mailbox. The sweep runs every
minute and checks the London time itself (RQ's cron schedules run in UTC, an hour out all summer); a
dedupe key for the week, one per address, makes it go once, and a sweep missed at 08:00 sends it later
that Monday.
"""
from datetime import date, datetime, timedelta

from portal.admin import dashboard, emails
from portal.core.db import database
from portal.models import Email, EmailStatus, MentorProfile, User
from portal.rules import emails as email_rules


def figures(now: datetime, monday: date) -> dict:
    """The week's counts. A mentor is back the day after their leave ends."""
    counts = dashboard.counts(now)
    return {
        **{name: counts[name] for name in ("due_soon", "quiet_match", "quiet_signup", "past_window", "open_items")},
        "failed_emails": Email.select().where(Email.status == EmailStatus.FAILED).count(),
        "back_from_leave": MentorProfile.select().where(
            MentorProfile.leave_until.between(monday - timedelta(days=1), monday + timedelta(days=5))).count(),
    }


def admins_who_can_log_in() -> list[User]:
    """Each is sent a copy: mail.send leaves out those who turned theirs off."""
    return list(User.select().where(User.is_admin & User.is_active & User.password_hash.is_null(False))
                .order_by(User.id))


def send_due(now: datetime) -> int:
    """This week's summary, if it is due and not yet sent; returns how many emails were written."""
    monday = email_rules.weekly_summary_due(now)
    if monday is None or Email.select().where(Email.dedupe_key == emails.weekly_key(monday, None)).exists():
        return 0
    with database.atomic():
        return emails.send_weekly_summary(figures(now, monday), monday, admins_who_can_log_in())
