"""The team's day without friction (issue "Every role's day without friction"): what the admins stumbled on in
their own pages, walked through again."""
import json
import re

import pytest

from jobs.sweeps import purge_old_records
from portal.core import content
from portal.models import Email, InboxItem, InboxReply, Relationship
from portal.requests import mentor_requests
from tests.support.factories import make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.jobs import sweep, work
from tests.support.servers import text_of
from tests.support.web import Web, signed_in, text, words


@pytest.fixture
def ada(app):
    make_user("ada@example.org", "Ada Admin", admin=True)
    return signed_in(app, "ada@example.org")


def test_a_reply_from_the_inbox_shows_its_words_to_the_whole_team(app, ada):
    make_user("bea@example.org", "Bea Admin", admin=True)
    make_user("sam@example.org", "Sam Rivers", mentee=True)
    Web(app.test_client()).submit("/concern", {"name": "Sam Rivers", "email": "sam@example.org",
                                               "message": "My mentor has not replied for weeks."})
    item = InboxItem.get()
    ada.submit(f"/admin/inbox/{item.id}", {"message": "Thank you, Sam.\nWe have written to your mentor."})
    page = words(signed_in(app, "bea@example.org").get(f"/admin/inbox/{item.id}"))
    assert "by Ada Admin" in page and "Thank you, Sam. We have written to your mentor." in page

    # The outbox's copy goes with the retention purge; the reply stays as long as what it answers.
    Email.update(sent_at=Email.created_at, status="sent").execute()
    sweep(app, purge_old_records, "2027-12-01T03:17")
    assert Email.get(Email.template == "inbox_reply").text_body == ""
    assert "We have written to your mentor." in words(ada.get(f"/admin/inbox/{item.id}"))
    assert InboxItem.get_by_id(item.id).message == "My mentor has not replied for weeks."

    sam = signed_in(app, "sam@example.org")
    [message] = json.loads(text(sam.get("/account/data.json")))["messages_to_the_team"]
    assert message["replies_from_the_team"][0]["message"] == "Thank you, Sam.\nWe have written to your mentor."


def test_erasing_someone_erases_the_teams_replies_to_them(app, ada):
    visitor = Web(app.test_client())
    visitor.submit("/become-a-mentor", {"name": "Kit Carter", "email": "kit@example.org", "grade": "ST4",
                                        "specialty": "Surgery", "message": "I could do the course in spring."})
    item = InboxItem.get()
    ada.submit(f"/admin/inbox/{item.id}", {"message": "Lovely, Kit: spring suits us."})
    assert InboxReply.get().message == "Lovely, Kit: spring suits us."
    ada.submit(f"/admin/inbox/{item.id}/erase")
    assert InboxReply.get().message == ""
    page = words(ada.get(f"/admin/inbox/{item.id}"))
    assert "spring suits us" not in page and "The words of this reply were not kept." in page


def test_a_reply_says_hello_once_in_the_admins_own_words(app, ada, mailbox):
    Web(app.test_client()).submit("/concern", {"name": "Casey Jones", "email": "casey@example.org",
                                               "message": "Can I change mentor?"})
    item = InboxItem.get()
    # The greeting is offered in the box, where the admin sees it and may change it.
    assert ">Hello Casey,</textarea>" in text(ada.get(f"/admin/inbox/{item.id}"))
    ada.submit(f"/admin/inbox/{item.id}", {"message": "Dear Casey,\n\nOf course: choose again from the list."})
    work(app)
    sent = text_of(mailbox.wait_for("casey@example.org", "A reply from"))
    assert sent.startswith("Dear Casey,") and "Hello" not in sent and "> " not in sent


@pytest.mark.parametrize("hours, said", [
    (0, "giving less than an hour's notice (the scheme asks for 24)."),
    (1, "giving 1 hour's notice (the scheme asks for 24)."),
    (30, "giving 30 hours' notice."),
])
def test_a_cancellation_in_the_inbox_is_said_as_a_sentence(app, ada, hours, said):
    item = InboxItem.create(kind="cancellation", name="Jo Bloggs", email="jo@example.org", details={
        "cancelled_by": "mentee", "session_was": "1 December 2026 at 6:30pm", "notice_hours": hours})
    page = words(ada.get(f"/admin/inbox/{item.id}"))
    assert f"Jo Bloggs, the mentee, cancelled the session planned for 1 December 2026 at 6:30pm, {said}" in page
    assert "Notice hours" not in page


def _reached(web, limit=80) -> dict[str, str]:
    """The pages reached by following links from the home page, as this person: path -> the page's words.
    Not the team's pages, downloads, pages with a query (filters, where to go next) or logging out."""
    found, waiting = {}, ["/"]
    while waiting and len(found) < limit:
        path = waiting.pop(0)
        if path in found:
            continue
        response = web.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found[path] = words(response)
        waiting += [link for link in re.findall(r'href="(/[^"?#]*)"', text(response))
                    if not link.startswith(("/admin", "/static", "/logout", "/register/photo"))
                    and not link.endswith((".json", ".ics", ".csv")) and link not in found]
    return found


def test_every_text_has_a_page_people_reach_by_a_link_and_its_editor_says_where(app, ada):
    make_user("jo@example.org", "Jo Bloggs", mentee=True)
    reached = _reached(Web(app.test_client())) | _reached(signed_in(app, "jo@example.org"))
    with app.test_request_context():
        pages = {key: text.url() for key, text in content.TEXTS.items()}
        titles = {key: content.current(key).title for key in content.TEXTS}
    for key, url in pages.items():
        assert url in reached, f"nothing links to {key}'s page, {url}"
        assert titles[key] in reached[url], key
        editor = ada.get(f"/admin/content/{key}")
        assert f"Where it appears: {content.TEXTS[key].where}" in words(editor)
        assert f'href="{url}"' in text(editor), key
    assert "Where it appears" in words(ada.get("/admin/content"))
    assert reached["/help"].count("Finding a mentor") == 1 and "Ethical framework" in reached["/help"]


def test_a_mentor_finds_the_first_sessions_conversation_again_once_it_is_done(app):
    jo = make_user("jo@example.org", "Jo Bloggs", mentee=True)
    priya = make_mentor("priya@example.org", "Priya Shah")
    with app.app_context():
        mentor_requests.decide(mentor_requests.make_request(jo, priya, NOTE), "accept", priya.user, "mentor")
    relationship = Relationship.get()
    web = signed_in(app, "priya@example.org")
    web.submit(f"/mentoring/{relationship.id}/contracting")
    page = text(web.get(f"/mentoring/{relationship.id}"))
    assert "We have had this conversation" not in page and 'href="/first-session"' in page
