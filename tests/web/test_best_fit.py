"""Best fit first: the order a signed-in mentee sees, the reasons on each card, the switch to A to Z kept in
the URL, what a mentee says suits them, and the one query that scores it agreeing with the rules."""
import random
import re
from datetime import timedelta

import pytest

from portal.core import clock, db, reference
from portal.directory import search
from portal.models import MenteeProfile, MentorProfile, User
from portal.rules import matching
from tests.support.factories import bulk_mentors, make_mentor, make_user
from tests.support.web import errors, signed_in, text, words

CARD = re.compile(r'<h2 class="app-mentor-card__name"><a href="/mentors/(\d+)">([^<]+)</a>')
REASON = re.compile(r'nhsuk-tag--green">([^<]+)<')


def names(response) -> list[str]:
    return [name for _, name in CARD.findall(text(response))]


def cards(response) -> dict[str, list[str]]:
    """Each mentor's name -> the reasons on their card."""
    page, found = text(response), {}
    starts = [m.start() for m in re.finditer(r'<li class="app-card app-mentor-card">', page)] + [len(page)]
    for start, end in zip(starts, starts[1:]):
        card = page[start:end]
        found[CARD.search(card).group(2)] = REASON.findall(card)
    return found


@pytest.fixture
def jo(app):
    """An ST3 in paediatrics at Leeds, back from parental leave, who said she meets face to face in York on Mondays."""
    user = make_user("jo@example.org", "Jo Bloggs", mentee=True, grade="ST3", school="Paediatrics",
                     specialty="Neonatology", trust="Leeds Teaching Hospitals NHS Trust", reason="parental_leave",
                     meet_mode="in_person", usual_days=["mon"], can_reach="York")
    return signed_in(app, user.email)


NOTHING_SHARED = dict(grade="ST3", school="Surgery", specialty="Urology", trust="Hull University Teaching Hospitals",
                      meets_in_person=False, locations="", meets_online=True, platforms=["zoom"],
                      slots=["tue-evening"], time_away=["caring"])


def test_the_mentors_who_have_most_in_common_come_first_with_the_reasons(jo):
    make_mentor("a@example.org", "Abe Nothing", **NOTHING_SHARED)
    make_mentor("b@example.org", "Bea Away", **{**NOTHING_SHARED, "time_away": ["parental_leave", "phased_return"]})
    make_mentor("c@example.org", "Cal School", **{**NOTHING_SHARED, "school": "Paediatrics", "grade": "ST5"})
    make_mentor("d@example.org", "Dee Everything", **{**NOTHING_SHARED, "time_away": ["parental_leave"],
                                                       "school": "Paediatrics", "specialty": "Neonatology",
                                                       "grade": "ST4", "meets_in_person": True, "locations": "York",
                                                       "slots": ["mon-evening"]})
    make_mentor("e@example.org", "Eve Monday", **{**NOTHING_SHARED, "slots": ["mon-morning", "mon-evening"]})
    make_mentor("f@example.org", "Fay Trust", **{**NOTHING_SHARED, "trust": "leeds teaching hospitals NHS trust"})
    page = jo.get("/mentors/")
    # Everything, then time away (7), the school and a grade ahead (6 + 4), the trust (3), a Monday (1), nothing.
    assert names(page) == ["Dee Everything", "Cal School", "Bea Away", "Fay Trust", "Eve Monday", "Abe Nothing"]
    assert cards(page) == {
        "Dee Everything": ["Also took parental leave", "Paediatrics", "Neonatology"],  # three at most
        "Cal School": ["Paediatrics", "ST5: 2 steps ahead of you"],
        "Bea Away": ["Also took parental leave"],
        "Fay Trust": ["Works at your trust"],
        "Eve Monday": ["Meets on Monday mornings and evenings"],
        "Abe Nothing": [],
    }
    assert 'id="sort-fit" name="sort" type="radio" value="" checked' in text(page)
    assert "How best fit works" in text(page)


def test_a_to_z_is_one_choice_away_and_stays_in_the_address(jo):
    for n, name in enumerate(["Zed Fit", "Amy Plain", "Max Plain"]):
        make_mentor(f"m{n}@example.org", name, **(NOTHING_SHARED if "Plain" in name
                                                   else {**NOTHING_SHARED, "school": "Paediatrics"}))
    assert names(jo.get("/mentors/")) == ["Zed Fit", "Amy Plain", "Max Plain"]
    a_to_z = jo.get("/mentors/?sort=name")
    assert names(a_to_z) == ["Amy Plain", "Max Plain", "Zed Fit"]
    assert 'id="sort-name" name="sort" type="radio" value="name" checked' in text(a_to_z)
    assert not cards(a_to_z)["Zed Fit"] == []  # the reasons stay: only the order changes
    # With htmx, the address bar keeps the order, as a bookmark would.
    pushed = jo.get("/mentors/?sort=name&school=&grade=", headers={"HX-Request": "true"})
    assert pushed.headers["HX-Push-Url"] == "/mentors/?sort=name"
    assert "We ignored an order we do not recognise." in words(jo.get("/mentors/?sort=popular"))


def test_a_page_in_a_to_z_order_shared_by_everyone_shows_each_mentee_their_own_reasons(app, jo):
    make_mentor("a@example.org", "Ann Paediatrics", **{**NOTHING_SHARED, "school": "Paediatrics"})
    make_mentor("b@example.org", "Bob Surgery", **NOTHING_SHARED)
    make_user("kim@example.org", "Kim Surgeon", mentee=True, school="Surgery", grade="F1", reason="other",
              trust="Elsewhere")
    kim = signed_in(app, "kim@example.org")
    with clock.frozen(clock.now()):  # within one turnover of the answer cache
        jo.get("/mentors/?grade=ST5")  # the filter lists are kept too: made once, before counting
        made, page = _queries(lambda: jo.get("/mentors/?sort=name"))
        assert cards(page) == {"Ann Paediatrics": ["Paediatrics"], "Bob Surgery": []}
        reused, page = _queries(lambda: kim.get("/mentors/?sort=name"))
    assert reused < made  # the same page, from the cache
    assert cards(page) == {"Ann Paediatrics": [], "Bob Surgery": ["Surgery"]}


def test_full_mentors_still_come_last_however_well_they_fit(jo):
    make_mentor("a@example.org", "Ann Plain", **NOTHING_SHARED)
    full = make_mentor("b@example.org", "Bo Perfect", capacity=1, **{**NOTHING_SHARED, "school": "Paediatrics",
                                                                     "time_away": ["parental_leave"]})
    MentorProfile.update(places_taken=1).where(MentorProfile.id == full.id).execute()
    assert names(jo.get("/mentors/")) == ["Ann Plain", "Bo Perfect"]


def test_gender_is_never_part_of_the_order(app, jo):
    make_mentor("a@example.org", "Ann Woman", **{**NOTHING_SHARED, "gender": "Woman"})
    make_mentor("b@example.org", "Bob Man", **{**NOTHING_SHARED, "gender": "Man"})
    assert names(jo.get("/mentors/")) == ["Ann Woman", "Bob Man"]  # the same fit, so A to Z
    query, _ = search.ordered(search.offered_mentors(search.Filters(), clock.today_london(), True),
                              search.seeker_for(MenteeProfile.get()), search.Filters()).sql()
    assert "gender" not in query.split("ORDER BY")[1]
    assert names(jo.get("/mentors/?gender=Man")) == ["Bob Man"]  # a mentee who wants it filters


def test_an_admin_sees_a_to_z_with_no_best_fit(app):
    make_mentor("z@example.org", "Zoe Paediatrics", **{**NOTHING_SHARED, "school": "Paediatrics"})
    make_mentor("a@example.org", "Al Surgery", **NOTHING_SHARED)
    admin = signed_in(app, "register@example.org")
    page = admin.get("/mentors/")
    assert names(page) == ["Al Surgery", "Zoe Paediatrics"]
    assert 'name="sort"' not in text(page) and "nhsuk-tag--green" not in text(page)


def test_mentors_can_be_found_by_the_time_away_they_share(jo):
    make_mentor("a@example.org", "Ann Leave", **{**NOTHING_SHARED, "time_away": ["parental_leave", "ltft"]})
    make_mentor("b@example.org", "Bob Sick", **{**NOTHING_SHARED, "time_away": ["sick_leave"]})
    assert names(jo.get("/mentors/?away=ltft")) == ["Ann Leave"]
    assert names(jo.get("/mentors/?away=sick_leave")) == ["Bob Sick"]
    assert "We ignored a kind of time away we do not recognise." in words(jo.get("/mentors/?away=holiday"))
    profile = words(jo.get(f"/mentors/{MentorProfile.get(MentorProfile.user == User.get(User.email == 'a@example.org')).id}"))
    assert "Time away Parental leave A less-than-full-time return" in profile


def test_what_a_mentee_says_suits_them_changes_the_order(app):
    make_user("sam@example.org", "Sam Mentee", mentee=True, grade="F1", school="Medicine", specialty="",
              trust="Somewhere Else", reason="other")
    make_mentor("a@example.org", "Ann Caring", **{**NOTHING_SHARED, "time_away": ["caring"]})
    make_mentor("b@example.org", "Bob Bradford", **{**NOTHING_SHARED, "meets_in_person": True,
                                                     "locations": "Bradford", "slots": ["sat-morning"]})
    sam = signed_in(app, "sam@example.org")
    assert names(sam.get("/mentors/")) == ["Ann Caring", "Bob Bradford"]  # nothing in common yet: A to Z
    page = sam.get("/account/matching")
    assert "Parental leave" in text(page) and "already come first" not in text(page)  # "other" names no tag
    saved = sam.submit("/account/matching", {"meet_mode": "in_person", "usual_days": ["sat"],
                                             "can_reach": "bradford, Leeds"})
    assert saved.status_code == 302
    assert names(sam.get("/mentors/")) == ["Bob Bradford", "Ann Caring"]
    assert cards(sam.get("/mentors/"))["Bob Bradford"] == ["Meets face to face in Bradford", "Meets face to face",
                                                          "Meets on Saturday mornings"]
    sam.submit("/account/matching", {"time_away": ["caring"], "meet_mode": "", "can_reach": ""})
    assert names(sam.get("/mentors/")) == ["Ann Caring", "Bob Bradford"]
    account = words(sam.get("/account/"))
    assert "Time away Caring responsibilities Meeting Either suits me Usually free Not given" in account
    mentee = MenteeProfile.get()
    assert (mentee.away_tags, mentee.meet_mode, mentee.usual_days, mentee.can_reach) == (["caring"], "", [], "")


@pytest.mark.parametrize("data, field, message", [
    ({"meet_mode": "teleport"}, "meet_mode", "Choose how you would like to meet"),
    ({"usual_days": ["funday"]}, "usual_days", "is not a valid choice"),
    ({"time_away": ["parental_leave"]}, "time_away", "is not a valid choice"),  # already counted, not offered
    ({"can_reach": "Leeds, " * 60}, "can_reach", "300 characters or fewer"),
])
def test_what_suits_a_mentee_is_checked_and_kept_as_typed(jo, data, field, message):
    response = jo.submit("/account/matching", {"can_reach": "Ripon", **data})
    assert response.status_code == 400 and message in errors(response)[field]
    assert 'value="' + data.get("can_reach", "Ripon").strip() in text(response)
    assert MenteeProfile.get().can_reach == "York"  # nothing saved


def test_the_sign_up_reason_is_counted_without_being_asked_again(jo):
    page = words(jo.get("/account/matching"))
    assert "Mentors whose time away included parental leave already come first" in page
    assert 'value="parental_leave"' not in text(jo.get("/account/matching"))


def test_the_query_scores_as_the_rules_do(app):
    """The score the database orders by, for many mentors and mentees, is the one portal/rules/matching.py gives."""
    rng = random.Random(14)
    for n in range(30):
        make_mentor(f"m{n}@example.org", f"Mentor {n}", grade=rng.choice(reference.GRADES),
                    school=rng.choice(reference.SCHOOLS), specialty=rng.choice(["", "Neonatology", " neonatology"]),
                    trust=rng.choice(["Leeds Teaching Hospitals NHS Trust", "York Hospital", ""]),
                    meets_in_person=(in_person := rng.random() < 0.5), locations="York, Leeds" if in_person else "",
                    meets_online=True, platforms=["zoom"], slots=rng.sample(reference.SLOTS, 3),
                    time_away=rng.sample(list(reference.TIME_AWAY), rng.randint(0, 2)))
    today = clock.today_london()
    for _ in range(25):
        seeker = matching.Seeker(
            tags=frozenset(rng.sample(list(reference.TIME_AWAY), rng.randint(0, 2))),
            school=rng.choice(["", *reference.SCHOOLS]), specialty=rng.choice(["", "neonatology"]),
            grade=rng.choice(reference.GRADES), trust=rng.choice(["", "leeds teaching hospitals nhs trust"]),
            locations=frozenset(rng.sample(["york", "leeds", "hull"], rng.randint(0, 2))),
            mode=rng.choice(["", "in_person", "online"]), days=frozenset(rng.sample(list(reference.DAYS), 2)))
        rows = list(search.offered_mentors(search.Filters(), today, True)
                    .select_extend(search.fit_score(seeker).alias("fit")))
        options = search.options_for(rows)
        assert {m.id: m.fit for m in rows} == {
            m.id: matching.score(seeker, search.offer_of(m, options[m.id])) for m in rows}, seeker


def test_best_fit_asks_the_same_number_of_queries_for_ten_or_thousands(app, jo):
    def count(url):
        queries, response = _queries(lambda: jo.get(url))
        assert response.status_code == 200
        return queries

    urls = ["/mentors/", "/mentors/?day=mon", "/mentors/?q=bulk&sort=name"]
    start = clock.now()
    with clock.frozen(start):
        bulk_mentors(10)
        small = [count(url) for url in urls]
    User.delete().where(User.email.startswith("bulk")).execute()
    with clock.frozen(start + timedelta(minutes=1)):
        bulk_mentors(2000)
        assert [count(url) for url in urls] == small


def test_each_mentee_gets_their_own_order_and_their_pages_are_kept(app, jo):
    make_mentor("a@example.org", "Ann Surgery", **{**NOTHING_SHARED, "school": "Surgery"})
    make_mentor("b@example.org", "Bob Paediatrics", **{**NOTHING_SHARED, "school": "Paediatrics"})
    make_user("kim@example.org", "Kim Surgeon", mentee=True, school="Surgery", grade="F1", reason="other",
              trust="Elsewhere")
    kim = signed_in(app, "kim@example.org")
    with clock.frozen(clock.now()):  # within one turnover of the answer cache
        first, page = _queries(lambda: jo.get("/mentors/"))
        assert names(page) == ["Bob Paediatrics", "Ann Surgery"]
        assert names(kim.get("/mentors/")) == ["Ann Surgery", "Bob Paediatrics"]  # not Jo's page from the cache
        again, page = _queries(lambda: jo.get("/mentors/"))
    assert again < first and names(page) == ["Bob Paediatrics", "Ann Surgery"]


def _queries(fetch):
    seen = []
    db.database.obj.query_hooks.append(seen.append)
    try:
        response = fetch()
    finally:
        db.database.obj.query_hooks.remove(seen.append)
    return len(seen), response
