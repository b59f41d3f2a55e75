"""What the team does for people by hand, each step in the audit log: putting a name or address right,
cancelling an invitation, closing a mentee's account, inviting someone who offered to mentor."""
import re

import pytest

from portal.models import AuditEvent, Email, InboxItem, MenteeProfile, MentorProfile, User, WaitlistEntry
from portal.core import inbox
from portal.requests import mentor_requests
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.web import Web, errors, signed_in, text, words


def emails_to(address) -> list[Email]:
    return list(Email.select().where(Email.to_address == address).order_by(Email.id))


def audited(action) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


@pytest.fixture
def ada(app):
    return make_user("ada@example.org", "Ada Admin", admin=True)


@pytest.fixture
def team(app, ada):
    return signed_in(app, "ada@example.org")


def test_the_team_changes_a_mentees_name_and_address(app, team, ada):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    assert "Change their name or email address" in text(team.get(f"/admin/people/{jo.id}"))
    saved = team.submit(f"/admin/people/{jo.id}/details", {"name": "Jo Smith", "email": "Jo.Smith@Example.org"},
                        follow_redirects=True)
    assert "Their name and email address are changed." in words(saved)
    user = User.get_by_id(jo.id)
    assert (user.name, user.email) == ("Jo Smith", "jo.smith@example.org") and user.email_confirmed_at
    for action in ("changed_name", "changed_email"):
        (event,) = audited(action)
        assert (event.actor_id, event.object_id) == (ada.id, jo.id)
    told = emails_to("jo@example.org")
    assert [e.subject for e in told] == ["Your email address has been changed"]
    assert "The team has changed" in told[0].text_body and "jo.smith@example.org" in told[0].text_body
    signed_in(app, "jo.smith@example.org")


def test_an_invitation_sent_to_a_mistyped_address_goes_again_to_the_right_one(app, team):
    team.submit("/admin/invite", {"name": "Tom Lee", "email": "tom@exmaple.org", "role": "mentor"})
    tom = User.get(User.email == "tom@exmaple.org")
    first = re.search(r"http://portal\.test(/invitation/\S+)", emails_to("tom@exmaple.org")[-1].text_body).group(1)
    team.submit(f"/admin/people/{tom.id}/details", {"email": "tom@example.org"})
    assert User.get_by_id(tom.id).email == "tom@example.org"
    (invitation,) = emails_to("tom@example.org")
    assert invitation.subject.startswith("You are invited")
    # The old address was never confirmed (it may be a stranger's): it is not written to again.
    assert len(emails_to("tom@exmaple.org")) == 1
    assert "A newer link has been sent" in text(team.get(first))


def test_an_address_already_in_use_is_refused(app, team):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    make_user("sam@example.org", "Sam Other", mentee=True)
    refused = team.submit(f"/admin/people/{jo.id}/details", {"name": "Jo Bloggs", "email": "sam@example.org"})
    assert refused.status_code == 400
    assert errors(refused)["email"] == "sam@example.org already belongs to another account, so this one cannot use it"
    assert User.get_by_id(jo.id).email == "jo@example.org" and not audited("changed_email")


def test_a_mentors_name_is_changed_in_their_register_entry(app, team):
    mentor = make_mentor("priya@example.org", "Priya Shah")
    page = team.get(f"/admin/people/{mentor.user_id}/details")
    assert f"/admin/mentors/{mentor.id}/edit" in text(page) and 'name="name"' not in text(page)
    team.submit(f"/admin/people/{mentor.user_id}/details", {"name": "Someone Else", "email": "priya.shah@example.org"})
    user = User.get_by_id(mentor.user_id)
    assert (user.name, user.email) == ("Priya Shah", "priya.shah@example.org")
    signed_in(app, "priya.shah@example.org")


def invitation_link(address) -> str:
    return re.search(r"http://portal\.test(/invitation/\S+)", emails_to(address)[-1].text_body).group(1)


def test_the_team_cancels_an_invitation_not_yet_accepted(app, team, ada):
    team.submit("/admin/invite", {"name": "Tom Lee", "email": "tom@example.org", "role": "mentor"})
    tom = User.get(User.email == "tom@example.org")
    link = invitation_link("tom@example.org")
    assert f"/admin/invitations/{tom.id}/cancel" in text(team.get("/admin/invitations"))

    asked = team.get(f"/admin/invitations/{tom.id}/cancel")  # asks first
    assert "Cancel the invitation to Tom Lee?" in words(asked) and User.get_or_none(User.id == tom.id)
    done = team.submit(f"/admin/invitations/{tom.id}/cancel", follow_redirects=True)
    assert "The invitation to Tom Lee is cancelled." in words(done) and "tom@example.org" not in text(done)
    assert User.get_or_none(User.email == "tom@example.org") is None
    (event,) = audited("cancelled_invitation")
    assert (event.actor_id, event.object_id) == (ada.id, tom.id)
    # The invitation not yet delivered never goes, and its link opens nothing.
    assert not emails_to("tom@example.org")
    team.logout()
    assert team.get(link).status_code == 404

    # Invited again later, they start afresh.
    signed_in(app, "ada@example.org").submit("/admin/invite", {"name": "Tom Lee", "email": "tom@example.org",
                                                               "role": "mentor"})
    assert team.get(invitation_link("tom@example.org")).status_code == 200


def test_an_accepted_invitation_cannot_be_cancelled(app, team):
    accepted = make_user("done@example.org", "Done Already", mentor=True)
    said = team.submit(f"/admin/invitations/{accepted.id}/cancel", follow_redirects=True)
    assert "Done Already has no invitation waiting" in words(said)
    assert User.get_or_none(User.id == accepted.id) and not audited("cancelled_invitation")


def test_the_team_deactivates_a_mentee_after_asking(app, team, ada):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    full = make_mentor("priya@example.org", "Priya Shah", capacity=0)
    WaitlistEntry.create(mentee=jo.mentee, mentor=full)
    assert f"/admin/people/{jo.id}/deactivate" in text(team.get(f"/admin/people/{jo.id}"))
    asked = team.get(f"/admin/people/{jo.id}/deactivate")
    assert "Deactivate Jo Bloggs's mentee account?" in words(asked) and "leave any waiting list" in words(asked)
    assert MenteeProfile.get_by_id(jo.mentee.id).deactivated_at is None  # looking changes nothing

    done = team.submit(f"/admin/people/{jo.id}/deactivate", follow_redirects=True)
    assert "Jo Bloggs's mentee account is deactivated" in words(done) and "Reopen the account" in text(done)
    # The state the idle sweep leaves: closed, off every waiting list, told by email.
    assert MenteeProfile.get_by_id(jo.mentee.id).deactivated_at is not None
    assert WaitlistEntry.get().status == "left"
    (told,) = emails_to("jo@example.org")
    assert told.subject == "Your mentee account has been paused" and "The team has paused" in told.text_body
    (event,) = audited("deactivated_mentee")
    assert (event.actor_id, event.object_id) == (ada.id, jo.mentee.id)
    assert "Your mentee account is paused" in words(signed_in(app, "jo@example.org").get("/mentors/"))

    # Reopened the same way as after the sweep.
    team.submit(f"/admin/people/{jo.id}/reactivate")
    assert MenteeProfile.get_by_id(jo.mentee.id).deactivated_at is None


def test_a_mentee_waiting_for_an_answer_stays_open(app, team):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    with app.app_context():
        mentor_requests.make_request(jo, make_mentor("priya@example.org", "Priya Shah"), NOTE)
    page = team.get(f"/admin/people/{jo.id}/deactivate")
    assert "waiting for a mentor's answer" in words(page) and "Deactivate the account" not in text(page)
    refused = team.submit(f"/admin/people/{jo.id}/deactivate", follow_redirects=True)
    assert "waiting for a mentor's answer" in words(refused)
    assert MenteeProfile.get_by_id(jo.mentee.id).deactivated_at is None and not audited("deactivated_mentee")


def test_interest_in_mentoring_becomes_an_invitation_in_one_step(app, team, ada):
    Web(app.test_client()).submit("/become-a-mentor", {"name": "Kit Carter", "email": "kit@example.org",
                                                       "grade": "ST4", "specialty": "Surgery"})
    item = InboxItem.get(InboxItem.kind == "interest")
    page = team.get(f"/admin/inbox/{item.id}")
    assert "Invite Kit Carter as a peer mentor" in words(page)

    done = team.submit(f"/admin/inbox/{item.id}/invite", follow_redirects=True)
    assert "Kit Carter is invited as a peer mentor" in words(done)
    kit = User.get(User.email == "kit@example.org")
    assert kit.name == "Kit Carter" and kit.password_hash is None
    assert not MentorProfile.get(MentorProfile.user == kit).listed  # off the register until their bio is in
    assert InboxItem.get_by_id(item.id).status == "closed"
    assert [e.subject for e in emails_to("kit@example.org")][-1].startswith("You are invited")
    (invited,) = audited("invited_mentor")
    (closed,) = audited("closed_inbox_item")
    assert (invited.actor_id, invited.object_id, closed.actor_id, closed.object_id) == (ada.id, kit.id, ada.id, item.id)
    team.logout()
    assert "Welcome, Kit" in text(team.get(invitation_link("kit@example.org")))

    # A second press (another admin's, say) invites no one again.
    again = signed_in(app, "ada@example.org").submit(f"/admin/inbox/{item.id}/invite", follow_redirects=True)
    assert "Someone else closed that item already" in words(again) and len(audited("invited_mentor")) == 1


def test_only_interest_can_be_turned_into_an_invitation(app, team):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    with app.app_context():
        concern = inbox.raise_item("concern", name=jo.name, email=jo.email, user=jo, message="A worry.")
    assert team.submit(f"/admin/inbox/{concern.id}/invite").status_code == 404
    assert "as a peer mentor" not in text(team.get(f"/admin/inbox/{concern.id}"))
