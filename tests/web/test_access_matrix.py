"""Every route, every role: who gets what, from the application's own URL map.

The routes checked are read from `app.url_map`, so a new one is checked the day it is added, and a
route missing from ROUTES below fails with its name. Each route is asked for by six people
(anonymous, a mentee, a second mentee, a mentor, a mentor with no mentee, an admin), about their own
object and about someone else's, and each answer is compared with the table. Every POST route must
also refuse a form with no CSRF token, or with a token from another browser. And every GET, as each
role, must ask the database at most QUERY_BUDGET times, with a year of the demo data behind the table's
people so that a page whose queries grow with the data shows it.

The people and their objects are built once per database (see `matrix`), so the checks never change
them: an allowed POST is only sent where it cannot (where the table says "ok", it is not sent).
"""
from dataclasses import dataclass
from itertools import count
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed

from portal import create_app
from portal.accounts.emails import CHANGE_EMAIL, CONFIRM, INVITE, RESET
from portal.core import clock, db, inbox, links
from portal.dev import demo
from portal.admin import dashboard
from portal.core.mail import unsubscribe_purpose
from portal.mentoring import feed, sessions
from portal.models import ImportBatch, Relationship, StoredPhoto, SurveyInvite, User
from portal.register.imports import template_csv
from portal.requests import mentor_requests
from portal.requests.emails import DECISION
from portal.survey.emails import PURPOSE as SURVEY
from tests.support.factories import PASSWORD, make_mentor, make_user
from tests.support.mentoring import NOTE
from tests.support.portal import portal_environ, reset_database
from tests.support.web import Web, text

ROLES = ("anonymous", "mentee", "mentee2", "mentor", "mentor2", "admin")


# What goes in a route's URL ------------------------------------------------------------------

@dataclass
class Thing:
    """An object of the scenario: `value` goes in the URL; `owners` are the roles it belongs to;
    `person` is who a signed link about it is emailed to."""
    value: object
    owners: set
    person: User | None = None


class Fixed:
    """Arguments that are the same for everyone (a text's key, say): asked for once per role."""

    def __init__(self, **values):
        self.values = values

    def __call__(self, scenario, role, mine):
        return self.values if mine else None


class Own:
    """The role's own object of a kind, or someone else's, as the URL argument `param` (with any
    fixed arguments beside it)."""

    def __init__(self, kind, param, **fixed):
        self.kind, self.param, self.fixed = kind, param, fixed

    def __call__(self, scenario, role, mine):
        thing = scenario.pick(self.kind, role, mine)
        return None if thing is None else {self.param: thing.value, **self.fixed}


class Link:
    """A real signed link for `purpose`, emailed to the person whose object it is: the role's own, or
    someone else's (with any fixed arguments beside it). A fresh one each time, as opening some links
    spends them."""

    def __init__(self, purpose, kind="person", **fixed):
        self.purpose, self.kind, self.fixed = purpose, kind, fixed

    def __call__(self, scenario, role, mine):
        thing = scenario.pick(self.kind, role, mine)
        if thing is None:
            return None
        return {"token": scenario.token(self.purpose, thing, self.kind), **self.fixed}


NONE = Fixed()
PERSON, MENTOR = Own("person", "user_id"), Own("mentor", "mentor_id")
REQUEST, RELATIONSHIP, SESSION = Own("request", "request_id"), Own("relationship", "relationship_id"), \
    Own("session", "session_id")
ITEM, BATCH, PHOTO = Own("item", "item_id"), Own("batch", "batch_id"), Own("photo", "key", size="card")
ANSWER_LINK, SURVEY_LINK = Link(DECISION, "answer_link"), Link(SURVEY, "survey")
STOP_NEWS, CALENDAR_ADDRESS = Link(unsubscribe_purpose("news"), what="news"), Link(feed.PURPOSE)
AGREEMENT, AGREEMENT_V1 = Fixed(key="agreement"), Fixed(key="agreement", version=1)
STYLESHEET, STAGE = Fixed(filename="css/portal.css"), Fixed(stage="before")


# The table -----------------------------------------------------------------------------------
# One row per endpoint: how to build its URL, then what each role gets, in the order of ROLES.
# An answer is a status code, "login" (sent to log in), "home" (sent to the home page), "→/path"
# (sent elsewhere), or "ok" (a POST this role may make, not sent as it would change the scenario).
# "a|b" is the answer about the role's own object, then about someone else's; one answer is for both.
# For a GET-and-POST route the answer is the GET's; a POST with a valid token is sent only when the
# answer refuses (login, 403, 404), and must refuse the same way. A POST-only route answers 405 to GET.
# A signed link (Link) is built for real, emailed to the role's own person and to someone else: the
# link is the key, so whoever holds it gets the same answer, signed in as anyone or not at all.
# A new endpoint is one more row; a new kind of object in its URL, one more entry in build().

@dataclass
class Route:
    args: object
    answers: str

    def cells(self, role) -> str:
        return self.answers.split()[ROLES.index(role)]


ADMIN_PAGE = "login 403 403 403 403 200"
ADMIN_ACTION = "login 403 403 403 403 ok"
ANYONE = "200 200 200 200 200 200"
SIGNED_IN = "login 200 200 200 200 200"

ROUTES = {
    #                                                    anonymous mentee    mentee2   mentor    mentor2   admin
    "static":                      Route(STYLESHEET,    ANYONE),
    "home.home":                   Route(NONE,          ANYONE),
    "home.health":                 Route(NONE,          ANYONE),
    "home.favicon":                Route(NONE,          ANYONE),
    "accounts.agreement":              Route(NONE,          ANYONE),
    "accounts.accept_agreement":       Route(NONE,          "login     200       200       403       403       403"),
    "requests.ask_reactivation":       Route(NONE,          "login     ok        ok        403       403       403"),
    "accounts.interest":               Route(NONE,          ANYONE),
    "accounts.interest_thanks":        Route(NONE,          ANYONE),
    "home.concern":                Route(NONE,          ANYONE),
    "home.accessibility":          Route(NONE,          ANYONE),
    "home.help_page":              Route(NONE,          ANYONE),
    "home.ethics":                 Route(NONE,          ANYONE),
    "home.contracting":            Route(NONE,          ANYONE),
    "accounts.signup":                 Route(NONE,          ANYONE),
    "accounts.check_email":            Route(NONE,          ANYONE),
    "accounts.login":                  Route(NONE,          "200       home      home      home      home      home"),
    "accounts.logout":                 Route(NONE,          "ok        ok        ok        ok        ok        ok"),
    "accounts.confirm_email":          Route(Link(CONFIRM), ANYONE),
    "accounts.resend_confirmation":    Route(NONE,          "ok        ok        ok        ok        ok        ok"),
    "accounts.forgot_password":        Route(NONE,          ANYONE),
    "accounts.reset_password":         Route(Link(RESET),   ANYONE),
    "accounts.accept_invitation":      Route(Link(INVITE),  ANYONE),
    "accounts.account":                Route(NONE,          SIGNED_IN),
    "accounts.change_password":     Route(NONE,          SIGNED_IN),
    "accounts.details":             Route(NONE,          SIGNED_IN),
    # The table's people have asked for no new address, so their links have nothing to change.
    "accounts.change_email":        Route(Link(CHANGE_EMAIL), "410       410       410       410       410       410"),
    "accounts.join_as_mentee":      Route(NONE,          "login     404       404       200       200       200"),
    "accounts.emails":              Route(NONE,          SIGNED_IN),
    "accounts.unsubscribe":         Route(STOP_NEWS,     ANYONE),
    "mentoring.calendar":           Route(NONE,          "login     200       200       200       200       403"),
    "mentoring.calendar_feed":      Route(CALENDAR_ADDRESS, ANYONE),
    "accounts.matching":            Route(NONE,          "login     200       200       403       403       403"),
    "privacy.data":                Route(NONE,          SIGNED_IN),
    "privacy.data_download":       Route(NONE,          SIGNED_IN),
    "directory.directory":            Route(NONE,          "login     200       200       403       403       200"),
    "directory.profile":              Route(MENTOR,        "login     200       200       403       403       200"),
    "directory.join_waitlist":        Route(MENTOR,        "login     ok        ok        403       403       403"),
    "directory.leave_waitlist":       Route(MENTOR,        "login     ok        ok        403       403       ok"),
    "register.photo":                Route(PHOTO,         SIGNED_IN),
    "register.profile":              Route(NONE,          "login     403       403       200       200       403"),
    "register.edit_profile":         Route(NONE,          "login     403       403       200       200       403"),
    "register.availability":         Route(NONE,          "login     403       403       200       200       403"),
    "register.end_leave":            Route(NONE,          "login     403       403       ok        ok        403"),
    "directory.ask":                Route(MENTOR,        "login     ok        ok        403       403       403"),
    "mentoring.mine":               Route(NONE,          "login     200       200       200       200       403"),
    # Already answered, so nothing to cancel: back to their mentoring, told what became of it.
    "requests.cancel":             Route(REQUEST,       "login     →/mentoring|403 →/mentoring|403 403 403   403"),
    # Their own request has been answered, so there are no backups to change: back to their mentoring.
    "directory.backups":           Route(REQUEST,       "login     →/mentoring|403 →/mentoring|403 403 403   403"),
    "mentoring.reply":             Route(REQUEST,       "login     ok|403    ok|403    403       403       403"),
    "requests.answer":             Route(REQUEST,       "login     403       403       200|403   200|403   200"),
    "requests.respond":            Route(ANSWER_LINK,   ANYONE),
    "mentoring.relationship":      Route(RELATIONSHIP,  "login     200|403   200|403   200|403   403       →/admin/inbox"),
    "mentoring.propose":           Route(RELATIONSHIP,  "login     ok|403    ok|403    ok|403    403       403"),
    "mentoring.contracting":       Route(RELATIONSHIP,  "login     403       403       ok|403    403       403"),
    "mentoring.ask_for_more":      Route(RELATIONSHIP,  "login     ok|403    ok|403    403       403       403"),
    "mentoring.close":             Route(RELATIONSHIP,  "login     ok|403    ok|403    ok|403    403       403"),
    "mentoring.notes":             Route(RELATIONSHIP,  "login     403       403       200|403   403       403"),
    "mentoring.ask_withdrawal":    Route(RELATIONSHIP,  "login     ok|403    ok|403    ok|403    403       403"),
    "mentoring.change":            Route(SESSION,       "login     200|403   200|403   200|403   403       403"),
    "mentoring.cancel":            Route(SESSION,       "login     200|403   200|403   200|403   403       403"),
    "mentoring.confirm":           Route(SESSION,       "login     ok|403    ok|403    ok|403    403       403"),
    "mentoring.outcome":           Route(SESSION,       "login     ok|403    ok|403    ok|403    403       403"),
    "home.resources":         Route(STAGE,         SIGNED_IN),
    "survey.answer":               Route(SURVEY_LINK,   ANYONE),
    "admin.home":                  Route(NONE,          ADMIN_PAGE),
    "admin.audit_log":             Route(NONE,          ADMIN_PAGE),
    "admin.content_list":          Route(NONE,          ADMIN_PAGE),
    "admin.content_edit":          Route(AGREEMENT,     ADMIN_PAGE),
    "admin.content_version":       Route(AGREEMENT_V1,  ADMIN_PAGE),
    "admin.health":                Route(NONE,          ADMIN_PAGE),
    "admin.retry_failed_emails":   Route(NONE,          ADMIN_ACTION),
    "admin.inbox_list":            Route(NONE,          ADMIN_PAGE),
    "admin.inbox_item":            Route(ITEM,          ADMIN_PAGE),
    "admin.assign_inbox_item":     Route(ITEM,          ADMIN_ACTION),
    "admin.close_inbox_item":      Route(ITEM,          ADMIN_ACTION),
    "admin.erase_from_inbox":      Route(ITEM,          ADMIN_ACTION),
    "admin.grant_from_inbox":      Route(ITEM,          ADMIN_ACTION),
    "admin.reactivate_from_inbox": Route(ITEM,          ADMIN_ACTION),
    "admin.withdraw_from_inbox":   Route(ITEM,          ADMIN_ACTION),
    "admin.invite_from_inbox":     Route(ITEM,          ADMIN_ACTION),
    "admin.invitations":           Route(NONE,          ADMIN_PAGE),
    "admin.resend_invitation":     Route(PERSON,        ADMIN_ACTION),
    # Everyone in the table has set a password, so there is no invitation of theirs to cancel.
    "admin.cancel_invitation":     Route(PERSON,        "login 403 403 403 403 →/admin/invitations"),
    "admin.invite":                Route(NONE,          ADMIN_PAGE),
    "admin.mentors_list":          Route(NONE,          ADMIN_PAGE),
    "admin.new_mentor":            Route(NONE,          ADMIN_PAGE),
    "admin.mentor":                Route(MENTOR,        ADMIN_PAGE),
    "admin.request_page":          Route(REQUEST,       ADMIN_PAGE),
    "admin.extend_request":        Route(REQUEST,       ADMIN_ACTION),
    "admin.pass_request":          Route(REQUEST,       ADMIN_ACTION),
    "admin.withdraw_request":      Route(REQUEST,       ADMIN_PAGE),
    "admin.match":                 Route(NONE,          ADMIN_PAGE),
    # No one in the scenario waits for a mentor; the page itself is shown in tests/web/test_team_requests.py.
    "admin.remove_from_waitlist":  Route(Fixed(entry_id=999999), "login 403 403 403 403 404"),
    "admin.edit_mentor":           Route(MENTOR,        ADMIN_PAGE),
    "admin.mentor_availability":   Route(MENTOR,        ADMIN_PAGE),
    "admin.mentor_listing":        Route(MENTOR,        ADMIN_PAGE),
    "admin.pause_mentor":          Route(MENTOR,        ADMIN_PAGE),
    "admin.mentor_training":       Route(MENTOR,        ADMIN_ACTION),
    "admin.invite_mentor":         Route(MENTOR,        ADMIN_ACTION),
    "admin.import_upload":         Route(NONE,          ADMIN_PAGE),
    "admin.import_template":       Route(NONE,          ADMIN_PAGE),
    "admin.import_preview":        Route(BATCH,         ADMIN_PAGE),
    "admin.import_progress":       Route(BATCH,         ADMIN_PAGE),
    "admin.people":                Route(NONE,          ADMIN_PAGE),
    "admin.person":                Route(PERSON,        ADMIN_PAGE),
    "admin.person_data":           Route(PERSON,        ADMIN_PAGE),
    "admin.person_details":        Route(PERSON,        ADMIN_PAGE),
    "admin.erase_person":          Route(PERSON,        ADMIN_PAGE),
    "admin.reactivate":            Route(PERSON,        ADMIN_ACTION),
    # The admin is no mentee; the mentee asked about is in mentoring, so the page says the account stays open.
    "admin.deactivate":            Route(PERSON,        "login     403       403       403       403       404|200"),
    "admin.withdraw":              Route(RELATIONSHIP,  ADMIN_PAGE),
    "admin.grant":                 Route(RELATIONSHIP,  ADMIN_ACTION),
    "admin.close_relationship":    Route(RELATIONSHIP,  ADMIN_ACTION),
    "admin.reports_page":          Route(NONE,          ADMIN_PAGE),
    "admin.reports_csv":           Route(NONE,          ADMIN_PAGE),
    "admin.survey_results":        Route(NONE,          ADMIN_PAGE),
}


# The scenario: six people and their objects, built once per database ------------------------

@dataclass
class Scenario:
    app: Flask
    things: dict  # kind -> [Thing], in the order "someone else's" is chosen from
    browsers: dict  # role -> Web, logged in
    tokens: dict  # role -> the CSRF token of that browser

    def pick(self, kind, role, mine) -> Thing | None:
        """The role's own thing of this kind (mine), or the first that is someone else's."""
        return next((t for t in self.things[kind] if (role in t.owners) == mine), None)

    def token(self, purpose, thing, kind) -> str:
        with self.app.app_context():
            return links.issue(purpose, thing.person, timedelta(days=1),
                               target_id=None if kind == "person" else thing.value, replace=False)


def build(app) -> Scenario:
    """Jo (mentee) is matched with Priya (mentor); Sam (mentee2) with Ola, who is no role of the table;
    Dev (mentor2) has no mentee but a request from Kim waiting for his answer; Ada is the admin."""
    with app.app_context():
        ada = make_user("ada@example.org", "Ada Admin", admin=True)
        jo = make_user("jo@example.org", "Jo Mentee", mentee=True)
        sam = make_user("sam@example.org", "Sam Mentee", mentee=True)
        kim = make_user("kim@example.org", "Kim Mentee", mentee=True)
        priya = make_mentor("priya@example.org", "Priya Mentor")
        dev = make_mentor("dev@example.org", "Dev Mentor")
        ola = make_mentor("ola@example.org", "Ola Mentor")
        asked = {}
        for mentee, mentor in ((jo, priya), (sam, ola), (kim, dev)):
            asked[mentee.email] = mentor_requests.make_request(mentee, mentor, NOTE)
        for email, mentor in (("jo@example.org", priya), ("sam@example.org", ola)):
            mentor_requests.decide(asked[email], "accept", mentor.user, "mentor")
        ours, theirs = (Relationship.get(Relationship.mentor_request == asked[email].id)
                        for email in ("jo@example.org", "sam@example.org"))
        next_week = clock.now().replace(microsecond=0) + timedelta(days=7)
        planned = [sessions.propose(relationship, user, {
            "starts_at": next_week, "length_minutes": 60, "mode": "video", "platform": "zoom",
            "joining_link": "", "location": ""}) for relationship, user in ((ours, jo), (theirs, sam))]
        surveys = [SurveyInvite.create(relationship=r) for r in (ours, theirs)]
        concern = inbox.raise_item("concern", name=jo.name, email=jo.email, user=jo, message="A worry.")
        batch = ImportBatch.create(created_by=ada, filename="mentors.csv", data=template_csv().encode(),
                                   total_rows=1)
        photo = StoredPhoto.create(key="f" * 32, card=b"card", profile=b"profile")
        priya.photo = photo.key
        priya.save()
    users = {"mentee": jo, "mentee2": sam, "mentor": User.get_by_id(priya.user_id),
             "mentor2": User.get_by_id(dev.user_id), "admin": ada}
    things = {
        "person": [Thing(user.id, {role}, user) for role, user in users.items()],
        "mentor": [Thing(priya.id, {"mentor", "mentee"}), Thing(dev.id, {"mentor2"}), Thing(ola.id, {"mentee2"})],
        "request": [Thing(asked["jo@example.org"].id, {"mentee", "mentor"}),
                    Thing(asked["sam@example.org"].id, {"mentee2"}), Thing(asked["kim@example.org"].id, {"mentor2"})],
        "answer_link": [Thing(asked["jo@example.org"].id, {"mentor"}, users["mentor"]),
                        Thing(asked["kim@example.org"].id, {"mentor2"}, users["mentor2"])],
        "relationship": [Thing(ours.id, {"mentee", "mentor"}), Thing(theirs.id, {"mentee2"})],
        "session": [Thing(planned[0].id, {"mentee", "mentor"}), Thing(planned[1].id, {"mentee2"})],
        "survey": [Thing(surveys[0].id, {"mentee"}, jo), Thing(surveys[1].id, {"mentee2"}, sam)],
        "item": [Thing(concern.id, {"mentee"})],
        "batch": [Thing(batch.id, {"admin"})],
        "photo": [Thing(photo.key, {"mentor"})],
    }
    browsers = {role: Web(app.test_client()) for role in ROLES}
    for role, user in users.items():
        browsers[role].login(user.email, PASSWORD)
    return Scenario(app, things, browsers, {role: web.token() for role, web in browsers.items()})


@pytest.fixture(scope="module")
def matrix(database, redis_url, smtp_server):
    app = create_app(environ=portal_environ(database, redis_url, smtp_server))
    reset_database(database["seed"])
    from portal.core.queue import redis_connection
    with app.app_context():
        redis_connection().flushdb()
        assert demo.load(), "the demo data goes into an empty database"
    yield build(app)
    db.close()


# Asking ----------------------------------------------------------------------------------------

REFUSALS = {"login", "403", "404"}
WORDS = {"login", "home", "ok"}


def answer(response) -> str:
    """A response in the table's words."""
    if response.status_code in (302, 303):
        path = urlsplit(response.location).path
        return {"/login": "login", "/": "home"}.get(path, f"→{path}")
    return str(response.status_code)


def url(scenario, endpoint, args) -> str:
    return scenario.app.url_map.bind("localhost").build(endpoint, args)


def gets_here(scenario, address) -> bool:
    """Whether a GET of a POST-only route's address is its own to refuse: /confirm/again, say, is read
    by GET as the link /confirm/<token>, whose row says what that gives."""
    try:
        scenario.app.url_map.bind("localhost").match(address, method="GET")
    except MethodNotAllowed:
        return True
    return False


def cells(route, role) -> list[tuple[bool, str]]:
    """(about their own object?, the answer expected) for a role."""
    own, _, other = route.cells(role).partition("|")
    return [(True, own), (False, other or own)]


def rules_of(scenario):
    return [rule for rule in scenario.app.url_map.iter_rules() if rule.endpoint in ROUTES]


def test_every_route_is_in_the_table(matrix):
    endpoints = {rule.endpoint for rule in matrix.app.url_map.iter_rules()}
    missing = sorted(endpoints - ROUTES.keys())
    assert not missing, ("Add a row to ROUTES in tests/web/test_access_matrix.py for each new endpoint, saying "
                         f"what each role gets: {', '.join(missing)}")
    gone = sorted(ROUTES.keys() - endpoints)
    assert not gone, f"These rows of ROUTES name no endpoint any more: {', '.join(gone)}"
    for endpoint, route in ROUTES.items():
        answers = route.answers.split()
        assert len(answers) == len(ROLES), f"{endpoint}: one answer per role, in the order of ROLES"
        for cell in answers:
            for one in cell.split("|"):
                assert one in WORDS or one.isdigit() or one.startswith("→/"), f"{endpoint}: what is {one!r}?"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(matrix, role):
    web, wrong = matrix.browsers[role], []
    for rule in rules_of(matrix):
        route = ROUTES[rule.endpoint]
        for mine, expected in cells(route, role):
            args = route.args(matrix, role, mine)
            if args is None:
                if "|" in route.cells(role):
                    wrong.append(f"{rule.endpoint}: the table has two answers for {role}, who has no "
                                 f"{'own' if mine else 'other'} object of this kind")
                continue
            address = url(matrix, rule.endpoint, args)
            whose = "" if isinstance(route.args, Fixed) else " (own)" if mine else " (someone else's)"
            asked = []
            if "GET" in rule.methods:
                asked.append(("GET", answer(web.get(address)), expected))
            else:
                if gets_here(matrix, address):
                    asked.append(("GET", answer(web.get(address)), "405"))
                if expected not in REFUSALS | {"ok"}:
                    wrong.append(f"{rule.endpoint}: a POST-only route is either refused or 'ok'")
            if "POST" in rule.methods and expected in REFUSALS:
                response = web.client.post(address, data={"csrf_token": matrix.tokens[role]})
                asked.append(("POST", answer(response), expected))
            wrong += [f"{rule.endpoint}: {method} {address} as {role}{whose}: expected {want}, got {got}"
                      for method, got, want in asked if got != want]
    assert not wrong, "\n".join(wrong)


# POSTs that carry no CSRF token by design, and why: each is made by something that holds no session.
WITHOUT_CSRF = {
    # RFC 8058: a mail program's one-click unsubscribe POSTs with no cookie; the signed link is the key
    # (tests/web/test_email_choices.py).
    "accounts.unsubscribe",
}


def test_every_post_refuses_a_missing_or_foreign_csrf_token(matrix):
    wrong = []
    for rule in rules_of(matrix):
        if "POST" not in rule.methods or rule.endpoint in WITHOUT_CSRF:
            continue
        route = ROUTES[rule.endpoint]
        for role in ROLES:
            args = route.args(matrix, role, True)
            args = route.args(matrix, role, False) if args is None else args
            if args is None:
                continue
            address = url(matrix, rule.endpoint, args)
            foreign = matrix.tokens["mentee" if role == "anonymous" else "anonymous"]
            for how, extra in (("no token", {}), ("another browser's token", {"data": {"csrf_token": foreign}}),
                               ("another browser's token in the htmx header",
                                {"headers": {"HX-Request": "true", "X-CSRFToken": foreign}})):
                response = matrix.browsers[role].client.post(address, **extra)
                if response.status_code != 400 or "Your form expired" not in text(response):
                    wrong.append(f"{rule.endpoint}: POST {address} as {role} with {how}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


PURPOSES = (CONFIRM, RESET, INVITE, CHANGE_EMAIL, DECISION, SURVEY, unsubscribe_purpose("news"),
            unsubscribe_purpose("weekly"), feed.PURPOSE)


def test_a_signed_link_made_for_something_else_is_refused(matrix):
    """A real link from one email pasted into another kind of link, or a link altered, opens nothing."""
    jo = matrix.pick("person", "mentee", True)
    wrong = []
    for rule in rules_of(matrix):
        route = ROUTES[rule.endpoint]
        if not isinstance(route.args, Link):
            continue
        elsewhere = PURPOSES[(PURPOSES.index(route.args.purpose) + 1) % len(PURPOSES)]
        genuine = route.args(matrix, "mentee", False)["token"]
        for how, token in (("a link for something else", matrix.token(elsewhere, jo, "person")),
                           ("an altered link", genuine[:-3] + ("abc" if genuine[-3:] != "abc" else "xyz"))):
            address = url(matrix, rule.endpoint, {**route.args.fixed, "token": token})
            for role in ("anonymous", "mentee"):
                asked = [("GET", matrix.browsers[role].get(address))]
                if "POST" in rule.methods:
                    asked.append(("POST", matrix.browsers[role].client.post(
                        address, data={"csrf_token": matrix.tokens[role]})))
                wrong += [f"{rule.endpoint} with {how}, {method} as {role}: {response.status_code}"
                          for method, response in asked if response.status_code != 404]
    assert not wrong, "\n".join(wrong)


# How many times a page asks the database ----------------------------------------------------

QUERY_BUDGET = 5
# Pages over the budget when it was set (issue 16), each held to the most it asked then, as any role, on
# either database: a ratchet, so none asks more, and a row comes out when its page is brought within budget
# (the test fails on a row no longer needed). The login's query counts in every signed-in page's five.
OVER_BUDGET = {
    "directory.directory": 8, "directory.profile": 11, "home.home": 6, "mentoring.mine": 8,
    "mentoring.relationship": 10, "mentoring.calendar_feed": 7, "privacy.data": 18, "privacy.data_download": 16,
    "admin.person": 10, "admin.person_data": 15, "admin.inbox_item": 6,
    "admin.reports_page": 8, "admin.reports_csv": 8,
}


def test_no_page_asks_the_database_more_than_five_times(matrix):
    """Every GET route, as each role, about their own object and someone else's: SQL statements
    counted by Peewee's own hook on the statements it runs (query_hooks). Each page is counted as the
    first to ask: the directory's answers, kept for ten seconds, and the dashboard's, kept for thirty, are
    past their time."""
    over, most, later = [], {}, count(1)
    gets = [rule for rule in rules_of(matrix) if "GET" in rule.methods]
    for role in ROLES:
        web = matrix.browsers[role]
        for rule in gets:
            route = ROUTES[rule.endpoint]
            for mine in (True, False):
                args = route.args(matrix, role, mine)
                if args is None:
                    continue
                address = url(matrix, rule.endpoint, args)
                seen = []
                db.database.obj.query_hooks.append(seen.append)
                try:
                    with clock.travel(timedelta(seconds=dashboard.REUSE_SECONDS * next(later))):
                        web.get(address)
                finally:
                    db.database.obj.query_hooks.remove(seen.append)
                most[rule.endpoint] = max(most.get(rule.endpoint, 0), len(seen))
                if len(seen) > OVER_BUDGET.get(rule.endpoint, QUERY_BUDGET):
                    over.append(f"{rule.endpoint}: GET {address} as {role}: {len(seen)} queries\n    "
                                + "\n    ".join(" ".join(event.sql.split())[:150] for event in seen))
    assert not over, f"Pages asking the database more than {QUERY_BUDGET} times:\n" + "\n".join(over)
    within = sorted(endpoint for endpoint in OVER_BUDGET if most.get(endpoint, 0) <= QUERY_BUDGET)
    assert not within, f"Within the budget now, so take them out of OVER_BUDGET: {', '.join(within)}"
