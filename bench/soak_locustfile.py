"""The people of the soak test (bench/soak.py), for locust. Not run on its own: soak.py starts locust with
SOAK_PEOPLE (a JSON file of who is who on the national data), SOAK_HOSTS (the two web servers) and
SOAK_DATABASE_URL (where a mentor's emails are read: the outbox rows the workers have delivered).

300 people in these proportions:
- 170 mentees browsing: the directory with filters, a second page, mentors' profiles, their account;
- 50 mentees asking a mentor (plain asks: backups are not built yet), now and then taking a request back;
- 36 mentors answering from the link in their email, accepting or declining;
- 40 matched pairs planning a session (the mentee suggests a time, the mentor confirms it);
- 4 admins on the dashboard and the inbox.
"""
import json
import os
import random
import re
from itertools import count

import psycopg2
from locust import HttpUser, between, task
from locust.clients import HttpSession

PEOPLE = json.loads(open(os.environ["SOAK_PEOPLE"]).read()) if os.environ.get("SOAK_PEOPLE") else {}
HOSTS = os.environ.get("SOAK_HOSTS", "").split()
PASSWORD = os.environ.get("SOAK_PASSWORD", "")
FILTERS = ["", "?school=Medicine", "?day=mon&platform=teams", "?school=Surgery&mode=online",
           "?school=Medicine&day=mon&platform=teams", "?gender=Woman&day=sat", "?q=leeds", "?location=york&day=wed",
           "?school=Paediatrics&page=2", "?grade=ST4"]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_numbers = count()


def next_host() -> str:
    return HOSTS[next(_numbers) % len(HOSTS)]


def share(name: str, user) -> list:
    """This user's own slice of a list of people (users of a class take turns)."""
    everyone = PEOPLE.get(name, [])
    n, of = user.number, user.of
    return everyone[n::of] if everyone else []


class Person:
    """One login, with its own cookies. The portal's cookies are Secure (__Host-) in production, and
    the soak talks plain HTTP on loopback, so they are sent anyway: as a browser would over HTTPS."""

    def __init__(self, user, host: str):
        self.session = HttpSession(base_url=host, request_event=user.environment.events.request, user=user)
        self.email = ""

    def _sendable(self):
        # requests copies the cookies into a jar of its own for each request, whose policy keeps Secure
        # cookies off plain HTTP: marking them not Secure here is what reaches that copy.
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str, name: str | None = None):
        """A page: an error status, or being sent to the login page when signed in, is a failure."""
        self._sendable()
        with self.session.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"answered {response.status_code}")
            elif response.status_code in (301, 302, 303) and "/login" in response.headers.get("Location", "") \
                    and not path.startswith("/login"):
                response.failure("sent to the login page")
            else:
                response.success()
        if response.status_code == 302 and "/login" in response.headers.get("Location", "") and self.email \
                and not path.startswith("/login"):
            self.log_in(self.email)  # as a person would, once their login had failed
        return response

    def post(self, path: str, data: dict, name: str, **kwargs):
        self._sendable()
        return self.session.post(path, data=data, name=name, allow_redirects=False, **kwargs)

    def token_of(self, response) -> str:
        found = TOKEN.search(response.text or "")
        return found.group(1) if found else ""

    def log_in(self, email: str) -> bool:
        self.email = email
        page = self.get("/login")
        response = self.post("/login", {"csrf_token": self.token_of(page), "email": email, "password": PASSWORD},
                             name="/login")
        return response.status_code == 302


class Numbered(HttpUser):
    abstract = True
    host = "http://127.0.0.1"
    _counters: dict = {}

    def on_start(self):
        kind = type(self)
        self.number = Numbered._counters.get(kind, 0)
        Numbered._counters[kind] = self.number + 1
        self.of = kind.fixed_count
        self.server = next_host()


class MenteeBrowsing(Numbered):
    """Looks through the directory on a phone: filters, a second page, a profile or two, their account."""
    fixed_count = 170
    wait_time = between(3, 9)

    def on_start(self):
        super().on_start()
        mine = share("browsers", self)
        self.me = Person(self, self.server)
        self.me.log_in(random.choice(mine))
        self.mentors = PEOPLE["mentor_ids"]

    @task(6)
    def directory(self):
        self.me.get("/mentors/" + random.choice(FILTERS), name="/mentors/?filters")

    @task(3)
    def profile(self):
        self.me.get(f"/mentors/{random.choice(self.mentors)}", name="/mentors/<id>")

    @task(1)
    def account(self):
        self.me.get("/account/", name="/account/")

    @task(1)
    def mine(self):
        self.me.get("/mentoring", name="/mentoring")


class MenteeAsking(Numbered):
    """Asks one of the mentors who answer their email; takes a waiting request back now and then."""
    fixed_count = 50
    wait_time = between(5, 15)

    def on_start(self):
        super().on_start()
        self.mentees = share("askers", self)
        random.shuffle(self.mentees)
        self.pool = PEOPLE["answering_mentor_ids"]

    @task
    def ask(self):
        if not self.mentees:
            return
        email = self.mentees.pop()
        self.mentees.insert(0, email)
        me = Person(self, self.server)
        if not me.log_in(email):
            return
        me.get("/mentors/?day=mon", name="/mentors/?filters")
        mine = me.get("/mentoring", name="/mentoring")
        waiting = re.search(r'action="(/requests/(\d+)/cancel)"', mine.text or "")
        if waiting:
            if random.random() < 0.3:
                me.post(waiting.group(1), {"csrf_token": me.token_of(mine)}, name="/requests/<id>/cancel")
            return
        mentor = random.choice(self.pool)
        page = me.get(f"/mentors/{mentor}", name="/mentors/<id>")
        if f'action="/mentors/{mentor}/request"' not in (page.text or ""):
            return  # full, or they cannot ask just now: the page says why
        with me.post(f"/mentors/{mentor}/request", {"csrf_token": me.token_of(page),
                                                     "note": "I would like to talk about coming back to work."},
                     name="/mentors/<id>/request", catch_response=True) as response:
            # Someone else took the last place first: the form says so, which is the portal working.
            if response.status_code == 302 or (response.status_code == 400 and "place" in response.text):
                response.success()
            else:
                response.failure(f"asking answered {response.status_code}")


class MentorAnswering(Numbered):
    """Reads their email (the outbox rows the workers have delivered to them) and answers from the link."""
    fixed_count = 36
    wait_time = between(10, 30)

    def on_start(self):
        super().on_start()
        self.mentors = share("answering_mentors", self)  # [email, ...]
        self.seen: set[int] = set()
        self.database = psycopg2.connect(os.environ["SOAK_DATABASE_URL"])
        self.database.autocommit = True

    def on_stop(self):
        self.database.close()

    @task
    def answer(self):
        if not self.mentors:
            return
        with self.database.cursor() as cursor:
            cursor.execute("SELECT id, text_body FROM email WHERE to_address = ANY(%s) AND status = 'sent' "
                           "AND template IN ('request_new', 'request_reminder') ORDER BY id", (self.mentors,))
            emails = [(i, body) for i, body in cursor.fetchall() if i not in self.seen]
        for email_id, body in emails[:3]:
            self.seen.add(email_id)
            found = re.search(r"https?://[^/\s]+(/respond/[^\s)>]+)", body)
            if not found:
                continue
            link = found.group(1)
            me = Person(self, self.server)  # no password: the link is enough
            page = me.get(link, name="/respond/<token>")
            if 'name="action"' not in (page.text or "") and "accept" not in (page.text or ""):
                continue  # answered already, taken back, or run out of time: the page says so
            action = "accept" if random.random() < 0.4 else "decline"
            with me.post(link, {"csrf_token": me.token_of(page), "action": action, "message": "Thank you for asking."},
                         name="/respond/<token>", catch_response=True) as response:
                # 409: the mentee took it back meanwhile, which the page explains.
                if response.status_code in (200, 409):
                    response.success()
                else:
                    response.failure(f"answering answered {response.status_code}")


class PairPlanning(Numbered):
    """A matched mentee suggests a time; their mentor confirms it."""
    fixed_count = 40
    wait_time = between(10, 30)

    def on_start(self):
        super().on_start()
        self.pairs = share("pairs", self)  # [[relationship id, mentee email, mentor email], ...]

    @task
    def plan(self):
        if not self.pairs:
            return
        relationship_id, mentee, mentor = self.pairs.pop()
        them = Person(self, self.server)
        if not them.log_in(mentee):
            return
        page = them.get(f"/mentoring/{relationship_id}", name="/mentoring/<id>")
        if 'name="date"' not in (page.text or ""):
            return  # the allowance is planned already
        day = random.randint(10, 120)
        from datetime import date, timedelta
        when = date.today() + timedelta(days=day)
        fields = {"csrf_token": them.token_of(page), "date": when.isoformat(),
                  "start": f"{random.randint(7, 20):02d}:{random.choice(['00', '15', '30', '45'])}",
                  "length": "60", "mode": "video", "platform": "teams", "joining_link": "", "location": ""}
        with them.post(f"/mentoring/{relationship_id}/sessions", fields, name="/mentoring/<id>/sessions",
                       catch_response=True) as response:
            if response.status_code == 302:
                response.success()
            elif response.status_code == 400 and "overlaps" in response.text:
                response.success()  # a time already taken: the form says so
                return
            else:
                response.failure(f"planning answered {response.status_code}")
                return
        mentor_side = Person(self, self.server)
        if not mentor_side.log_in(mentor):
            return
        page = mentor_side.get(f"/mentoring/{relationship_id}", name="/mentoring/<id>")
        found = re.findall(r'action="(/sessions/(\d+)/confirm)"', page.text or "")
        if found:
            mentor_side.post(found[-1][0], {"csrf_token": mentor_side.token_of(page)}, name="/sessions/<id>/confirm")


class AdminDashboard(Numbered):
    """The team: the dashboard, now and then the inbox."""
    fixed_count = 4
    wait_time = between(5, 15)

    def on_start(self):
        super().on_start()
        self.me = Person(self, self.server)
        self.me.log_in(PEOPLE["admins"][self.number % len(PEOPLE["admins"])])

    @task(4)
    def dashboard(self):
        self.me.get("/admin/", name="/admin/")

    @task(1)
    def inbox(self):
        self.me.get("/admin/inbox", name="/admin/inbox")
