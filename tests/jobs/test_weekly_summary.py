"""The team's weekly summary: Monday at 08:00 London time, summer and winter; what it counts; once a
week however often the sweep runs; and each admin's own copy, which they can turn off."""
from datetime import date, datetime

import pytest

from jobs.sweeps import send_weekly_summary
from portal.core import digest, inbox
from portal.models import Email, EmailStatus, MentorProfile, User
from portal.rules.emails import NewsChoice
from tests.support.clock import at
from tests.support.factories import make_mentor, make_user
from tests.support.jobs import sweep
from tests.support.mentoring import NOTE, make_pair
from tests.support.servers import html_of, text_of

TEAM = "team@example.org"
WORRY = "I am worried about my rota and my supervisor"


@pytest.fixture
def admins(app_context):
    return (make_user("ada@example.org", "Ada Admin", admin=True),
            make_user("bea@example.org", "Bea Admin", admin=True))


def summaries(mailbox, address=None) -> list:
    return [m for m in mailbox.messages if m["Subject"].startswith("The week ahead") and address in (None, m["To"])]


def week(app):
    """One of each thing the summary counts, as seen on Monday 30 November 2026."""
    make_pair(app, 1, when="2026-11-02T10:00")  # matched four weeks ago, no session
    make_pair(app, 2, accept=False, when="2026-11-25T10:00")  # waiting: due by the end of Wednesday 2 December
    make_pair(app, 3, accept=False, when="2026-11-20T10:00")  # due by Friday 27 November: already past, still waiting
    make_pair(app, 4, accept=False, when="2026-11-27T10:00")  # due Friday 4 December: not within two working days
    make_pair(app, 5, when="2026-04-01T10:00")  # matched eight months ago: past the window (and quiet)
    with app.app_context():
        with at("2026-09-01T10:00"):
            make_user("quiet@example.org", "Quinn Quiet", mentee=True)  # signed up, never asked anyone
        inbox.raise_item("concern", name="Sam Worried", email="sam@example.org", message=WORRY)
        inbox.raise_item("interest", name="Ira Interested", email="ira@example.org", message="I would like to help")
        for n, until in ((1, date(2026, 11, 29)), (2, date(2026, 12, 4)), (3, date(2026, 12, 6))):
            mentor = make_mentor(f"away{n}@example.org", f"Away Mentor{n}")
            MentorProfile.update(leave_from=date(2026, 10, 1), leave_until=until).where(
                MentorProfile.id == mentor.id).execute()  # back on Monday 30th and Saturday 5th; the third on the 7th
        Email.update(status=EmailStatus.FAILED, last_error="550 no such user").where(
            Email.to_address == "mentee1@example.org").execute()
    return Email.select().where(Email.status == EmailStatus.FAILED).count()


def test_the_summary_counts_the_week_and_links_into_the_portal_with_no_names_or_words(app, admins, mailbox):
    failed = week(app)
    assert failed
    sweep(app, send_weekly_summary, "2026-11-30T07:59")
    assert not summaries(mailbox)
    sweep(app, send_weekly_summary, "2026-11-30T08:00")
    message, = summaries(mailbox, TEAM)
    body = text_of(message)
    for line in ("Requests due for an answer within 2 working days: **2**",
                 "Matched more than 3 weeks ago with no session planned: **2**",
                 "Signed up more than 2 months ago without asking a mentor: **1**",
                 "Past the 6-month window and still open: **1**",
                 "Open in the inbox: **2**",
                 f"Emails that could not be delivered: **{failed}**",
                 "Mentors back from leave this week: **2**"):
        assert line in body, line
    for link in ("http://portal.test/admin/", "http://portal.test/admin/inbox", "http://portal.test/admin/health",
                 "http://portal.test/admin/mentors?state=leave"):
        assert link in body and f'href="{link}"' in html_of(message).replace("&amp;", "&")
    # Counts only: nobody's name, address or words, in a shared mailbox.
    names = [user.name for user in User.select()] + [user.email for user in User.select() if user.email != TEAM]
    for private in [*names, "Sam Worried", "sam@example.org", WORRY, NOTE, "550 no such user"]:
        assert private not in body and private not in html_of(message), private
    assert "List-Unsubscribe" not in message  # the team's own address: nothing to stop


def test_the_summary_goes_at_eight_london_time_in_summer_and_winter(app, admins, mailbox):
    sweep(app, send_weekly_summary, "2026-10-19T06:59", "2026-10-20T07:00", "2026-10-18T07:00")
    assert not summaries(mailbox)
    sweep(app, send_weekly_summary, "2026-10-19T07:00")  # 08:00 BST
    assert [m["Subject"] for m in summaries(mailbox, TEAM)] == ["The week ahead in peer mentoring: 19 October 2026"]
    sweep(app, send_weekly_summary, "2026-10-26T07:00")  # after the clocks went back, 07:00 UTC is 07:00 GMT
    assert len(summaries(mailbox, TEAM)) == 1
    sweep(app, send_weekly_summary, "2026-10-26T08:00")
    assert summaries(mailbox, TEAM)[-1]["Subject"] == "The week ahead in peer mentoring: 26 October 2026"


def test_it_goes_once_a_week_however_often_the_sweep_runs_and_after_a_missed_tick(app, admins, mailbox):
    # The 08:00 sweep never ran (a restart, say): the one at 10:30 sends it, and no later one again.
    sweep(app, send_weekly_summary, "2026-11-30T10:30", "2026-11-30T10:31", "2026-11-30T23:59")
    with app.app_context():
        assert send_weekly_summary(datetime.fromisoformat("2026-11-30T12:00")) == 0
    assert len(summaries(mailbox, TEAM)) == 1
    assert len(summaries(mailbox, "ada@example.org")) == len(summaries(mailbox, "bea@example.org")) == 1


def test_each_admin_keeps_a_copy_unless_they_turn_it_off_and_the_inbox_always_gets_it(app, admins, mailbox):
    ada, bea = admins
    with app.app_context():
        digest.choose(bea, weekly_summary=False)
        # The summary is news to no one else: turning news off leaves Ada's copy coming.
        digest.choose(ada, NewsChoice.OFF)
        make_user("mo@example.org", "Mo Mentee", mentee=True)
    sweep(app, send_weekly_summary, "2026-11-30T08:00")
    assert sorted(m["To"] for m in summaries(mailbox)) == ["ada@example.org", TEAM]
    copy, = summaries(mailbox, "ada@example.org")
    assert copy["List-Unsubscribe"].strip().startswith("<http://portal.test/unsubscribe/weekly/")
    assert copy["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "To stop your copy, without logging in" in text_of(copy)
    assert text_of(copy).split("--")[0] == text_of(summaries(mailbox, TEAM)[0]).split("--")[0]


def test_only_admins_who_can_log_in_get_a_copy(app, admins, mailbox):
    with app.app_context():
        User.update(password_hash=None).where(User.email == "bea@example.org").execute()  # invited, not yet in
    sweep(app, send_weekly_summary, "2026-11-30T08:00")
    assert sorted(m["To"] for m in summaries(mailbox)) == ["ada@example.org", TEAM]
