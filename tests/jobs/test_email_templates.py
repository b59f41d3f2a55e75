"""Each email is written once, in Markdown: its text and HTML bodies say the same words."""
import html
import re
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import render_template

from portal.core import mail
from portal.models import Email

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
# Every email, found by listing the folder: a new one fails below until it has a context here.
NAMES = sorted(p.stem for p in EMAILS.glob("*.md") if not p.stem.startswith("_"))

URL = "http://portal.test/mentoring/7"
WHEN = datetime(2026, 12, 1, 18, 30, tzinfo=timezone.utc)
VIDEO = SimpleNamespace(starts_at=WHEN, length_minutes=60, mode="online", location="",
                        joining_link="https://meet.example.org/abc_def-123")
IN_PERSON = SimpleNamespace(starts_at=WHEN, length_minutes=45, mode="in_person", location="the library, Leeds",
                            joining_link="")
MESSAGE = "Welcome! I am free most Monday evenings.\n\nLet us start there, Jo's choice."
REQUEST = dict(name="Priya", mentee_name="Jo", grade="ST3", specialty="Respiratory medicine",
               note="Coming back after a year of parental leave,\nand nervous about nights.",
               deadline=date(2027, 1, 4), url="http://portal.test/respond/AbC_d-9")

# A request ended and the backups: who was asked next, who was passed over.
PASSED_ON = dict(name="Jo", mentor_name="Priya", why="declined", left=False, message="", skipped=[],
                 asked_name="Tom", deadline=date(2027, 1, 4), url=URL)

CONTEXTS = {
    "change_email": [dict(name="Jo", url="http://portal.test/account/email/AbC_d-9", hours=72)],
    "close_suggested": [dict(name="Jo", other_name="Priya", url=URL)],
    "confirm_email": [dict(name="Jo", url="http://portal.test/confirm/AbC_d-9", hours=48)],
    "daily_summary": [dict(name="Jo", items=[{"subject": "Your mentoring session is confirmed",
                                              "body": "Your session with Priya is confirmed:\n\n> 1 December 2026"}]),
                      dict(name="Jo", items=[{"subject": "A waiting list you were on has closed",
                                              "body": "That waiting list has closed.\n\n<http://portal.test/mentors>"},
                                             {"subject": "2 more sessions agreed", "body": "You have 6 in all."}])],
    "deactivation_warning": [dict(name="Jo", due=date(2026, 12, 1), url="http://portal.test/mentors")],
    "email_changed": [dict(name="Jo", address="jo.new@example.org", by_team=False),
                      dict(name="Jo", address="jo.new@example.org", by_team=True)],
    "inbox_new": [dict(kind="A concern raised", url="http://portal.test/admin/inbox/3")],
    "inbox_reply": [dict(message="Hello Sam,\n\nThank you.\nWe have contacted your mentor."),
                    dict(message="Enjoy the journey back.")],
    "interest_received": [dict()],
    "invitation": [dict(name="Tom", inviter="Ada Admin", role="a peer mentor", days=7,
                        url="http://portal.test/invitation/AbC_d-9")],
    "leave_ended": [dict(name="Priya", visible=True, url=URL), dict(name="Priya", visible=False, url=URL)],
    "mentee_deactivated": [dict(name="Jo", months=6, url="http://portal.test/login"),
                           dict(name="Jo", months=6, url="http://portal.test/login", by_team=True)],
    "mentee_reactivated": [dict(name="Jo", months=6, url="http://portal.test/mentors")],
    "password_changed": [dict(name="Jo", reset_url="http://portal.test/password/forgot")],
    "relationship_closed": [dict(name="Jo", other_name="Priya", is_mentee=True, cancelled=[]),
                            dict(name="Priya", other_name="Jo", is_mentee=False, cancelled=[VIDEO]),
                            dict(name="Priya", other_name="Jo", is_mentee=False, cancelled=[VIDEO, IN_PERSON])],
    "relationship_withdrawn": [dict(name="Jo", other_name="your mentor", left=True, is_mentee=True, url=URL,
                                    cancelled=[VIDEO]),
                               dict(name="Priya", other_name="Jo", left=False, is_mentee=False, url=URL,
                                    cancelled=[])],
    "request_accepted_mentee": [dict(name="Jo", mentor_name="Priya Shah", contact="07700 900123\nWards 3 and 4",
                                     mentor_email="priya@example.org", message=MESSAGE, url=URL),
                                dict(name="Jo", mentor_name="Priya Shah", contact="", message="",
                                     mentor_email="priya@example.org", url=URL)],
    "request_accepted_mentor": [dict(name="Priya", mentee_name="Jo Bloggs", mentee_email="jo@example.org", url=URL)],
    "request_cancelled": [dict(name="Priya", mentee_name="Jo", left=False),
                          dict(name="Priya", mentee_name="", left=True)],
    "request_closed_mentee": [dict(name="Jo", mentor_name="Priya", left=False, url="http://portal.test/mentors"),
                              dict(name="Jo", mentor_name="", left=True, url="http://portal.test/mentors")],
    "request_declined": [dict(name="Jo", mentor_name="Priya", message="My rota is full until March, sorry.",
                              url="http://portal.test/mentors"),
                         dict(name="Jo", mentor_name="Priya", message="", url="http://portal.test/mentors")],
    "request_expired_mentee": [dict(name="Jo", mentor_name="Priya", url="http://portal.test/mentors")],
    "request_expired_mentor": [dict(name="Priya", mentee_name="Jo")],
    "request_new": [REQUEST],
    "request_passed_on": [dict(PASSED_ON, why="declined", message="My rota is full until March, sorry."),
                          dict(PASSED_ON, why="expired", skipped=["Sam"]),
                          dict(PASSED_ON, why="closed", left=True, mentor_name="", skipped=["Sam", "Alex"])],
    "request_choices_ended": [dict(PASSED_ON, why="declined", skipped=["Sam"], url="http://portal.test/mentors"),
                              dict(PASSED_ON, why="closed", skipped=["Sam", "Alex"], message="",
                                   url="http://portal.test/mentors")],
    "request_question": [dict(name="Jo", mentor_name="Priya", question="Would evenings suit you?\nOr weekends?",
                              deadline=date(2027, 1, 4), url=URL)],
    "request_reply": [dict(REQUEST, question="Would evenings suit you?", reply="Evenings are best.\nAfter 7pm.")],
    "pause_ended": [dict(name="Priya", visible=True, url=URL), dict(name="Priya", visible=False, url=URL)],
    "request_reminder": [dict(REQUEST, last_day=False), dict(REQUEST, last_day=True)],
    "reset_password": [dict(name="Jo", minutes=30, url="http://portal.test/password/reset/AbC_d-9")],
    "role_added": [dict(name="Bea", inviter="Ada Admin", role="a member of the admin team",
                        login_url="http://portal.test/login")],
    "session_cancelled": [dict(name="Jo", other_name="Priya", mentoring_session=VIDEO, attachments=True, url=URL),
                          dict(name="Jo", other_name="Priya", mentoring_session=VIDEO, attachments=False, url=URL)],
    "session_cancelled_own": [dict(name="Priya", mentoring_session=VIDEO)],
    "session_confirmed": [dict(name="Jo", other_name="Priya", mentoring_session=VIDEO, platform="Zoom", url=URL),
                          dict(name="Jo", other_name="Priya", mentoring_session=IN_PERSON, platform="", url=URL)],
    "session_outcome": [dict(name="Jo", other_name="Priya", mentoring_session=VIDEO, url=URL)],
    "session_proposed": [dict(name="Jo", other_name="Priya", mentoring_session=VIDEO, platform="", url=URL)],
    "session_reminder": [dict(name="Jo", other_name="Priya", mentoring_session=IN_PERSON, platform="", url=URL)],
    "sessions_granted": [dict(name="Jo", extra=2, allowed=8, url=URL)],
    "signup_existing": [dict(name="Jo", login_url="http://portal.test/login",
                             reset_url="http://portal.test/password/forgot",
                             join_url="http://portal.test/account/join-as-mentee")],
    "survey_invite": [dict(name="Jo", reminder=False, url="http://portal.test/survey/AbC_d-9"),
                      dict(name="Jo", reminder=True, url="http://portal.test/survey/AbC_d-9")],
    "waitlist_closed": [dict(name="Jo", url="http://portal.test/mentors")],
    "waitlist_left": [dict(name="Jo", mentor_name="Priya Shah", left=["Tom Lee"], url="http://portal.test/mentoring"),
                      dict(name="Jo", mentor_name="Priya Shah", left=["Tom Lee", "Ana Cruz"],
                           url="http://portal.test/mentoring")],
    "waitlist_offer": [dict(name="Jo", mentor_name="Priya", expires=date(2026, 12, 4), url="http://portal.test/mentors/2")],
    "weekly_summary": [dict(week_of=date(2026, 11, 30), due_days=2, quiet_match_weeks=3, quiet_signup_months=2,
                            window_months=6, figures={"due_soon": 1, "quiet_match": 0, "quiet_signup": 3,
                                                      "past_window": 0, "open_items": 2, "failed_emails": 0,
                                                      "back_from_leave": 1},
                            dashboard_url="http://portal.test/admin/", inbox_url="http://portal.test/admin/inbox",
                            health_url="http://portal.test/admin/health",
                            register_url="http://portal.test/admin/mentors?state=leave")],
    "window_nudge": [dict(name="Jo", other_name="Priya", window=6, state={"text": "0 of 4"}, url=URL)],
}


def words_of_text(text: str) -> list[str]:
    """The words a reader sees, without Markdown's marks (quote signs, list dashes, emphasis)."""
    return [word.strip("*_") for word in text.split() if word.strip("*_>-")]


def words_of_html(markup: str) -> list[str]:
    """The words a reader sees: block tags part words, inline ones (a link, emphasis) do not."""
    spaced = re.sub(r"</?(?:p|br|li|ul|ol|blockquote|hr|div|h\d)\b[^>]*>", " ", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", spaced)).split()


def test_every_email_has_a_realistic_context():
    assert NAMES and set(NAMES) == set(CONTEXTS)


@pytest.mark.parametrize("name", NAMES)
def test_the_text_and_html_of_an_email_say_the_same_words(app_context, name):
    for context in CONTEXTS[name]:
        context = {"scheme_name": "Peer mentoring", "inbox_email": "team@example.org", **context}
        source = render_template(f"emails/{name}.md", **context).strip()
        text, markup = mail.text_of_markdown(source), mail.html_of_markdown(source)
        assert words_of_text(text) == words_of_html(markup)
        assert "{{" not in text and "{%" not in text and "<http" not in text
        for link in re.findall(r"https?://\S+", text):  # clickable in both
            assert f'href="{html.escape(link)}"' in markup
        whole_text, whole_html = mail.render(name, "A subject", **context)
        assert text in whole_text and "Questions? Email the team at team@example.org." in whole_text
        assert markup in whole_html and 'href="mailto:team@example.org"' in whole_html


def test_what_people_typed_cannot_add_html_to_an_email(app_context):
    typed = '<script>alert(1)</script> <b onclick="x()">Hi</b> [click](javascript:alert(1))'
    source = render_template("emails/inbox_reply.md", message=typed)
    markup = mail.html_of_markdown(source)
    assert "<script" not in markup and "<b " not in markup and "<b>" not in markup and "javascript:" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup and typed in mail.text_of_markdown(source)


def test_a_cancelled_session_email_mentions_the_calendar_update_it_carries(app_context):
    def sent(attachments):
        email_id = mail.send("jo@example.org", "session_cancelled", "Priya has cancelled a session", name="Jo",
                             other_name="Priya", mentoring_session=VIDEO, url=URL, attachments=attachments)
        return Email.get_by_id(email_id)

    update = "The attached update removes it from your calendar."
    with_update = sent([{"filename": "session.ics", "content_type": "text/calendar", "content": "BEGIN:VCALENDAR"}])
    assert update in with_update.text_body and update in with_update.html_body
    assert update not in sent(None).text_body
