"""A person's rights over their data: a copy of everything held, and erasure through the team."""
import base64
import io
import json
import re
from datetime import timedelta

import pytest

from portal.accounts import invitations
from portal.core import clock, mail
from portal.mentoring import sessions
from portal.models import (AuditEvent, Email, ImportBatch, InboxItem, MenteeProfile, MentoringSession, MentorOption,
                           MentorProfile, MentorRequest, Relationship, StoredPhoto, User, WaitlistEntry)
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.forms import csv_bytes, row
from tests.support.servers import html_of, text_of
from tests.support.web import Web, errors, signed_in, text, words

NOTE = "Nervous about nights after a year away."


@pytest.fixture
def matched(app, run_jobs):
    """Jo, matched with Priya, a session booked at a place, the emails delivered."""
    make_user("jo@example.org", "Jo Bloggs", mentee=True, grade="ST3", specialty="Respiratory medicine")
    mentor = make_mentor("priya@example.org", "Priya Shah", contact_details="07700 900123")
    make_user("ada@example.org", "Ada Admin", admin=True)
    jo, priya = signed_in(app, "jo@example.org"), signed_in(app, "priya@example.org")
    jo.submit(f"/mentors/{mentor.id}/request", {"note": NOTE})
    priya.submit(f"/requests/{MentorRequest.get().id}/answer", {"action": "accept"})
    relationship = Relationship.get()
    with app.app_context():
        session = sessions.propose(relationship, User.get(User.email == "jo@example.org"), {
            "starts_at": (clock.now() + timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0),
            "length_minutes": 60, "mode": "in_person", "platform": "", "joining_link": "",
            "location": "The library, Leeds"})
        sessions.confirm(session, User.get(User.email == "priya@example.org"))
    priya.submit(f"/mentoring/{relationship.id}/notes", {"text": "Ask about the rota next time."})
    run_jobs()
    return jo, priya, mentor, relationship


def test_a_copy_of_everything_held_can_be_downloaded(app, matched):
    jo, priya, mentor, relationship = matched
    download = jo.get("/account/data.json")
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert download.headers["Content-Disposition"].startswith('attachment; filename="peer-mentoring-data-')
    held = json.loads(text(download))
    assert held["account"]["email"] == "jo@example.org" and held["account"]["name"] == "Jo Bloggs"
    assert held["mentee"]["specialty"] == "Respiratory medicine"
    assert held["mentee"]["requests"][0]["your_note"] == NOTE and held["mentee"]["requests"][0]["mentor"] == "Priya Shah"
    [mentoring] = held["mentee"]["mentoring"]
    assert mentoring["with"] == "Priya Shah" and mentoring["sessions"][0]["place"] == "The library, Leeds"
    assert "Priya will be your mentor" in [e["subject"] for e in held["emails_sent_to_you"]]
    assert "mentor" not in held
    # Nothing of anyone else's beyond their name, and no secrets.
    everything = text(download)
    assert "07700 900123" not in everything and "Ask about the rota" not in everything
    assert "password" not in everything and "pbkdf2" not in everything and "scrypt" not in everything

    theirs = json.loads(text(priya.get("/account/data.json")))
    assert theirs["mentor"]["contact_details"] == "07700 900123"
    assert theirs["mentor"]["mentoring"][0]["your_private_notes"] == "Ask about the rota next time."
    assert theirs["mentor"]["requests_received"][0]["their_note"] == NOTE
    assert "jo@example.org" not in text(priya.get("/account/data.json"))


def test_the_data_page_says_what_is_held_and_takes_one_request_to_erase(app, matched):
    jo = matched[0]
    page = words(jo.get("/account/data"))
    assert "1 request to mentors and 1 mentoring" in page and "Download a copy of your data" in page
    assert "Your data: see what we hold" in words(jo.get("/account/"))

    too_long = jo.submit("/account/data", {"message": "x" * 1001})
    assert too_long.status_code == 400 and errors(too_long) == {"message": "This must be 1,000 characters or fewer"}
    assert "x" * 1001 in text(too_long)  # kept, to shorten
    assert not InboxItem.select().where(InboxItem.kind == "erasure").exists()

    for _ in range(2):
        asked = jo.submit("/account/data", {"message": "I am leaving medicine."}, follow_redirects=True)
    assert "They will email you before they do it" in words(asked)
    [item] = InboxItem.select().where(InboxItem.kind == "erasure")
    assert item.user.email == "jo@example.org" and item.message == "I am leaving medicine."
    assert Relationship.get().status == "active"  # nothing happens until an admin acts


def test_erasing_a_mentee_ends_the_mentoring_and_removes_who_they_were(app, matched, run_jobs, mailbox):
    jo, priya, mentor, relationship = matched
    jo.submit("/account/data", {"message": ""})
    item = InboxItem.get(InboxItem.kind == "erasure")
    ada = signed_in(app, "ada@example.org")
    assert "Erase Jo Bloggs's data" in words(ada.get(f"/admin/inbox/{item.id}"))
    mailbox.clear()
    done = ada.submit(f"/admin/inbox/{item.id}/erase", follow_redirects=True)
    assert "Their data has been erased" in words(done)
    run_jobs()

    erased = User.get_by_id(item.user_id)
    assert erased.name == "Erased person" and erased.email.endswith("@erased.invalid")
    assert erased.password_hash is None and not erased.is_active
    assert jo.get("/account/").status_code == 302  # signed out everywhere
    refused = Web(app.test_client()).submit("/login", {"email": "jo@example.org", "password": PASSWORD})
    assert "The email address or password is not right" in words(refused)

    # What was going on ended the usual way: Priya is told, her place is free, the session is called off.
    assert Relationship.get().status == "withdrawn"
    assert MentorProfile.get_by_id(mentor.id).places_taken == 0
    assert MentoringSession.get().status == "cancelled" and MentoringSession.get().location == ""
    assert mailbox.wait_for("priya@example.org", "Your mentoring has ended")
    assert mailbox.to("jo@example.org") == []  # nothing more goes to the erased address

    # What they wrote and who they were are gone; that things happened stays.
    assert MentorRequest.get().note == "" and MentorRequest.get().status == "accepted"
    profile = MenteeProfile.get(MenteeProfile.user == erased.id)
    assert (profile.grade, profile.specialty, profile.trust) == ("", "", "")
    assert not Email.select().where(Email.to_address == "jo@example.org").exists()
    assert {e.text_body for e in Email.select().where(Email.user == erased.id)} == {""}
    assert InboxItem.get_by_id(item.id).status == "closed" and InboxItem.get_by_id(item.id).message == ""
    assert AuditEvent.get(AuditEvent.action == "erased_person").object_id == erased.id
    assert json.loads(text(priya.get("/account/data.json")))["mentor"]["mentoring"][0]["with"] == "Erased person"
    # What Priya was sent about Jo no longer carries Jo's note, address or name.
    to_priya = list(Email.select().where(Email.to_address == "priya@example.org"))
    assert not [e for e in to_priya if NOTE in e.text_body or "jo@example.org" in e.text_body or "Jo" in e.subject]
    assert "Someone would like you as their mentor" in [e.subject for e in to_priya]
    assert "You are now Someone's mentor" in [e.subject for e in to_priya]
    assert not invitations.pending_invitations().where(User.id == erased.id).exists()  # not an invitation to resend
    resent = ada.submit(f"/admin/invitations/{erased.id}/resend", follow_redirects=True)
    assert "That account is closed: there is no invitation to send." in words(resent)
    assert not Email.select().where(Email.to_address == erased.email).exists()
    assert MenteeProfile.get(MenteeProfile.user == erased.id).deactivated_at is not None  # no sweep mails them

    again = ada.submit(f"/admin/inbox/{item.id}/erase", follow_redirects=True)
    assert "That request has been dealt with already." in words(again)


def test_erasing_a_mentor_takes_them_off_the_register_and_tells_those_waiting(app, matched, run_jobs, mailbox):
    jo, priya, mentor, relationship = matched
    make_user("sam@example.org", "Sam Rivers", mentee=True)
    signed_in(app, "sam@example.org").submit(f"/mentors/{mentor.id}/request", {"note": "Hello"})
    make_user("lee@example.org", "Lee Chan", mentee=True)
    signed_in(app, "lee@example.org").submit(f"/mentors/{mentor.id}/waitlist")  # Priya is full now
    assert WaitlistEntry.get().status == "waiting"
    photo_key = "abc123"
    StoredPhoto.create(key=photo_key, card=b"card", profile=b"profile")
    MentorProfile.update(photo=photo_key).where(MentorProfile.id == mentor.id).execute()
    priya.submit("/account/data", {"message": "Moving abroad."})
    item = InboxItem.get(InboxItem.kind == "erasure")
    signed_in(app, "ada@example.org").submit(f"/admin/inbox/{item.id}/erase")
    run_jobs()

    assert MentorRequest.get(MentorRequest.status != "accepted").status == "closed"
    assert mailbox.wait_for("sam@example.org", "Your request has closed")
    assert WaitlistEntry.get().status == "left"
    assert "whose waiting list you were on has left the scheme" in text_of(
        mailbox.wait_for("lee@example.org", "A waiting list you were on has closed"))
    assert Relationship.get().status == "withdrawn" and mailbox.wait_for("jo@example.org", "Your mentoring has ended")
    gone = MentorProfile.get_by_id(mentor.id)
    assert not gone.listed and gone.photo is None and gone.why_mentor == "" and gone.contact_details == ""
    assert not StoredPhoto.select().where(StoredPhoto.key == photo_key).exists()
    assert not MentorOption.select().where(MentorOption.mentor == mentor.id).exists()
    assert "0 mentors to choose from" in words(jo.get("/mentors/"))
    assert "Erased person" in words(jo.get(f"/mentoring/{relationship.id}"))


def test_what_someone_sent_before_they_had_an_account_goes_too(app, matched, run_jobs):
    jo = matched[0]
    InboxItem.create(kind="concern", name="Jo Bloggs", email="jo@example.org", message="Sent while logged out.",
                     details={"grade": "ST3"})
    assert "Sent while logged out." in text(jo.get("/account/data.json"))
    jo.submit("/account/data", {"message": ""})
    item = InboxItem.get(InboxItem.kind == "erasure")
    signed_in(app, "ada@example.org").submit(f"/admin/inbox/{item.id}/erase")
    concern = InboxItem.get(InboxItem.kind == "concern")
    assert (concern.name, concern.email, concern.message, concern.details) == ("Erased person", "", "", {})


def test_an_admin_cannot_erase_themselves_from_the_inbox(app, matched):
    ada = signed_in(app, "ada@example.org")
    ada.submit("/account/data", {"message": ""})
    item = InboxItem.get(InboxItem.kind == "erasure")
    refused = ada.submit(f"/admin/inbox/{item.id}/erase", follow_redirects=True)
    assert "You cannot erase your own account: ask another admin." in words(refused)
    assert User.get(User.email == "ada@example.org").is_active and InboxItem.get_by_id(item.id).status == "open"


def _delivered_words(message) -> str:
    """Everything a reader gets of a delivered email: both bodies and any calendar files."""
    parts = [text_of(message), html_of(message)]
    parts += [part.get_content() for part in message.iter_attachments()]
    return "\n".join(str(part) for part in parts)


def test_the_emails_an_erasure_writes_arrive_whole_and_without_the_erased_name(app, matched, run_jobs, mailbox):
    """Ending things for someone being erased tells the people on the other side in words that
    do not name them; those emails are not then blanked with the older ones that did."""
    jo, priya, mentor, relationship = matched
    make_user("lee@example.org", "Lee Chan", mentee=True)
    lee = signed_in(app, "lee@example.org")
    lee.submit(f"/mentors/{mentor.id}/request", {"note": "Hello"})  # asked once, so Priya was told Lee's name
    lee.submit(f"/requests/{MentorRequest.get(MentorRequest.status == 'pending').id}/cancel")
    make_user("sam@example.org", "Sam Rivers", mentee=True)
    signed_in(app, "sam@example.org").submit(f"/mentors/{mentor.id}/request", {"note": "Hi"})
    lee.submit(f"/mentors/{mentor.id}/waitlist")  # Priya is full again
    run_jobs()
    priya.submit("/account/data", {"message": ""})
    item = InboxItem.get(InboxItem.kind == "erasure")
    mailbox.clear()
    signed_in(app, "ada@example.org").submit(f"/admin/inbox/{item.id}/erase")
    run_jobs()

    ended = mailbox.wait_for("jo@example.org", "Your mentoring has ended")
    closed = mailbox.wait_for("sam@example.org", "Your request has closed")
    waitlist = mailbox.wait_for("lee@example.org", "A waiting list you were on has closed")
    assert "Your mentor has left the scheme" in text_of(ended) and "Your mentor has left the scheme" in html_of(ended)
    assert "The mentor you asked has left the scheme" in text_of(closed)
    assert "The mentor whose waiting list you were on has left the scheme" in text_of(waitlist)
    for message in (ended, closed, waitlist):
        assert "choose another mentor" in text_of(message).lower()
    assert [m for m in mailbox.messages if "Priya" in m["Subject"] + _delivered_words(m)] == []


def test_the_mentor_of_an_erased_mentee_is_told_in_words_without_their_name(app, matched, run_jobs, mailbox):
    jo, priya, mentor, relationship = matched
    make_user("sam@example.org", "Sam Rivers", mentee=True)
    sam = signed_in(app, "sam@example.org")
    other = make_mentor("kai@example.org", "Kai Osei")
    sam.submit(f"/mentors/{other.id}/request", {"note": "Sam here"})
    sam.submit("/account/data", {"message": ""})
    run_jobs()
    mailbox.clear()
    ada = signed_in(app, "ada@example.org")
    jo.submit("/account/data", {"message": ""})
    ada.submit(f"/admin/inbox/{InboxItem.get((InboxItem.kind == 'erasure') & (InboxItem.name == 'Jo Bloggs')).id}"
               "/erase")
    ada.submit(f"/admin/inbox/{InboxItem.get((InboxItem.kind == 'erasure') & (InboxItem.status == 'open')).id}"
               "/erase")
    run_jobs()

    ended = mailbox.wait_for("priya@example.org", "Your mentoring has ended")
    assert "Your mentee has left the scheme" in text_of(ended) and "Hello Priya" in text_of(ended)
    assert not re.search(r"\bJo\b", _delivered_words(ended))
    withdrawn = mailbox.wait_for("kai@example.org", "A request to you has been withdrawn")
    assert "The person who asked you to be their mentor has left the scheme" in text_of(withdrawn)
    assert "Sam" not in _delivered_words(withdrawn)


def test_the_copy_of_a_mentors_data_holds_their_headshot(app, matched):
    priya, mentor = matched[1], matched[2]
    StoredPhoto.create(key="abc123", card=b"small picture", profile=b"the picture itself")
    MentorProfile.update(photo="abc123").where(MentorProfile.id == mentor.id).execute()
    headshot = json.loads(text(priya.get("/account/data.json")))["mentor"]["headshot"]
    assert headshot["media_type"] == "image/webp" and headshot["filename"] == "headshot.webp"
    assert base64.b64decode(headshot["base64"]) == b"the picture itself"

    MentorProfile.update(photo=None).where(MentorProfile.id == mentor.id).execute()
    assert json.loads(text(priya.get("/account/data.json")))["mentor"]["headshot"] is None


def test_older_mail_still_waiting_to_go_is_not_sent_blank(app, matched, run_jobs, mailbox):
    jo, priya, mentor, relationship = matched
    with app.app_context():
        sessions.propose(relationship, User.get(User.email == "jo@example.org"), {
            "starts_at": (clock.now() + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0),
            "length_minutes": 60, "mode": "video", "platform": "teams", "joining_link": "", "location": ""})
        # Not about Jo, though "jo" is in its words.
        mail.send("priya@example.org", "inbox_reply", "A reply from the team",
                  message="Hello Priya,\n\nEnjoy the journey back.")
    waiting = Email.select().where((Email.to_address == "priya@example.org")
                                   & (Email.template == "session_proposed")).order_by(Email.id.desc()).get()
    assert "Jo" in waiting.text_body and waiting.status == "queued"  # not yet gone (an SMTP outage, say)
    jo.submit("/account/data", {"message": ""})
    mailbox.clear()
    signed_in(app, "ada@example.org").submit(f"/admin/inbox/{InboxItem.get(InboxItem.kind == 'erasure').id}/erase")
    run_jobs()
    assert mailbox.wait_for("priya@example.org", "Your mentoring has ended")
    for message in mailbox.to("priya@example.org"):
        assert "Hello Priya" in text_of(message) and not re.search(r"\bJo\b", _delivered_words(message))
    assert not Email.select().where(Email.id == waiting.id).exists()  # not sent at all: it spoke of Jo
    assert "Enjoy the journey back." in text_of(mailbox.wait_for("priya@example.org", "A reply from the team"))


def confirm_and_erase(admin, user_id):
    """The admin's way from a person's record: a page saying what will happen, then the button."""
    record = words(admin.get(f"/admin/people/{user_id}"))
    assert "Erase their data" in record
    confirm = admin.get(f"/admin/people/{user_id}/erase")
    assert confirm.status_code == 200 and "It cannot be undone" in words(confirm)
    return admin.submit(f"/admin/people/{user_id}/erase", follow_redirects=True)


def test_an_admin_erases_someone_from_their_record_without_an_inbox_request(app, matched, run_jobs, mailbox):
    """Someone who asked by phone: the team acts from the person's record."""
    jo, priya, mentor, relationship = matched
    jo_id = User.get(User.email == "jo@example.org").id
    jo.submit("/account/data", {"message": ""})  # asked in the portal too, before they phoned
    ada = signed_in(app, "ada@example.org")
    mailbox.clear()
    done = confirm_and_erase(ada, jo_id)
    assert "Their data has been erased" in words(done)
    run_jobs()
    erased = User.get_by_id(jo_id)
    assert erased.name == "Erased person" and not erased.is_active and erased.email.endswith("@erased.invalid")
    assert Relationship.get().status == "withdrawn"
    ended = mailbox.wait_for("priya@example.org", "Your mentoring has ended")
    assert "Your mentee has left the scheme" in text_of(ended)
    event = AuditEvent.get(AuditEvent.action == "erased_person")
    assert (event.object_type, event.object_id, event.actor.email) == ("user", jo_id, "ada@example.org")
    assert InboxItem.get(InboxItem.kind == "erasure").status == "closed"
    assert "Erase their data" not in words(ada.get(f"/admin/people/{jo_id}"))  # nothing left to erase
    again = ada.submit(f"/admin/people/{jo_id}/erase", follow_redirects=True)
    assert "This person's data has already been erased." in words(again)

    ada_id = User.get(User.email == "ada@example.org").id
    refused = ada.submit(f"/admin/people/{ada_id}/erase", follow_redirects=True)
    assert "You cannot erase your own account: ask another admin." in words(refused)
    assert User.get_by_id(ada_id).is_active
    assert Web(app.test_client()).get(f"/admin/people/{ada_id}/erase").status_code == 302  # admins only
    assert jo.get(f"/admin/people/{ada_id}/erase").status_code in (302, 403)


def test_an_invited_mentor_who_never_set_a_password_can_be_erased(app, matched, run_jobs, mailbox):
    ada = signed_in(app, "ada@example.org")
    ada.submit("/admin/invite", {"name": "Tom Lee", "email": "tom@example.org", "role": "mentor"})
    run_jobs()
    link = re.search(r"http://portal\.test(/invitation/\S+)",
                     text_of(mailbox.wait_for("tom@example.org", "You are invited"))).group(1)
    tom = User.get(User.email == "tom@example.org")
    assert tom.password_hash is None
    confirm_and_erase(ada, tom.id)
    assert User.get_by_id(tom.id).name == "Erased person"
    assert MentorProfile.get(MentorProfile.user == tom.id).why_mentor == ""
    assert Web(app.test_client()).get(link).status_code in (404, 410)
    assert "Tom Lee" not in words(ada.get("/admin/invitations"))


def test_someone_who_only_registered_interest_can_be_erased_from_the_inbox(app, matched, run_jobs, mailbox):
    interest = {"name": "Kit Carter", "email": "kit@example.org", "grade": "ST4", "specialty": "Surgery",
                "message": "I could do the course in the spring."}
    visitor = Web(app.test_client())
    visitor.submit("/become-a-mentor", interest)
    visitor.submit("/become-a-mentor", {**interest, "message": "Asking again."})
    run_jobs()
    first, second = InboxItem.select().where(InboxItem.kind == "interest").order_by(InboxItem.id)
    ada = signed_in(app, "ada@example.org")
    page = words(ada.get(f"/admin/inbox/{first.id}"))
    assert "Erase Kit Carter's details" in page and "It cannot be undone" in page
    done = ada.submit(f"/admin/inbox/{first.id}/erase", follow_redirects=True)
    assert "Their details have been erased" in words(done)

    for item in (InboxItem.get_by_id(first.id), InboxItem.get_by_id(second.id)):
        assert (item.name, item.email, item.message, item.details) == ("Erased person", "", "", {})
    assert InboxItem.get_by_id(first.id).status == "closed"
    assert not Email.select().where(Email.to_address == "kit@example.org").exists()
    assert {e.text_body for e in Email.select().where(Email.to_address == "erased")} == {""}
    event = AuditEvent.get(AuditEvent.action == "erased_person")
    assert (event.object_type, event.object_id) == ("inboxitem", first.id)
    assert "Kit Carter" not in words(ada.get("/admin/inbox?status="))
    assert "This person's details have already been erased." in words(
        ada.submit(f"/admin/inbox/{first.id}/erase", follow_redirects=True))

    # Someone with an account is erased from their record, where everything of theirs is found.
    make_user("sam@example.org", "Sam Rivers", mentee=True)
    concern = InboxItem.create(kind="concern", name="Sam Rivers", email="sam@example.org", message="Worried.")
    page = words(ada.get(f"/admin/inbox/{concern.id}"))
    assert "Erase Sam Rivers's details" not in page
    refused = ada.submit(f"/admin/inbox/{concern.id}/erase", follow_redirects=True)
    assert "They have an account: erase their data from their record." in words(refused)
    assert InboxItem.get_by_id(concern.id).message == "Worried."


def test_erasing_an_admin_takes_their_name_out_of_the_audit_log_and_invitations(app, matched, run_jobs, mailbox):
    make_user("bea@example.org", "Bea Admin", admin=True)
    bea = signed_in(app, "bea@example.org")
    bea.submit("/admin/invite", {"name": "Tom Lee", "email": "tom@example.org", "role": "mentor"})
    concern = InboxItem.create(kind="concern", name="Sam Rivers", email="sam@example.org", message="Worried.")
    ada = signed_in(app, "ada@example.org")
    ada.submit(f"/admin/inbox/{concern.id}/assign", {"admin": str(User.get(User.email == "bea@example.org").id)})
    assert "Bea Admin" in words(ada.get("/admin/audit"))
    run_jobs()
    bea.submit("/admin/invite", {"name": "Una Lee", "email": "una@example.org", "role": "mentor"})  # still to go

    confirm_and_erase(ada, User.get(User.email == "bea@example.org").id)
    run_jobs()
    assert "Bea" not in words(ada.get("/admin/audit"))
    assert not AuditEvent.select().where(AuditEvent.detail.contains("Bea")).exists()
    assert "The team has invited you" in text_of(mailbox.wait_for("una@example.org", "You are invited"))
    assert "Bea" not in _delivered_words(mailbox.wait_for("una@example.org", "You are invited"))
    assert not Email.select().where(Email.text_body.contains("Bea") | Email.html_body.contains("Bea")).exists()


def test_erasure_takes_their_rows_out_of_mentor_imports_not_yet_done(app, matched):
    ada = signed_in(app, "ada@example.org")
    data = csv_bytes([row(1, email="PRIYA@example.org", name="Priya Shah", contact_details="07700 900555"),
                      row(2, email="kit@example.org", name="Kit Carter"), row(3, name="Mentor Three")])
    uploaded = ada.submit("/admin/mentors/import", {"file": (io.BytesIO(data), "mentors.csv")},
                          content_type="multipart/form-data")
    assert uploaded.status_code == 302
    batch = ImportBatch.get()
    InboxItem.create(kind="interest", name="Kit Carter", email="kit@example.org", message="Hello")

    confirm_and_erase(ada, User.get(User.email == "priya@example.org").id)
    kept = bytes(ImportBatch.get_by_id(batch.id).data).decode()
    assert "priya@example.org" not in kept.lower() and "Priya Shah" not in kept and "07700 900555" not in kept
    assert "Kit Carter" in kept and "Mentor Three" in kept
    assert "2 rows" in words(ada.get(f"/admin/mentors/import/{batch.id}"))  # the rest can still be imported

    ada.submit(f"/admin/inbox/{InboxItem.get(InboxItem.kind == 'interest').id}/erase")
    kept = bytes(ImportBatch.get_by_id(batch.id).data).decode()
    assert "Kit Carter" not in kept and "kit@example.org" not in kept and "Mentor Three" in kept


def test_each_look_an_admin_takes_is_logged_and_the_person_sees_who_looked(app, matched):
    """Who opened whose record, and when: never what was on the page."""
    jo, priya, mentor, relationship = matched
    jo_user = User.get(User.email == "jo@example.org")
    ada_user = User.get(User.email == "ada@example.org")
    make_user("bea@example.org", "Bea Admin", admin=True)
    jo.submit("/account/data", {"message": "Please erase me."})
    item = InboxItem.get(InboxItem.kind == "erasure")
    ada = signed_in(app, "ada@example.org")
    assert "Nobody in the team has looked at your record" in words(jo.get("/account/data"))

    ada.get(f"/admin/people/{jo_user.id}")
    ada.get(f"/admin/inbox/{item.id}")
    export = ada.get(f"/admin/people/{jo_user.id}/data.json")
    assert export.status_code == 200 and json.loads(text(export))["account"]["email"] == "jo@example.org"
    assert export.headers["Content-Disposition"].startswith("attachment")
    ada.get(f"/admin/mentors/{mentor.id}")
    ada.get("/admin/survey")
    seen = {(e.action, e.object_type, e.object_id, e.detail) for e in AuditEvent.select().where(
        AuditEvent.actor == ada_user.id)}
    assert seen >= {("viewed_person", "user", jo_user.id, ""), ("viewed_inbox_item", "inboxitem", item.id, ""),
                    ("viewed_person_data", "user", jo_user.id, ""),
                    ("viewed_mentor_entry", "user", mentor.user_id, ""), ("viewed_survey_results", "", None, "")}
    log = words(ada.get("/admin/audit"))
    assert "viewed person" in log and "Please erase me." not in log

    page = words(jo.get("/account/data"))
    today = app.jinja_env.filters["short_date"](clock.now())
    assert f"Ada Admin looked at your record on {today}" in page
    assert f"Ada Admin looked at a message you sent the team on {today}" in page
    assert f"Ada Admin downloaded a copy of your data on {today}" in page
    assert "Bea Admin" not in page and "Priya" not in page.split("Who in the team")[1]
    held = json.loads(text(jo.get("/account/data.json")))
    assert {(v["who"], v["what"]) for v in held["looked_at_by_the_team"]} == {
        ("Ada Admin", "your record"), ("Ada Admin", "a message you sent the team"),
        ("Ada Admin", "a copy of your data")}
    assert f"Ada Admin looked at your entry on the mentor register on {today}" in words(priya.get("/account/data"))


def test_an_admin_opening_a_request_or_a_profile_to_edit_is_a_look_too(app, matched):
    """The answer page shows the mentee's note and training; the edit pages the mentor's whole profile."""
    jo, priya, mentor, relationship = matched
    make_user("sam@example.org", "Sam Mentee", mentee=True)
    signed_in(app, "sam@example.org").submit(f"/mentors/{mentor.id}/request", {"note": NOTE})
    asked = MentorRequest.get(MentorRequest.status == "pending")
    ada = signed_in(app, "ada@example.org")
    assert ada.get(f"/requests/{asked.id}/answer").status_code == 200
    assert ada.get(f"/admin/mentors/{mentor.id}/edit").status_code == 200
    assert ada.get(f"/admin/mentors/{mentor.id}/availability").status_code == 200
    today = app.jinja_env.filters["short_date"](clock.now())
    assert f"Ada Admin looked at your request for a mentor on {today}" in words(
        signed_in(app, "sam@example.org").get("/account/data"))
    assert words(priya.get("/account/data")).count(f"Ada Admin looked at your entry on the mentor register on {today}") == 2
    # The mentor answering a request made to them is not the team looking.
    priya.get(f"/requests/{asked.id}/answer")
    assert "Priya" not in words(signed_in(app, "sam@example.org").get("/account/data")).split("Who in the team")[1]


def test_older_mail_to_someone_on_an_erased_mentors_waiting_list_loses_their_name(app, matched, run_jobs, mailbox):
    """Offered a place with Priya from her waiting list, Lee never asked: Lee still got mail naming her."""
    jo, priya, mentor, relationship = matched
    make_user("sam@example.org", "Sam Rivers", mentee=True)
    sam = signed_in(app, "sam@example.org")
    sam.submit(f"/mentors/{mentor.id}/request", {"note": "Hello"})
    make_user("lee@example.org", "Lee Chan", mentee=True)
    signed_in(app, "lee@example.org").submit(f"/mentors/{mentor.id}/waitlist")  # Priya is full now
    sam.submit(f"/requests/{MentorRequest.get(MentorRequest.status == 'pending').id}/cancel")
    run_jobs()
    assert "Priya" in mailbox.wait_for("lee@example.org", "A place with Priya Shah is free for you")["Subject"]

    confirm_and_erase(signed_in(app, "ada@example.org"), mentor.user_id)
    run_jobs()
    to_lee = list(Email.select().where(Email.to_address == "lee@example.org"))
    assert to_lee and not [e.subject for e in to_lee if "Priya" in e.subject + e.text_body + e.html_body
                           or "Shah" in e.subject]
