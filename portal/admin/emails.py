"""The admin team's own email: the weekly summary, to the scheme's inbox and to each admin keeping a copy."""
from datetime import date

from flask import current_app

from portal.admin import dashboard
from portal.core import formatting, links, mail
from portal.models import User


def weekly_key(monday: date, admin: User | None) -> str:
    """One summary a week for each address: the team's inbox, or an admin's own."""
    return f"weekly-summary:{monday.isoformat()}:{admin.id if admin else 'team'}"


def send_weekly_summary(figures: dict, monday: date, admins: list[User]) -> int:
    """Counts and links only (see portal/admin/summary.py); returns how many emails were written."""
    inbox = current_app.config["SCHEME_INBOX_EMAIL"]
    subject = f"The week ahead in peer mentoring: {formatting.short_date(monday)}"
    context = dict(figures=figures, week_of=monday, due_days=dashboard.DUE_SOON_WORKING_DAYS,
                   quiet_match_weeks=dashboard.STALLED_MATCH.days // 7,
                   quiet_signup_months=dashboard.QUIET_SIGNUP_MONTHS,
                   window_months=current_app.config["SESSION_WINDOW_MONTHS"],
                   dashboard_url=links.external_url("admin.home"), inbox_url=links.external_url("admin.inbox_list"),
                   health_url=links.external_url("admin.health"),
                   register_url=links.external_url("admin.mentors_list", state="leave"))
    written = mail.send(inbox, "weekly_summary", subject, dedupe_key=weekly_key(monday, None), **context) is not None
    for admin in admins:
        if admin.email != inbox:
            written += mail.send(admin.email, "weekly_summary", subject, user=admin,
                                 dedupe_key=weekly_key(monday, admin), **context) is not None
    return written
