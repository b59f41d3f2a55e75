"""The evaluation survey, answered through a single-use link and kept apart from the person; and
the schema's promise that nothing records what was discussed."""
import re

from jobs.sweeps import remind_surveys, send_surveys
from portal.core import db
from portal.mentoring import relationships
from portal.models import MODELS, Relationship, SurveyInvite, SurveyResponse
from portal.requests import mentor_requests
from tests.support.clock import at
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.forms import GOOD
from tests.support.jobs import sweep
from tests.support.mentoring import NOTE
from tests.support.servers import text_of
from tests.support.web import Web, errors, text, words


def closed_mentoring(app, n: int = 0) -> Relationship:
    mentee = make_user(f"mentee{n}@example.org", f"Mentee Number{n}", mentee=True)
    mentor = make_mentor(f"mentor{n}@example.org", f"Mentor Number{n}")
    with app.app_context(), at("2026-11-25T12:00"):
        mentor_request = mentor_requests.make_request(mentee, mentor, NOTE)
        mentor_requests.decide(mentor_request, "accept", mentor.user, "mentor")
        relationship = Relationship.get(Relationship.mentor_request == mentor_request.id)
        relationships.close(relationship, None, "admin", "closed by the team")
    return relationship


def survey_link(mailbox, address) -> str:
    message = mailbox.wait_for(address, "How was your peer mentoring?")
    return re.search(r"http://portal\.test(/survey/\S+)", text_of(message)).group(1)


def test_the_survey_goes_out_and_is_answered_once(app, mailbox):
    closed_mentoring(app)
    sweep(app, send_surveys, "2026-11-25T12:01", "2026-11-25T12:02")
    assert len([m for m in mailbox.to("mentee0@example.org") if "survey" in m["Subject"].lower()
                or "How was" in m["Subject"]]) == 1
    url = survey_link(mailbox, "mentee0@example.org")
    visitor = Web(app.test_client())  # no login: the link is enough
    page = visitor.get(url)
    assert page.status_code == 200 and "no one, the team included, can tell which answers are yours" in words(page)
    bad = visitor.submit(url, {**GOOD, "useful": "7"})
    assert bad.status_code == 400 and "Choose an answer to: How useful" in errors(bad)["useful"]
    assert 'value="right" checked' in text(bad)  # the other answers kept
    done = visitor.submit(url, {**GOOD, "better": "More evening slots"})
    assert "Thank you" in words(done)
    invite = SurveyInvite.get()
    assert invite.answered is True
    response = SurveyResponse.get()
    assert response.answers == {**{k: v for k, v in GOOD.items() if k != "better"}, "better": "More evening slots"}
    assert (response.cohort, response.sessions_band) == ("2026 Q4", "0")
    again = visitor.submit(url, GOOD)
    assert again.status_code == 410 and "has been answered" in words(again)
    assert SurveyResponse.select().count() == 1


def test_a_forged_survey_link_gets_a_kind_page(app):
    closed_mentoring(app)
    response = Web(app.test_client()).get("/survey/not-a-real-link")
    assert response.status_code == 404 and "This link does not work" in words(response)


def test_one_reminder_a_week_later_for_those_who_have_not_answered(app, mailbox):
    closed_mentoring(app, 0)
    closed_mentoring(app, 1)
    sweep(app, send_surveys, "2026-11-25T12:01")
    Web(app.test_client()).submit(survey_link(mailbox, "mentee1@example.org"), GOOD)
    sweep(app, remind_surveys, "2026-12-02T12:00", "2026-12-02T12:01")  # not quite seven days
    sweep(app, remind_surveys, "2026-12-02T12:02", "2026-12-03T09:00", "2026-12-20T09:00")
    reminders = [m for m in mailbox.to("mentee0@example.org") if m["Subject"].startswith("A reminder")]
    assert len(reminders) == 1
    assert [m for m in mailbox.to("mentee1@example.org") if m["Subject"].startswith("A reminder")] == []
    # The first email's link still answers the survey after the reminder came.
    assert "Thank you" in words(Web(app.test_client()).submit(survey_link(mailbox, "mentee0@example.org"), GOOD))


def test_an_external_survey_can_be_used_instead(app, mailbox):
    app.config["SURVEY_URL"] = "https://forms.example.nhs.uk/peer-mentoring"
    closed_mentoring(app)
    sweep(app, send_surveys, "2026-11-25T12:01")
    message = text_of(mailbox.wait_for("mentee0@example.org", "How was your peer mentoring?"))
    assert "https://forms.example.nhs.uk/peer-mentoring" in message and "/survey/" not in message


def test_results_appear_only_once_five_have_answered(app, mailbox):
    make_user("ada@example.org", "Ada Admin", admin=True)
    ada = Web(app.test_client())
    ada.login("ada@example.org", PASSWORD)
    for n in range(6):
        closed_mentoring(app, n)
    sweep(app, send_surveys, "2026-11-25T12:01")
    answers = [dict(GOOD, better=f"Idea number {n}") for n in range(4)] + [dict(GOOD, useful="2", better="")]
    for n, given in enumerate(answers):
        if n == 4:
            page = words(ada.get("/admin/survey"))
            assert "4 people have answered" in page and "Results appear here once at least 5" in page
            assert "Idea number" not in page
        Web(app.test_client()).submit(survey_link(mailbox, f"mentee{n}@example.org"), given)
    page = words(ada.get("/admin/survey"))
    assert "5 people have answered" in page
    assert "Extremely useful 0" not in page and "Extremely useful fewer than 5" in page
    assert "Written answers appear once there are at least 5" in page
    Web(app.test_client()).submit(survey_link(mailbox, "mentee5@example.org"), dict(GOOD, better="Idea number 4"))
    page = words(ada.get("/admin/survey"))
    assert "Extremely useful 5" in page and "A little useful fewer than 5" in page
    assert all(f"Idea number {n}" in page for n in range(5))
    assert "<svg" in text(ada.get("/admin/survey"))
    mentee = Web(app.test_client())
    mentee.login("mentee0@example.org", PASSWORD)
    assert mentee.get("/admin/survey").status_code == 403


# Words that would mean a column holds what was said in mentoring. Each column allowed below is
# named with the reason it is not that.
CONTENT_WORDS = re.compile(r"note|summar|discuss|topic|transcript|minute|conversation|said|content|message|"
                           r"reflection|comment|detail|body|text|answer")
ALLOWED = {
    ("mentor_note", "text"): "the mentor's private aide-memoire, deleted at closure (SCHEME.md allows it)",
    ("mentor_request", "note"): "what a mentee would like to talk about, written to ask a mentor, before mentoring",
    ("mentor_request", "decline_message"): "a mentor's kind word when declining a request",
    ("mentor_profile", "availability_notes"): "a mentor's restrictions on when they can meet",
    ("mentor_profile", "contact_details"): "how matched mentees reach the mentor",
    ("mentor_profile", "search_text"): "the mentor's own profile words, for the directory's search box",
    ("survey_invite", "answered"): "only whether the survey was answered, not what",
    ("mentoring_session", "length_minutes"): "how long a session lasts",
    ("inbox_item", "message"): "a message to the admin team (interest, concern, withdrawal reason)",
    ("inbox_item", "details"): "facts for the admin team: who, when, notice given",
    ("inbox_reply", "message"): "the team's reply to an inbox item, kept and erased with the item's own words",
    ("content", "body"): "texts the scheme publishes (agreement, help)",
    ("email", "text_body"): "the outbox: emails the portal sends",
    ("email", "html_body"): "the outbox: emails the portal sends",
    ("email", "held_body"): "the outbox: news waiting for a person's daily summary, cleared once it is sent",
    ("email", "summary_id"): "the daily summary email that carried a held one",
    ("email_preference", "summary_hour"): "when a person's daily summary of emails comes",
    ("email_preference", "weekly_summary"): "whether an admin keeps a copy of the team's weekly summary email",
    ("survey_response", "answers"): "anonymous survey answers about the scheme",
    ("audit_event", "detail"): "who did what: never content",
}


def test_no_column_records_what_was_discussed(app):
    columns = [(model._meta.table_name, column.name) for model in MODELS
               for column in db.database.get_columns(model._meta.table_name)]
    assert len(columns) > 100
    suspicious = [(table, name) for table, name in columns if CONTENT_WORDS.search(name)]
    unexplained = [pair for pair in suspicious if pair not in ALLOWED]
    assert unexplained == [], f"columns that may hold what was said: {unexplained}"
    assert ("mentor_note", "text") in suspicious  # the check does see real columns
    session_columns = {name for table, name in columns if table == "mentoring_session"}
    assert {"starts_at", "length_minutes", "mode", "status"} <= session_columns


def test_a_survey_response_cannot_be_traced_to_a_person(app):
    columns = {column.name for column in db.database.get_columns("survey_response")}
    assert columns == {"id", "cohort", "sessions_band", "answers"}
    invite_columns = {column.name for column in db.database.get_columns("survey_invite")}
    assert "answered" in invite_columns and not invite_columns & {"answered_at", "response_id"}
