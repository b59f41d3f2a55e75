"""Anyone can register interest in becoming a mentor: an admin inbox item and a thank-you email."""
import pytest

from portal.models import InboxItem
from tests.support.factories import PASSWORD, make_user
from tests.support.servers import html_of, text_of
from tests.support.web import Web, errors, text, words

FORM = {"name": "Kit Carter", "email": "kit@example.org", "grade": "ST4", "specialty": "Surgery",
        "message": "I could do the course in the spring."}


def test_interest_lands_in_the_inbox_and_is_acknowledged(app, web, run_jobs, mailbox):
    response = web.submit("/become-a-mentor", FORM)
    assert response.headers["Location"] == "/become-a-mentor/thank-you"
    item = InboxItem.get()
    assert (item.kind, item.status, item.name, item.email) == ("interest", "open", "Kit Carter", "kit@example.org")
    assert item.details == {"grade": "ST4", "specialty": "Surgery"}
    run_jobs()
    assert "Thank you for your interest in becoming a peer mentor" in text_of(
        mailbox.wait_for("kit@example.org", "Thank you for your interest"))

    make_user("admin@example.org", "Ada Admin", admin=True)
    admin = Web(app.test_client())
    admin.login("admin@example.org", PASSWORD)
    assert "1 open in the inbox" in words(admin.get("/admin/"))
    listing = text(admin.get("/admin/inbox"))
    assert "Interest in becoming a mentor" in listing and "Kit Carter" in listing
    detail = text(admin.get(f"/admin/inbox/{item.id}"))
    assert "I could do the course in the spring." in detail and "Surgery" in detail
    admin.submit(f"/admin/inbox/{item.id}/close")
    assert InboxItem.get_by_id(item.id).status == "closed"
    assert "Nothing to show for these filters" in words(admin.get("/admin/inbox"))
    second = admin.submit(f"/admin/inbox/{item.id}/close", follow_redirects=True)
    assert "Someone else closed that item already" in text(second)


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter your full name"),
    ("email", "kit.example.org", "correct format"),
    ("grade", "", "Choose your grade"),
    ("specialty", "", "Enter your school or specialty"),
    ("message", "m" * 1001, "1,000 characters or fewer"),
])
def test_interest_form_explains_bad_input(web, field, value, message):
    response = web.submit("/become-a-mentor", {**FORM, field: value})
    assert message in errors(response)[field]
    assert 'value="Surgery"' in text(response) or field == "specialty"
    assert not InboxItem.select().exists()


def test_one_thank_you_a_day_per_address(web, run_jobs, mailbox):
    web.submit("/become-a-mentor", FORM)
    web.submit("/become-a-mentor", FORM)
    run_jobs()
    assert InboxItem.select().count() == 2
    assert len(mailbox.to("kit@example.org")) == 1


def test_the_thank_you_carries_none_of_the_words_typed_into_the_form(web, run_jobs, mailbox):
    """Anyone can fill the form in with anyone's address: what they typed must not reach that inbox."""
    typed = {**FORM, "name": "Prize-at-spam.example now", "specialty": "Click spam.example now",
             "message": "Visit spam.example today"}
    web.submit("/become-a-mentor", typed)
    run_jobs()
    thanks = mailbox.wait_for("kit@example.org", "Thank you for your interest")
    assert "Thank you for your interest in becoming a peer mentor" in text_of(thanks)
    for words_typed in ("spam.example", "Prize", "Click", "Visit"):
        assert words_typed not in text_of(thanks) and words_typed not in html_of(thanks)
        assert words_typed not in thanks["Subject"]
