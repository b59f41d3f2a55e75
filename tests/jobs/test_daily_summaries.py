"""News held for a daily summary: which emails wait, when the summary goes (across changes of the clocks),
a sweep run twice, and changing one's choices with news waiting, through the real outbox, RQ and SMTP."""
from datetime import datetime

import icalendar
import pytest

from jobs.sweeps import send_daily_summaries
from portal.core import digest, mail
from portal.mentoring import sessions
from portal.models import Email, EmailPreference, EmailStatus, Relationship, User
from portal.rules.emails import NewsChoice
from tests.support.clock import at
from tests.support.concurrency import all_at_once
from tests.support.factories import make_user
from tests.support.jobs import sweep
from tests.support.mentoring import make_pair
from tests.support.servers import html_of, text_of

JO = "jo@example.org"


def news(user, n: int) -> int | None:
    """A real email that needs nothing from the person: a waiting list closed."""
    return mail.send(user.email, "waitlist_closed", f"Waiting list {n} has closed", user=user, name=user.first_name,
                     url="http://portal.test/mentors", dedupe_key=f"test-news:{user.id}:{n}")


def action(user) -> int | None:
    """A real email that needs them now: a password link."""
    return mail.send(user.email, "reset_password", "Reset your password", user=user, name=user.first_name,
                     url="http://portal.test/password/reset/AbC", minutes=60)


@pytest.fixture
def jo(app_context):
    user = make_user(JO, "Jo Bloggs", mentee=True)
    digest.choose(user, NewsChoice.DAILY, 8)
    return user


def subjects(mailbox, address=JO) -> list[str]:
    return [m["Subject"] for m in mailbox.to(address)]


def test_news_waits_for_the_summary_while_what_needs_action_goes_at_once(app, jo, run_jobs, mailbox):
    with at("2026-11-25T10:00"):
        held = news(jo, 1)
        action(jo)
    run_jobs()
    assert subjects(mailbox) == ["Reset your password"]
    assert "List-Unsubscribe" not in mailbox.wait_for(JO, "Reset")  # needed: it cannot be turned off
    row = Email.get_by_id(held)
    assert row.status == EmailStatus.HELD and "has closed" in row.held_body

    sweep(app, send_daily_summaries, "2026-11-26T07:59")
    assert subjects(mailbox) == ["Reset your password"]
    sweep(app, send_daily_summaries, "2026-11-26T08:00")
    summary = mailbox.wait_for(JO, "Your daily summary")
    assert summary["Subject"] == "Your daily summary: 1 update"
    body = text_of(summary)
    assert "**Waiting list 1 has closed**" in body and "that waiting list has closed" in body
    assert body.count("Hello Jo") == 1  # said once, at the top, not in each section
    assert "<strong>Waiting list 1 has closed</strong>" in html_of(summary)
    # Anything that can be turned off says how, in the way mail programs show (RFC 8058).
    assert summary["List-Unsubscribe"].strip().startswith("<http://portal.test/unsubscribe/news/")
    assert summary["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = Email.get_by_id(held)
    assert row.status == EmailStatus.SUMMARISED and row.summary.subject == summary["Subject"]
    assert row.held_body == row.text_body == ""  # its words live in the summary now


def test_several_items_make_one_summary_with_a_section_each_in_order(app, jo, mailbox):
    with at("2026-11-25T10:00"):
        news(jo, 1)
    with at("2026-11-25T16:30"):
        news(jo, 2)
        news(jo, 3)
    sweep(app, send_daily_summaries, "2026-11-26T08:00")
    assert subjects(mailbox) == ["Your daily summary: 3 updates"]
    body = text_of(mailbox.wait_for(JO))
    assert body.index("Waiting list 1") < body.index("Waiting list 2") < body.index("Waiting list 3")


@pytest.mark.parametrize("held_at, too_early, on_time", [
    # The clocks go back on Sunday 25 October 2026: 08:00 London is 07:00 UTC on Saturday, 08:00 UTC on Sunday.
    ("2026-10-23T12:00", "2026-10-24T06:59", "2026-10-24T07:00"),
    ("2026-10-24T12:00", "2026-10-25T07:00", "2026-10-25T08:00"),
    ("2026-10-25T12:00", "2026-10-26T07:59", "2026-10-26T08:00"),
    # They go forward on Sunday 28 March 2027: 08:00 London is 08:00 UTC on Saturday, 07:00 UTC on Sunday.
    ("2027-03-26T12:00", "2027-03-27T07:59", "2027-03-27T08:00"),
    ("2027-03-27T12:00", "2027-03-28T06:59", "2027-03-28T07:00"),
    ("2027-03-28T12:00", "2027-03-29T06:59", "2027-03-29T07:00"),
])
def test_a_summary_at_eight_goes_at_eight_london_time_on_both_sides_of_a_change_of_the_clocks(
        app, jo, mailbox, held_at, too_early, on_time):
    with at(held_at):
        news(jo, 1)
    sweep(app, send_daily_summaries, too_early)
    assert subjects(mailbox) == []
    sweep(app, send_daily_summaries, on_time)
    assert subjects(mailbox) == ["Your daily summary: 1 update"]


def test_a_sweep_run_twice_or_twice_at_once_sends_one_summary_and_none_when_nothing_waits(app, jo, mailbox):
    sweep(app, send_daily_summaries, "2026-11-26T08:00")
    assert subjects(mailbox) == []  # never an empty summary
    with at("2026-11-25T10:00"):
        news(jo, 1)
        news(jo, 2)
    results = all_at_once([lambda: _sweep_in(app, "2026-11-26T08:00") for _ in range(3)])
    assert sorted(results) == [0, 0, 1]
    sweep(app, send_daily_summaries, "2026-11-26T08:00", "2026-11-26T08:01")
    assert subjects(mailbox) == ["Your daily summary: 2 updates"]
    assert Email.select().where(Email.template == "daily_summary").count() == 1


def _sweep_in(app, moment):
    """The summary sweep's work, called as a worker would, in a thread of its own."""
    with app.app_context():
        return digest.send_due(datetime.fromisoformat(moment))


def test_choosing_as_it_happens_sends_what_was_waiting_at_once_and_only_once(app, jo, run_jobs, mailbox):
    with at("2026-11-25T10:00"):
        news(jo, 1)
        news(jo, 2)
    with at("2026-11-25T11:00"):
        assert digest.choose(jo, NewsChoice.AT_ONCE) == {"released": 2, "moved": 0, "withdrawn": 0}
        news(jo, 3)  # and news from now on goes at once too
    run_jobs()
    assert sorted(subjects(mailbox)) == ["Waiting list 1 has closed", "Waiting list 2 has closed",
                                         "Waiting list 3 has closed"]
    sweep(app, send_daily_summaries, "2026-11-26T08:00")
    assert len(mailbox.to(JO)) == 3


def test_a_new_time_moves_what_is_waiting_to_the_next_summary_at_that_time(app, jo, mailbox):
    with at("2026-11-25T10:00"):
        news(jo, 1)
    with at("2026-11-26T07:00"):
        assert digest.choose(jo, NewsChoice.DAILY, 20)["moved"] == 1
    sweep(app, send_daily_summaries, "2026-11-26T08:00", "2026-11-26T19:59")  # no longer at the old time
    assert subjects(mailbox) == []
    sweep(app, send_daily_summaries, "2026-11-26T20:00")
    assert subjects(mailbox) == ["Your daily summary: 1 update"]


def test_turning_news_off_sends_what_was_waiting_never_and_nothing_new(app, jo, run_jobs, mailbox):
    with at("2026-11-25T10:00"):
        held = news(jo, 1)
        assert digest.choose(jo, NewsChoice.OFF)["withdrawn"] == 1
        assert news(jo, 2) is None  # not written at all
        action(jo)  # what needs them still comes
    run_jobs()
    sweep(app, send_daily_summaries, "2026-11-26T08:00")
    assert subjects(mailbox) == ["Reset your password"]
    assert Email.get_by_id(held).status == EmailStatus.NOT_SENT


@pytest.mark.parametrize("new_choice", [NewsChoice.AT_ONCE, NewsChoice.OFF])
def test_a_change_of_choice_racing_the_summary_sends_each_item_once_at_most(app, jo, run_jobs, mailbox, new_choice):
    """Whichever comes first, the summary or the change: each item goes once (in the summary, or alone),
    or, turned off, never; none is lost from the outbox's record."""
    with at("2026-11-25T10:00"):
        ids = [news(jo, n) for n in range(5)]

    def change():
        with app.app_context(), at("2026-11-26T08:00"):
            return digest.choose(User.get_by_id(jo.id), new_choice)

    results = all_at_once([change, lambda: _sweep_in(app, "2026-11-26T08:00")])
    assert not [r for r in results if isinstance(r, Exception)], results
    sweep(app, send_daily_summaries, "2026-11-26T08:01")  # a later sweep finds nothing left behind
    rows = {row.id: row.status for row in Email.select().where(Email.id.in_(ids))}
    assert set(rows.values()) <= {EmailStatus.SENT, EmailStatus.SUMMARISED, EmailStatus.NOT_SENT}
    delivered = mailbox.to(JO)
    one_each = sum(1 for m in delivered if m["Subject"].startswith("Waiting list")) + sum(
        text_of(m).count("**Waiting list") for m in delivered if m["Subject"].startswith("Your daily summary"))
    assert one_each == sum(status != EmailStatus.NOT_SENT for status in rows.values())
    assert one_each == (5 if new_choice == NewsChoice.AT_ONCE or results[1] == 1 else 0)


def test_the_summary_carries_the_calendar_updates_of_its_items(app, mailbox):
    mentee, mentor, _ = make_pair(app, 1)
    with app.app_context(), at("2026-11-25T10:00"):
        digest.choose(mentee, NewsChoice.DAILY, 8)
        relationship = Relationship.get()
        planned = sessions.propose(relationship, mentor.user, {
            "starts_at": datetime.fromisoformat("2026-12-01T18:30"), "length_minutes": 60, "mode": "video", "platform": "zoom",
            "joining_link": "", "location": ""})
        sessions.confirm(planned, mentee)
    sweep(app, send_daily_summaries, "2026-11-26T08:00")
    summary = mailbox.wait_for(mentee.email, "Your daily summary")
    invitation = next(part for part in summary.iter_attachments() if part.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(invitation.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == planned.calendar_uid
    assert "A calendar invitation is attached" in text_of(summary)
    # The mentor chose nothing: theirs came at once, before any summary.
    assert [m["Subject"] for m in mailbox.to(mentor.user.email)][-1] == "Your mentoring session is confirmed"


@pytest.mark.parametrize("choice, goes", [(NewsChoice.AT_ONCE, True), (NewsChoice.OFF, False)])
def test_news_held_in_the_moment_of_a_change_is_not_lost(app, jo, mailbox, choice, goes):
    """mail.send reads the choice without waiting for a change in progress: an item it held just as the
    change committed (which then could not release it) is as if the choice had changed a moment later."""
    with at("2026-11-25T10:00"):
        held = news(jo, 1)
        EmailPreference.update(news=choice).where(EmailPreference.user == jo.id).execute()
    sweep(app, send_daily_summaries, "2026-11-26T08:00")
    assert subjects(mailbox) == (["Your daily summary: 1 update"] if goes else [])
    assert Email.get_by_id(held).status == (EmailStatus.SUMMARISED if goes else EmailStatus.NOT_SENT)
