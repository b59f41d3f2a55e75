"""The survey's one email, first sent and then as its reminder: a single-use link to the portal's own
survey, or the scheme's own survey at SURVEY_URL."""
from datetime import timedelta

from flask import current_app

from portal.core import links, mail
from portal.models import SurveyInvite, User

# What the survey email's link is for: answering once, tied to the invitation and never to the answers.
PURPOSE = "survey"


def send_surveys(invitations: list[tuple[SurveyInvite, User]], reminder: bool) -> None:
    """Each (invitation, its mentee) their survey email, or its reminder."""
    url = current_app.config["SURVEY_URL"]
    if url:
        urls = [url] * len(invitations)
    else:
        days = current_app.config["SURVEY_LINK_DAYS"]
        urls = [links.external_url("survey.answer", token=token) for token in links.issue_all(
            PURPOSE, [(user, timedelta(days=days), invite_row.id) for invite_row, user in invitations])]
    for (invite_row, user), url in zip(invitations, urls):
        mail.send(user.email, "survey_invite", "A reminder: how was your peer mentoring?" if reminder
                  else "How was your peer mentoring? Five minutes of your time", user=user, name=user.first_name,
                  url=url, reminder=reminder,
                  dedupe_key=f"survey:{invite_row.id}:{'reminder' if reminder else 'first'}")
