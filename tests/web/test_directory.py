"""The directory: who is offered, filters and search, paging, contact details kept back, query counts."""
import re
from datetime import timedelta

import pytest

from portal.core import clock, db
from portal.models import MentorProfile, User
from tests.support.factories import PASSWORD, bulk_mentors, make_mentor, make_user
from tests.support.web import Web, text

CARD = re.compile(r'<h2 class="app-mentor-card__name"><a href="/mentors/(\d+)">([^<]+)</a>')


def names(response) -> list[str]:
    return [name for _, name in CARD.findall(text(response))]


@pytest.fixture
def mentee_web(web):
    make_user("mentee@example.org", "Mel Mentee", mentee=True)
    web.login("mentee@example.org", PASSWORD)
    return web


@pytest.mark.parametrize("who, status, words", [
    ({"mentee": True}, 200, "Find a mentor"),
    ({"admin": True}, 200, "Find a mentor"),
    ({"mentee": True, "confirmed": False}, 403, "Confirm your email address first"),
    ({"mentor": True}, 403, "You cannot see this page"),
    ({}, 403, "You cannot see this page"),
])
def test_who_may_browse(web, who, status, words):
    make_user("someone@example.org", "Some One", **who)
    assert web.get("/mentors/").status_code == 302  # logged out: asked to log in
    web.login("someone@example.org", PASSWORD)
    response = web.get("/mentors/")
    assert response.status_code == status and words in text(response)


def test_only_available_mentors_are_offered(app, mentee_web):
    today = clock.today_london()
    make_mentor("open@example.org", "Ada Open")
    make_mentor("full@example.org", "Bea Full", capacity=1)
    MentorProfile.update(places_taken=1).where(MentorProfile.user == User.get(User.email == "full@example.org")).execute()
    make_mentor("paused@example.org", "Cy Paused")
    MentorProfile.update(paused=True).where(MentorProfile.user == User.get(User.email == "paused@example.org")).execute()
    make_mentor("off@example.org", "Di Unlisted")
    MentorProfile.update(listed=False).where(MentorProfile.user == User.get(User.email == "off@example.org")).execute()
    make_mentor("leave@example.org", "Ed Leave")
    MentorProfile.update(leave_from=today, leave_until=today + timedelta(days=3)).where(
        MentorProfile.user == User.get(User.email == "leave@example.org")).execute()
    make_mentor("later@example.org", "Fay Later")
    MentorProfile.update(leave_from=today + timedelta(days=3), leave_until=today + timedelta(days=9)).where(
        MentorProfile.user == User.get(User.email == "later@example.org")).execute()
    make_mentor("closed@example.org", "Gus Closed", capacity=0)
    make_mentor("invited@example.org", "Hal Invited", password=False)
    make_mentor("gone@example.org", "Ivy Gone")
    User.update(is_active=False).where(User.email == "gone@example.org").execute()

    page = mentee_web.get("/mentors/")
    assert names(page) == ["Ada Open", "Fay Later", "Bea Full"]  # full ones last
    assert text(page).count("Not taking new mentees") == 1
    assert "3 mentors to choose from" in text(page)

    app.config["SHOW_FULL_MENTORS"] = False
    assert names(mentee_web.get("/mentors/")) == ["Ada Open", "Fay Later"]

    paused = MentorProfile.select().join(User).where(User.email == "paused@example.org").get()
    hidden = mentee_web.get(f"/mentors/{paused.id}")
    assert hidden.status_code == 404 and "not available just now" in text(hidden)
    assert mentee_web.get("/mentors/99999").status_code == 404

    with clock.travel(timedelta(days=4)):  # Ed's leave is over, Fay's has begun
        assert names(mentee_web.get("/mentors/")) == ["Ada Open", "Ed Leave"]


@pytest.fixture
def mentors_to_filter():
    make_mentor("a@example.org", "Ann Leeds", grade="ST5", school="Paediatrics", trust="Leeds Teaching Hospitals NHS Trust",
                gender="Woman", meets_in_person=True, locations="Leeds", meets_online=False, platforms=[],
                slots=["mon-evening"], interests="Fell walking and 100% dark chocolate")
    make_mentor("b@example.org", "Bob York", grade="ST3", school="Surgery", trust="York and Scarborough Teaching Hospitals NHS Foundation Trust",
                gender="Man", meets_in_person=True, locations="York", meets_online=True, platforms=["zoom"],
                slots=["sat-morning"], interests="Cricket", specialty="Urology")
    make_mentor("c@example.org", "Cat Video", grade="ST5", school="Psychiatry", trust="Leeds Teaching Hospitals NHS Trust",
                gender="Non-binary", meets_in_person=False, locations="", meets_online=True, platforms=["teams"],
                slots=["mon-morning", "sat-afternoon"], interests="Choir",
                experience_away="A year of sick leave after an accident")


@pytest.mark.parametrize("query, expected", [
    ("", ["Ann Leeds", "Bob York", "Cat Video"]),
    ("?grade=ST5", ["Ann Leeds", "Cat Video"]),
    ("?school=Surgery", ["Bob York"]),
    ("?trust=Leeds+Teaching+Hospitals+NHS+Trust", ["Ann Leeds", "Cat Video"]),
    ("?gender=Man", ["Bob York"]),
    ("?mode=in_person", ["Ann Leeds", "Bob York"]),
    ("?mode=online", ["Bob York", "Cat Video"]),
    ("?platform=zoom", ["Bob York"]),
    ("?day=mon", ["Ann Leeds", "Cat Video"]),
    ("?day=sat", ["Bob York", "Cat Video"]),
    ("?location=york", ["Bob York"]),
    ("?place=york", ["Bob York"]),  # the name the filter had before: old bookmarks still filter
    ("?q=urology", ["Bob York"]),
    ("?q=CHOIR", ["Cat Video"]),
    ("?q=sick+leave", ["Cat Video"]),
    ("?q=bob+cricket", ["Bob York"]),
    ("?q=100%25", ["Ann Leeds"]),
    ("?q=%25", ["Ann Leeds"]),
    ("?q=_", []),
    ("?grade=ST5&mode=online&day=sat", ["Cat Video"]),
    ("?grade=ST5&grade=ST3", ["Ann Leeds", "Cat Video"]),
    ("?grade=nope&school=nope", ["Ann Leeds", "Bob York", "Cat Video"]),
])
def test_filters_and_search(mentee_web, mentors_to_filter, query, expected):
    response = mentee_web.get(f"/mentors/{query}")
    assert response.status_code == 200
    assert sorted(names(response)) == expected  # which mentors: the order is the best fit's (tests/web/test_best_fit.py)


def test_sql_and_html_in_the_search_box_come_back_as_text(mentee_web, mentors_to_filter):
    for query in ("'; DROP TABLE \"user\"; --", "<script>alert('x')</script>", "\" OR 1=1 --", "\\"):
        response = mentee_web.get("/mentors/", query_string={"q": query})
        assert response.status_code == 200
        assert "<script>alert" not in text(response)
        assert "No mentors match" in text(response)
    assert User.select().count() == 5  # the mentee, the admin who made the register, three mentors
    escaped = mentee_web.get("/mentors/", query_string={"q": "<script>alert('x')</script>"})
    assert 'value="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"' in text(escaped)


def test_unknown_and_repeated_filters_are_explained(mentee_web, mentors_to_filter):
    page = text(mentee_web.get("/mentors/?day=someday&grade=ST5&grade=ST3"))
    assert "We ignored a day we do not recognise." in page
    assert "You can choose one grade at a time: we used the first." in page


def test_contact_details_never_appear_for_mentees(mentee_web, mentors_to_filter):
    bob = MentorProfile.select().join(User).where(User.email == "b@example.org").get()
    assert "07700 900999" not in text(mentee_web.get("/mentors/"))
    profile = text(mentee_web.get(f"/mentors/{bob.id}"))
    assert "Urology" in profile and "Cricket" in profile
    assert "07700 900999" not in profile and "Contact details" not in profile


def test_paging_works_without_javascript_and_keeps_the_filters(mentee_web):
    for n in range(14):
        make_mentor(f"m{n:02}@example.org", f"Mentor {n:02}", grade="ST5" if n % 2 == 0 else "ST3")
    first = mentee_web.get("/mentors/?sort=name")
    assert len(names(first)) == 12 and "Page 1 of 2" in text(first)
    assert 'href="/mentors/?page=2&amp;sort=name"' in text(first)  # the order goes with the page
    second = mentee_web.get("/mentors/?page=2&sort=name")
    assert names(second) == ["Mentor 12", "Mentor 13"]
    filtered = mentee_web.get("/mentors/?grade=ST5")
    assert len(names(filtered)) == 7 and "Page" not in text(filtered)
    past_the_end = mentee_web.get("/mentors/?page=9&sort=name")
    assert names(past_the_end) == ["Mentor 12", "Mentor 13"]
    assert "There is no page 9: this is the last page." in text(past_the_end)


def test_htmx_gets_just_the_results_and_history_gets_the_page(mentee_web, mentors_to_filter):
    partial = text(mentee_web.get("/mentors/?grade=ST5", headers={"HX-Request": "true"}))
    assert "<html" not in partial and '<div id="results"' in partial
    assert '<p id="result-count" hx-swap-oob="innerHTML">2 mentors match' in partial
    pushed = mentee_web.get("/mentors/?grade=ST5&school=&q=", headers={"HX-Request": "true"})
    assert pushed.headers["HX-Push-Url"] == "/mentors/?grade=ST5"  # the address bar shows what is in use
    restored = text(mentee_web.get("/mentors/?grade=ST5", headers={"HX-Request": "true",
                                                                    "HX-History-Restore-Request": "true"}))
    assert restored.startswith("<!doctype html>")


def count_queries(fetch):
    seen = []
    db.database.obj.query_hooks.append(seen.append)
    try:
        response = fetch()
        assert response.status_code == 200
    finally:
        db.database.obj.query_hooks.remove(seen.append)
    return len(seen), response


def test_the_number_of_queries_does_not_grow_with_the_register(app, mentee_web):
    urls = ["/mentors/?day=mon&platform=teams&school=Medicine", "/mentors/?q=bulk", "/mentors/?q=bulk&grade=ST5"]
    # The clock stands still within each round: answers are kept for a few seconds, and a round
    # straddling that turnover would count the filter lists' queries twice.
    start = clock.now()
    with clock.frozen(start):
        bulk_mentors(10)
        small = [count_queries(lambda: mentee_web.get(url))[0] for url in urls]
    User.delete().where(User.email.startswith("bulk")).execute()
    with clock.frozen(start + timedelta(minutes=1)):
        bulk_mentors(5000)
        large = [count_queries(lambda: mentee_web.get(url)) for url in urls]
    assert "5000 mentors match" in text(large[0][1])
    assert [count for count, _ in large] == small


def test_an_answer_is_reused_until_the_register_changes(app, mentee_web):
    mentor = make_mentor("ann@example.org", "Ann Able")
    with clock.frozen(clock.now()):  # within one turnover of the answer cache
        first, _ = count_queries(lambda: mentee_web.get("/mentors/"))
        again, page = count_queries(lambda: mentee_web.get("/mentors/"))
    assert again < first and names(page) == ["Ann Able"]
    MentorProfile.update(paused=True).where(MentorProfile.id == mentor.id).execute()
    assert names(mentee_web.get("/mentors/")) == []
    MentorProfile.update(paused=False).where(MentorProfile.id == mentor.id).execute()
    make_mentor("bob@example.org", "Bob Baker")
    assert names(mentee_web.get("/mentors/")) == ["Ann Able", "Bob Baker"]


def test_a_mentee_sees_the_whole_profile(mentee_web, mentors_to_filter):
    cat = MentorProfile.select().join(User).where(User.email == "c@example.org").get()
    page = text(mentee_web.get(f"/mentors/{cat.id}"))
    for words in ("Cat Video", "ST5, Psychiatry", "Non-binary", "A year of sick leave after an accident", "Choir",
                  "By video or phone (Microsoft Teams)", "Monday mornings, Saturday afternoons",
                  "Why I became a peer mentor", "Ask Cat to be my mentor"):
        assert words in page, words


def test_a_second_browser_sees_the_same_as_the_first(app, mentee_web, mentors_to_filter):
    other = Web(app.test_client())
    make_user("other@example.org", "Oli Other", mentee=True)
    other.login("other@example.org", PASSWORD)
    assert names(other.get("/mentors/?grade=ST5")) == names(mentee_web.get("/mentors/?grade=ST5"))


def test_a_card_holds_enough_to_choose_whom_to_read_about(mentee_web):
    mentor = make_mentor("ann@example.org", "Ann Able", why_mentor="Coming back is hard. " * 20)
    page = text(mentee_web.get("/mentors/"))
    start = page.index('<li class="app-card app-mentor-card">')
    card = page[start:page.index("\n</li>", start)]  # the card's own end: the lists in it close on their line
    reader_sees = " ".join(re.sub(r"<[^>]+>", " ", card).split())
    for words in ("Ann Able (she/her)", "ST5, Neonatology", "Leeds Teaching Hospitals NHS Trust",
                  "Meets Face to face in Leeds, York; by video or phone (Microsoft Teams)",
                  "Usually free Monday evenings, Saturday mornings", "Coming back is hard."):
        assert words in reader_sees, (words, reader_sees)
    assert f'href="/mentors/{mentor.id}"' in card and 'aria-hidden="true">AA</span>' in card
    assert len(re.search(r'app-mentor-card__why">([^<]*)<', card).group(1)) <= 140  # one line, not the whole text
    assert "07700 900999" not in card and "parental leave" not in card  # no contact details; experience is on the profile
