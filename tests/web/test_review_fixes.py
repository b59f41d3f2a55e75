"""Behaviour a code review found missing or wrong, each shown by a test that failed before the fix."""
from datetime import timedelta

from jobs.sweeps import requeue_emails
from portal import clock, content, mail, mentors, waitlist
from portal.models import (Content, Email, InboxItem, MenteeProfile, MentorProfile, MentorRequest, User,
                           WaitlistEntry)
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.jobs import work
from tests.support.web import Web, errors, text, words
from tests.web.test_requests import NOTE
from tests.web.test_signup import signup_form


def browser(app, email):
    web = Web(app.test_client())
    web.login(email, PASSWORD)
    return web


def test_an_email_whose_worker_died_mid_send_is_sent_later(app, app_context, mailbox):
    email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
    # A worker claimed it, then was killed: the row is left "sending".
    Email.update(status="sending", claimed_until=clock.now() - timedelta(seconds=1),
                 next_attempt_at=clock.now() - timedelta(seconds=1), attempts=1).where(Email.id == email_id).execute()
    from jobs import queue
    queue().empty()
    assert requeue_emails(clock.now()) == 1
    work(app)
    assert Email.get_by_id(email_id).status == "sent"
    assert mailbox.wait_for("pat@example.org", "Thank you")


def test_an_unexpected_error_in_delivery_keeps_the_email(app, app_context, environ):
    from portal import create_app
    broken = create_app(environ={**environ, "SMTP_URL": "gopher://nowhere"})
    with broken.app_context():
        email_id = mail.send("pat@example.org", "interest_received", "Thank you", name="Pat")
        from jobs.email import deliver
        assert deliver(email_id) == "will retry"
    row = Email.get_by_id(email_id)
    assert row.status == "queued" and "gopher" in row.last_error


def test_a_mentor_invited_without_a_bio_starts_off_the_register(app, web):
    make_user("ada@example.org", "Ada Admin", admin=True)
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    ada = browser(app, "ada@example.org")
    ada.submit("/admin/invite", {"name": "Mo Mentee", "email": "mo@example.org", "role": "mentor"})
    assert MentorProfile.get().listed is False
    User.update(password_hash=User.get(User.email == "ada@example.org").password_hash).where(
        User.email == "mo@example.org").execute()
    assert "Mo Mentee" not in text(browser(app, "mel@example.org").get("/mentors/"))


def test_a_mentor_who_has_not_set_up_their_login_cannot_be_asked_by_id(app):
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    mentor = make_mentor("new@example.org", "New Mentor", password=False)
    mel = browser(app, "mel@example.org")
    assert mel.get(f"/mentors/{mentor.id}").status_code == 404
    response = mel.submit(f"/mentors/{mentor.id}/request", {"note": NOTE})
    assert "not taking mentees just now" in words(response)
    assert not MentorRequest.select().exists()
    assert MentorProfile.get_by_id(mentor.id).places_taken == 0


def test_odd_page_numbers_and_nul_characters_get_answers_not_errors(app):
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    mel = browser(app, "mel@example.org")
    assert mel.get("/mentors/?page=%C2%B2").status_code == 200
    refused = mel.get("/mentors/?q=%00")
    assert refused.status_code == 400 and "could not be read" in words(refused)
    form = signup_form(name="Jo\x00Bloggs")
    assert Web(app.test_client()).submit("/signup", form).status_code == 400
    assert User.select().count() == 1


def test_waiting_lists_refuse_who_cannot_use_them(app):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == mentor.id).execute()
    make_user("mel@example.org", "Mel Mentee", mentee=True)
    web = browser(app, "mel@example.org")
    for _ in range(2):
        web.submit(f"/mentors/{mentor.id}/waitlist")
    assert WaitlistEntry.select().count() == 1  # a double click joins once

    paused_account = make_user("paused@example.org", "Pat Paused", mentee=True)
    MenteeProfile.update(deactivated_at=clock.now()).where(MenteeProfile.user == paused_account).execute()
    matched = make_user("matched@example.org", "Max Matched", mentee=True)
    other_mentor = make_mentor("tom@example.org", "Tom Lee")
    with app.app_context():
        from portal import matching
        matching.decide(matching.make_request(matched, other_mentor, NOTE), "accept", other_mentor.user, "mentor")
        for user, words_expected in ((paused_account, "account is paused"), (matched, "already have a mentor")):
            try:
                waitlist.join(MenteeProfile.get(MenteeProfile.user == user), MentorProfile.get_by_id(mentor.id))
                raise AssertionError(f"{user.email} joined")
            except waitlist.WaitlistProblem as refused:
                assert words_expected in str(refused)
        MentorProfile.update(paused=True).where(MentorProfile.id == mentor.id).execute()
        fresh = make_user("fresh@example.org", "Fay Fresh", mentee=True)
        try:
            waitlist.join(MenteeProfile.get(MenteeProfile.user == fresh), MentorProfile.get_by_id(mentor.id))
            raise AssertionError("joined a paused mentor's list")
        except waitlist.WaitlistProblem as refused:
            assert "not taking mentees just now" in str(refused)
    assert WaitlistEntry.select().count() == 1


def test_deactivation_takes_a_mentee_off_waiting_lists(app, app_context):
    from portal import matching
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.id == mentor.id).execute()
    mel = make_user("mel@example.org", "Mel Mentee", mentee=True)
    waitlist.join(mel.mentee, MentorProfile.get_by_id(mentor.id))
    MenteeProfile.update(period_started_at=clock.now() - timedelta(days=200)).execute()
    matching.deactivate_idle_mentees(clock.now())
    assert MenteeProfile.get().deactivated_at is not None
    assert WaitlistEntry.get().status == "left"


def test_a_long_withdrawal_reason_is_explained_and_kept(app):
    from portal import matching
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    with app.app_context():
        matching.decide(matching.make_request(jo, priya, NOTE), "accept", priya.user, "mentor")
    web = browser(app, "jo@example.org")
    from portal.models import Relationship
    relationship = Relationship.get()
    response = web.submit(f"/mentoring/{relationship.id}/withdraw", {"reason": "r" * 1001})
    assert response.status_code == 400
    assert "1,000 characters or fewer" in errors(response)["reason"]
    assert "r" * 1001 in text(response)
    assert not InboxItem.select().where(InboxItem.kind == "withdrawal").exists()


def test_a_name_with_a_line_break_still_makes_a_one_line_subject(app, app_context, mailbox):
    web = Web(app.test_client())
    web.submit("/signup", signup_form(name="Jo\nBloggs"))
    assert User.get().name == "Jo Bloggs"
    mail.send("pat@example.org", "interest_received", "Hello Jo\r\nBcc: victim@example.org", name="Pat")
    work(app)
    message = mailbox.wait_for("pat@example.org", "Hello Jo")
    assert message["Subject"] == "Hello Jo Bcc: victim@example.org" and message["Bcc"] is None


def test_capacity_is_not_saved_below_places_taken_meanwhile(app, app_context):
    mentor = make_mentor("priya@example.org", "Priya Shah", capacity=3)
    MentorProfile.update(places_taken=2).where(MentorProfile.id == mentor.id).execute()  # taken meanwhile
    assert mentors.set_availability(mentor, mentor.user, capacity=1, paused=False, leave_from=None,
                                    leave_until=None) is None
    assert MentorProfile.get_by_id(mentor.id).capacity == 3


def test_a_mentee_records_the_agreement_version_they_were_shown(app):
    page = Web(app.test_client())
    form = signup_form(agreement_version="1")
    Content.create(key="agreement", version=2, title="Mentoring agreement", body="New terms")
    assert content.current("agreement").version == 2
    page.submit("/signup", form)
    assert MenteeProfile.get().agreement_version == 1


def test_error_summaries_take_the_focus_and_pages_vary_by_htmx(app, client):
    response = Web(client).submit("/signup", {})
    assert 'class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus' in \
        text(response)
    assert "HX-Request" in client.get("/").headers["Vary"]
