"""National data on PostgreSQL: 10,000 mentors, 200,000 mentees, 2,000,000 requests, 60,000
relationships and 300,000 sessions, written with COPY (rows made in Python, streamed to the server
as they are made). Target: under 5 minutes. `python -m bench.national` loads it, prints the times and
the checks, and keeps it as a template database that the routes, dashboard, sweeps and soak benchmarks
clone (`national_database()`, which loads it first when there is no recent copy).

The scheme as loaded is a steady state five years on: every sweep has done its work, so a sweep run
at loading time finds nothing due (and nothing comes due for SETTLED hours, so a saved copy can be
reused that long). Times are relative to the moment of loading.

- 4 admins; 10,000 mentors, capacity 1 to 4 (25,000 places), one in 50 off the register, one in 40
  paused, one in 45 on leave, one in 100 invited and not yet set up; each with 4 times of the week,
  2 platforms and a location (about 100,000 directory options).
- 200,000 mentees who signed up over five years, the newest 20,000 over the past six months:
  - 60,000 matched once: 54,000 of the older ones, mentoring ended (48,600 completed with 4 held
    sessions and one cancelled, each invited to the survey, a third answering; 5,400 withdrawn), and
    6,000 of the newest with mentoring under way (held, replaced, cancelled and missed sessions,
    and one still to come, proposed or confirmed);
  - 12,000 of the newest waiting for a mentor's answer, each holding a place;
  - 38,000 never asked anyone, and 90,000 asked but were never matched: all deactivated once their
    three months ran out, those still inside them warned on time.
- 2,000,000 requests, 12 or 13 for each of the 162,000 mentees who asked: the last one accepted,
  waiting or finished, the ones before declined, expired, cancelled or closed; words purged after
  90 days.
- 2,000 inbox items, 200 of them open. An empty outbox.

Every mentor's places_taken is their active matches plus their waiting requests; bench.invariants
checks it all after loading.
"""
import contextlib
import hashlib
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import psycopg2
from dateutil.relativedelta import relativedelta

from bench import invariants
from bench.harness import ROOT, password_hash, portal_app

ADMINS, MENTORS, MENTEES, REQUESTS, RELATIONSHIPS, SESSIONS = 4, 10_000, 200_000, 2_000_000, 60_000, 300_000
RECENT = 20_000          # the newest mentees, who signed up over the past RECENT_DAYS
RECENT_DAYS = 182
ACTIVE, PENDING = 6_000, 12_000
SPAN = timedelta(days=5 * 365)
SETTLED = timedelta(hours=6)  # nothing comes due this soon after loading
DEACTIVATE_MONTHS, WARNING_DAYS, NUDGE_MONTHS, PURGE_DAYS, SURVEY_REMINDER_DAYS = 3, (14, 2), 5, 90, 7
DOMAIN = "national.example"
SURNAMES = ["Shah", "Lewis", "Adeyemi", "O'Connell", "Nowak", "Begum", "Jones", "Khan", "Murphy", "Okafor",
            "Patel", "Smith", "Williams", "Brown", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker"]
FIRST = ["Priya", "Tom", "Ada", "Sam", "Maya", "Ravi", "Ellen", "Joe", "Zara", "Owen", "Leah", "Ben", "Isla",
         "Dan", "Nina", "Kwame", "Ruth", "Ali", "Grace", "Huw"]
PLACES = ["Leeds", "York", "Sheffield", "Hull", "Bradford", "Wakefield", "Doncaster", "Harrogate", "Scarborough",
          "Huddersfield"]
NULL = "\\N"


def admin_email(n: int) -> str:
    return f"admin{n}@{DOMAIN}"


def mentor_email(m: int) -> str:
    return f"mentor{m}@{DOMAIN}"


def mentee_email(i: int) -> str:
    return f"mentee{i}@{DOMAIN}"


def mentor_user(m: int) -> int:
    return ADMINS + m


def mentee_user(i: int) -> int:
    return ADMINS + MENTORS + i


def ts(moment: datetime | None) -> str:
    return NULL if moment is None else moment.isoformat(" ")


def day(moment: date | None) -> str:
    return NULL if moment is None else moment.isoformat()


def flag(value: bool) -> str:
    return "t" if value else "f"


class Mentor:
    """What the generator decides about mentor m (1..MENTORS)."""

    def __init__(self, m: int):
        self.invited = m % 100 == 3
        self.unlisted = m % 50 == 0
        self.paused = m % 40 == 1
        self.on_leave = m % 45 == 2
        self.capacity = 1 + (m * 7) % 4
        self.available = not (self.invited or self.unlisted or self.paused or self.on_leave)


class Lines:
    """A file for psycopg2's copy_expert whose read() takes rows from a generator as COPY asks for them."""

    def __init__(self, rows):
        self.rows = iter(rows)
        self.count = 0

    def read(self, size: int = -1) -> str:
        chunks, total = [], 0
        for line in self.rows:
            chunks.append(line)
            total += len(line)
            self.count += 1
            if total >= size > 0:
                break
        return "".join(chunks)

    readline = read


class Loader:
    def __init__(self, cursor, now: datetime):
        self.cursor = cursor
        self.now = now
        self.today = now.date()
        self.rng = random.Random(16)
        self.timings: list[tuple[str, int, float]] = []
        self.mentors = {m: Mentor(m) for m in range(1, MENTORS + 1)}
        self.relationships: list[tuple] = []  # (id, request_id, mentee i, mentor m, kind, opened_at)

    def copy(self, table: str, columns: str, rows) -> None:
        started = time.perf_counter()
        lines = Lines(rows)
        self.cursor.copy_expert(f'COPY "{table}" ({columns}) FROM STDIN', lines, size=1 << 20)
        self.timings.append((table, lines.count, time.perf_counter() - started))

    # The people ---------------------------------------------------------------------------

    def mentee_created(self, i: int) -> datetime:
        older = MENTEES - RECENT
        if i <= older:
            return self.now - SPAN + (i - 1) * ((SPAN - timedelta(days=RECENT_DAYS)) / older)
        return self.now - timedelta(days=RECENT_DAYS) + (i - older - 1) * ((timedelta(days=RECENT_DAYS)
                                                                            - timedelta(hours=1)) / RECENT)

    @staticmethod
    def kind_of(i: int) -> str:
        r = i % 100
        if i <= MENTEES - RECENT:
            return "matched" if r < 30 else "never" if r < 50 else "unmatched"
        return "active" if r < 30 else "pending" if r < 90 else "never"

    def users(self, hashed: str):
        now = self.now
        for n in range(1, ADMINS + 1):
            created = now - SPAN - timedelta(days=60)
            yield (f"{n}\t{admin_email(n)}\tBench Admin {n}\t{hashed}\tt\tt\t{ts(created)}\ta{n}\t{ts(created)}\t"
                   f"{NULL}\n")
        for m in range(1, MENTORS + 1):
            created = now - SPAN - timedelta(days=30) + m * timedelta(hours=3)
            invited = self.mentors[m].invited
            name = f"{FIRST[m % 20]} {SURNAMES[(m // 20) % 20]}"
            yield (f"{mentor_user(m)}\t{mentor_email(m)}\t{name}\t{NULL if invited else hashed}\tt\tf\t"
                   f"{NULL if invited else ts(created)}\to{m}\t{ts(created)}\t{NULL}\n")
        for i in range(1, MENTEES + 1):
            created = self.mentee_created(i)
            name = f"{FIRST[(i * 7) % 20]} {SURNAMES[(i * 3) % 20]}"
            yield (f"{mentee_user(i)}\t{mentee_email(i)}\t{name}\t{hashed}\tt\tf\t{ts(created)}\te{i}\t{ts(created)}\t"
                   f"{NULL}\n")

    def mentor_profiles(self, places_taken: dict[int, int]):
        from bench import portal_calls
        reference = portal_calls.reference()
        rng, now = self.rng, self.now
        grades = reference.GRADES[:13]
        platforms = sorted(reference.PLATFORMS)
        self.options: list[str] = []
        option_id = 0
        for m in range(1, MENTORS + 1):
            mentor = self.mentors[m]
            name = f"{FIRST[m % 20]} {SURNAMES[(m // 20) % 20]}"
            values = {
                "grade": rng.choice(grades), "school": rng.choice(reference.SCHOOLS),
                "trust": rng.choice(reference.TRUSTS), "gender": rng.choice(reference.GENDERS), "specialty": "",
                "why_mentor": "I would like to help someone through what I went through.",
                "experience_rtt": "Phased return after leave.", "experience_away": "Parental leave.",
                "interests": rng.choice(["Running", "Baking", "Choir", "Cycling", "Reading"]),
                "meets_online": True, "meets_in_person": rng.random() < 0.5,
                "locations": rng.choice(PLACES), "slots": rng.sample(reference.SLOTS, 4),
                "platforms": rng.sample(platforms, 2),
            }
            for kind, value in sorted(portal_calls.option_rows(values)):
                option_id += 1
                self.options.append(f"{option_id}\t{m}\t{kind}\t{value}\n")
            created = now - SPAN - timedelta(days=30) + m * timedelta(hours=3)
            leave_from = self.today - timedelta(days=5) if mentor.on_leave else None
            leave_until = self.today + timedelta(days=30) if mentor.on_leave else None
            course = (created - timedelta(days=60)).date()
            yield "\t".join([
                str(m), str(mentor_user(m)), values["grade"], values["school"], "", values["trust"], values["gender"],
                "", values["experience_rtt"], values["experience_away"], values["why_mentor"], "",
                flag(values["meets_in_person"]), flag(values["meets_online"]), values["locations"],
                values["interests"], f"Bleep {1000 + m}", NULL, str(mentor.capacity), str(places_taken.get(m, 0)),
                flag(not mentor.unlisted), flag(mentor.paused), day(leave_from), day(leave_until), day(course),
                day(course + timedelta(days=30)), day(self.today - timedelta(days=m % 300)),
                portal_calls.search_text_for(name, values).replace("\t", " "), "1", ts(created), ts(created), NULL,
            ]) + "\n"

    def mentee_state(self, i: int, kind: str, created: datetime) -> tuple[datetime, datetime | None, int]:
        """(period_started_at, deactivated_at, deactivation_warnings) for a mentee not matched."""
        if kind == "pending":
            # Time spent waiting for answers does not count: their period has been moved on.
            return max(created, self.now - timedelta(days=40)), None, 0
        period = created if kind == "never" else created + timedelta(days=10)
        for _ in range(3):
            due = period + relativedelta(months=DEACTIVATE_MONTHS)
            times = [due - timedelta(days=d) for d in WARNING_DAYS] + [due]
            if not any(self.now < t <= self.now + SETTLED for t in times):
                break
            period -= SETTLED  # comes due soon after loading: let it be due already
        if due <= self.now:
            return period, due, len(WARNING_DAYS)
        return period, None, sum(t <= self.now for t in times[:-1])

    # Requests, relationships, sessions ----------------------------------------------------

    def assign_places(self) -> tuple[list[int], list[int]]:
        """Mentors for the active matches, then for the waiting requests, within every mentor's capacity."""
        rng = random.Random(61)
        places = [m for m, mentor in self.mentors.items() if not mentor.invited for _ in range(mentor.capacity)]
        rng.shuffle(places)
        active = places[:ACTIVE]
        left: dict[int, int] = {}
        for m in places[ACTIVE:]:
            left[m] = left.get(m, 0) + 1
        spare = [m for m, count in left.items() if self.mentors[m].available for _ in range(count)]
        rng.shuffle(spare)
        assert len(spare) >= PENDING, f"only {len(spare)} places for {PENDING} waiting requests"
        return active, spare[:PENDING]

    def requests(self, active_mentors: list[int], pending_mentors: list[int], mentee_rows: list):
        """Every request, mentee by mentee; fills self.relationships and mentee_rows as it goes."""
        now = self.now
        asking = sum(self.kind_of(i) != "never" for i in range(1, MENTEES + 1))
        extra = REQUESTS - 12 * asking  # this many mentees ask 13 times, the rest 12
        assert 0 <= extra <= asking, extra
        purge_before = now - timedelta(days=PURGE_DAYS) + SETTLED  # so none comes due for the purge soon
        cycle = [("declined", "mentor"), ("expired", "system"), ("cancelled", "mentee"), ("declined", "mentor"),
                 ("closed", "system")]
        request_id = position = matched_n = 0
        active_left, pending_left = list(active_mentors), list(pending_mentors)
        relationship_id = 0

        def row(mentee: int, mentor: int, status: str, by: str | None, made: datetime, decided: datetime | None,
                deadline: datetime, reminders: int = 1, next_reminder: datetime | None = None,
                note: str | None = None) -> str:
            nonlocal request_id
            request_id += 1
            if note is None:
                note = "" if decided is not None and decided < purge_before else "A note"
            by_user = mentor_user(mentor) if by == "mentor" else mentee_user(mentee) if by == "mentee" else None
            return (f"{request_id}\t{mentee}\t{mentor}\t{note}\t{status}\t{ts(made)}\t{ts(deadline)}\t{reminders}\t"
                    f"{ts(next_reminder)}\t{ts(decided)}\t{by or NULL}\t{by_user or NULL}\t\t1\t\t{NULL}\t\t{NULL}\n")

        def set_up(m: int) -> int:
            return m % MENTORS + 1 if self.mentors[m].invited else m

        for i in range(1, MENTEES + 1):
            kind = self.kind_of(i)
            created = self.mentee_created(i)
            if kind == "never":
                period, deactivated, warnings = self.mentee_state(i, kind, created)
                mentee_rows.append((i, created, period, None, None, deactivated, warnings))
                continue
            count = 13 if position < extra else 12
            position += 1
            start = created + timedelta(hours=1)
            opened = None
            if kind == "matched":
                opened = created + timedelta(days=1 + i % 60, hours=6)
            elif kind == "active":
                opened = created + (now - created) / 10
                if now < opened + relativedelta(months=NUDGE_MONTHS) <= now + SETTLED:
                    opened -= SETTLED
            if opened is not None:
                last = opened - min(timedelta(days=2), (opened - start) / 2)
            elif kind == "pending":
                last = now - timedelta(hours=1 + i % 120)
                if last <= start:
                    last = start + (now - start) / 2
            else:
                last = created + timedelta(days=80)
            gap = (last - start) / (count - 1)
            for k in range(count - 1):
                made = start + k * gap
                status, by = cycle[(i + k) % 5]
                yield row(i, set_up(1 + (i * 37 + k * 101) % MENTORS), status, by, made,
                          made + min(gap * 0.8, timedelta(days=5)), made + timedelta(days=7))
            if kind in ("matched", "active"):
                mentor = active_left.pop() if kind == "active" else set_up(1 + (i * 13) % MENTORS)
                yield row(i, mentor, "accepted", "mentor", last, opened, last + timedelta(days=7))
                relationship_id += 1
                if kind == "active":
                    what = "active"
                else:
                    what = "withdrawn" if matched_n % 10 == 9 else "completed"
                    matched_n += 1
                self.relationships.append((relationship_id, request_id, i, mentor, what, opened))
                mentee_rows.append((i, created, created, opened, start, None, 0))
            elif kind == "pending":
                deadline = last + timedelta(days=7)
                reminder = deadline - timedelta(days=2)
                reminders = 0
                if reminder <= now + SETTLED:
                    reminder, reminders = deadline - timedelta(hours=3), 1
                yield row(i, pending_left.pop(), "pending", None, last, None, deadline, reminders, reminder,
                          note="I would like to talk about coming back after a year away.")
                period, deactivated, warnings = self.mentee_state(i, kind, created)
                mentee_rows.append((i, created, period, None, start, None, 0))
            else:
                status, by = cycle[(i + count - 1) % 5]
                yield row(i, set_up(1 + (i * 37 + 7) % MENTORS), status, by, last, last + timedelta(days=3),
                          last + timedelta(days=7))
                period, deactivated, warnings = self.mentee_state(i, kind, created)
                mentee_rows.append((i, created, period, None, start, deactivated, warnings))
        assert request_id == REQUESTS, request_id
        assert relationship_id == RELATIONSHIPS, relationship_id
        assert not active_left and not pending_left

    def mentee_profiles(self, mentee_rows: list):
        from bench import portal_calls
        reference = portal_calls.reference()
        grades = ["CT1", "CT2", "ST3", "ST4", "ST6"]
        for i, created, period, matched, first_asked, deactivated, warnings in mentee_rows:
            yield "\t".join([
                str(i), str(mentee_user(i)), grades[i % 5], reference.SCHOOLS[i % len(reference.SCHOOLS)], "",
                reference.TRUSTS[i % len(reference.TRUSTS)], "out_now" if i % 4 else "planning",
                "parental_leave" if i % 3 else "ill_health", day(created.date() + timedelta(days=365)), "1",
                ts(created), ts(period), ts(matched), ts(first_asked), "4", str(warnings), ts(deactivated), ts(created),
                "[]", "", "[]", "",
            ]) + "\n"

    def relationship_rows(self):
        now = self.now
        active_n = 0
        self.sessions: list[str] = []
        self.invites: list[str] = []
        self.responses: list[str] = []
        session_id = 0

        def session(relationship_id: int, starts: datetime, status: str, n: int, closed: datetime | None = None):
            nonlocal session_id
            session_id += 1
            proposed = starts - timedelta(days=7)
            confirmed = proposed + timedelta(hours=1) if status in ("held", "not_held", "confirmed") else None
            happened = status in ("held", "not_held")
            cancelled = (closed or starts - timedelta(days=2)) if status == "cancelled" else None
            self.sessions.append("\t".join([
                str(session_id), str(relationship_id), ts(starts), "60", "video", "teams", "", "", status,
                "mentee" if n % 2 else "mentor", ts(proposed), ts(confirmed), ts(cancelled),
                ("system" if closed else "mentee") if cancelled else NULL, "mentee" if happened else NULL,
                f"national-{session_id}@peer-mentoring", "0", ts(starts - timedelta(days=1)) if happened else NULL,
                ts(starts + timedelta(minutes=60)) if happened else NULL]) + "\n")
            return starts

        for relationship_id, request_id, i, m, what, opened in self.relationships:
            at = opened.replace(hour=8 + relationship_id % 12, minute=15 * (relationship_id % 4), second=0,
                                microsecond=0)
            nudged = contracting = closed = None
            status, reason = "active", ""
            if what == "completed":
                closed = min(opened + timedelta(days=120), now - timedelta(days=SURVEY_REMINDER_DAYS + 1))
                status, reason = "closed", "allowance used"
                contracting = session(relationship_id, at + timedelta(days=14), "held", 0)
                for k in (2, 3, 4):
                    session(relationship_id, at + timedelta(days=14 * k), "held", k)
                session(relationship_id, at + timedelta(days=21), "cancelled", 5)
                sent = closed + timedelta(minutes=1)
                answered = relationship_id % 3 == 0
                self.invites.append(f"{relationship_id}\t{relationship_id}\t{ts(closed)}\t{ts(sent)}\t"
                                    f"{NULL if answered else ts(sent + timedelta(days=SURVEY_REMINDER_DAYS))}\t"
                                    f"{flag(answered)}\n")
                if answered:
                    key = hashlib.md5(f"response-{relationship_id}".encode()).hexdigest()
                    cohort = f"{closed.year} Q{(closed.month - 1) // 3 + 1}"
                    self.responses.append(f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}\t{cohort}\t"
                                          "4+\t{}\n")
            elif what == "withdrawn":
                closed = opened + timedelta(days=60)
                status, reason = "withdrawn", "withdrawn"
                contracting = session(relationship_id, at + timedelta(days=14), "held", 0)
                session(relationship_id, at + timedelta(days=28), "held", 1)
                session(relationship_id, at + timedelta(days=42), "not_held", 2)
                session(relationship_id, at + timedelta(days=49), "cancelled", 3, closed=closed)
            else:
                active_n += 1
                past = ["held", "held", "replaced", "cancelled", "not_held"] if active_n <= 5_400 else [
                    "held", "replaced", "cancelled", "not_held"]
                room = (now - timedelta(hours=2) - opened) / (len(past) + 1)
                for k, kind in enumerate(past):
                    starts = session(relationship_id, opened + (k + 1) * room, kind, k)
                    if kind == "held" and contracting is None:
                        contracting = starts
                to_come = (now + timedelta(days=2 + relationship_id % 20)).replace(
                    hour=8 + relationship_id % 12, minute=15 * (relationship_id % 4), second=0, microsecond=0)
                session(relationship_id, to_come, "confirmed" if relationship_id % 2 else "proposed", 9)
                due = opened + relativedelta(months=NUDGE_MONTHS)
                nudged = due if due <= now else None
            yield (f"{relationship_id}\t{request_id}\t{i}\t{m}\t{status}\t{ts(opened)}\t{ts(closed)}\t{reason}\t"
                   f"{ts(contracting)}\t{NULL}\t{ts(nudged)}\n")
        assert session_id == SESSIONS, session_id

    def inbox(self):
        kinds = ["concern", "interest", "reactivation", "withdrawal", "cancellation", "more_sessions"]
        for g in range(1, 2_001):
            made = self.now - g * timedelta(hours=3)
            is_open = g <= 200
            i = g * 97
            yield (f"{g}\t{kinds[g % 6]}\t{'open' if is_open else 'closed'}\t{mentee_user(i)}\tMentee {i}\t"
                   f"{mentee_email(i)}\t{{}}\tA message\t{ts(made)}\t{NULL}\t"
                   f"{NULL if is_open else ts(made + timedelta(days=1))}\t{NULL if is_open else 1}\n")


USER = ("id, email, name, password_hash, is_active, is_admin, email_confirmed_at, session_nonce, created_at, "
        "last_login_at")
MENTOR_PROFILE = ("id, user_id, grade, school, specialty, trust, gender, pronouns, experience_rtt, experience_away, "
                  "why_mentor, availability_notes, meets_in_person, meets_online, locations, interests, "
                  "contact_details, photo, capacity, places_taken, listed, paused, leave_from, leave_until, "
                  "course_part1_on, course_part2_on, last_supervision_on, search_text, profile_version, created_at, "
                  "updated_at, paused_until")
MENTEE_PROFILE = ("id, user_id, grade, school, specialty, trust, eligibility, reason, expected_return, "
                  "agreement_version, agreement_accepted_at, period_started_at, matched_at, first_requested_at, "
                  "sessions_allowed, deactivation_warnings, deactivated_at, created_at, away_tags, meet_mode, usual_days, "
                  "can_reach")
MENTOR_REQUEST = ("id, mentee_id, mentor_id, note, status, created_at, deadline, reminders_sent, next_reminder_at, "
                  "decided_at, decided_by, decided_by_user_id, decline_message, choice, question, question_at, reply, reply_at")
RELATIONSHIP = ("id, request_id, mentee_id, mentor_id, status, opened_at, closed_at, close_reason, "
                "contracting_done_at, close_asked_by, window_nudged_at")
SESSION = ("id, relationship_id, starts_at, length_minutes, mode, platform, joining_link, location, status, proposed_by, "
           "proposed_at, confirmed_at, cancelled_at, cancelled_by, outcome_by, calendar_uid, calendar_sequence, "
           "reminded_at, outcome_asked_at")
TABLES = {"user": USER, "mentor_profile": MENTOR_PROFILE, "mentor_option": "id, mentor_id, kind, value",
          "mentee_profile": MENTEE_PROFILE, "mentor_request": MENTOR_REQUEST, "relationship": RELATIONSHIP,
          "mentoring_session": SESSION,
          "survey_invite": "id, relationship_id, created_at, sent_at, reminded_at, answered",
          "survey_response": "id, cohort, sessions_band, answers",
          "inbox_item": "id, kind, status, user_id, name, email, details, message, created_at, assigned_to_id, "
                        "closed_at, closed_by_id"}


def check_columns() -> None:
    """Every column of each table loaded is given a value: the models decide the tables."""
    from portal.models import MODELS
    by_table = {model._meta.table_name: model for model in MODELS}
    for table, columns in TABLES.items():
        given = {c.strip() for c in columns.split(",")}
        wanted = {f.column_name for f in by_table[table]._meta.sorted_fields}
        if given != wanted:
            raise RuntimeError(f"bench/national.py is out of date for {table}: missing {sorted(wanted - given)}, "
                               f"unknown {sorted(given - wanted)}")


def load(url: str) -> dict:
    """Fill the (migrated, empty) PostgreSQL database at `url`. Returns the figures of the load."""
    check_columns()
    started = time.perf_counter()
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    connection = psycopg2.connect(url)
    cursor = connection.cursor()
    cursor.execute('SELECT COUNT(*) FROM "user"')
    assert cursor.fetchone()[0] == 0, "expects an empty database"
    # Foreign keys are not checked row by row while loading (the rows are consistent by construction,
    # and bench.invariants checks them after); nor is each commit waited for.
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("SET synchronous_commit = off")
    loader = Loader(cursor, now)
    active_mentors, pending_mentors = loader.assign_places()
    places: dict[int, int] = {}
    for m in active_mentors + pending_mentors:
        places[m] = places.get(m, 0) + 1
    loader.copy("user", USER, loader.users(password_hash()))
    loader.copy("mentor_profile", MENTOR_PROFILE, loader.mentor_profiles(places))
    loader.copy("mentor_option", TABLES["mentor_option"], loader.options)
    mentee_rows: list = []
    loader.copy("mentor_request", MENTOR_REQUEST, loader.requests(active_mentors, pending_mentors, mentee_rows))
    loader.copy("mentee_profile", MENTEE_PROFILE, loader.mentee_profiles(mentee_rows))
    loader.copy("relationship", RELATIONSHIP, loader.relationship_rows())
    loader.copy("mentoring_session", SESSION, loader.sessions)
    loader.copy("survey_invite", TABLES["survey_invite"], loader.invites)
    loader.copy("survey_response", TABLES["survey_response"], loader.responses)
    loader.copy("inbox_item", TABLES["inbox_item"], loader.inbox())
    for table in TABLES:
        if table != "survey_response":
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f"(SELECT MAX(id) FROM \"{table}\"))")
    cursor.execute("SET session_replication_role = DEFAULT")
    connection.commit()
    copied = time.perf_counter() - started
    # A live database is vacuumed and analysed by autovacuum: done now, neither starts mid-measurement.
    connection.autocommit = True
    cursor.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter() - started - copied
    checks_started = time.perf_counter()
    found = invariants.problems(cursor) + foreign_key_problems(cursor)
    checked = time.perf_counter() - checks_started
    cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    size = cursor.fetchone()[0]
    connection.close()
    return {"seconds": copied + vacuumed, "copied": copied, "vacuumed": vacuumed, "checked": checked,
            "tables": loader.timings, "problems": found, "size": size, "now": now}


def foreign_key_problems(cursor) -> list[str]:
    """Rows pointing at nothing (the load did not have the foreign keys checked as it went)."""
    pairs = [("mentor_profile", "user_id", "user"), ("mentee_profile", "user_id", "user"),
             ("mentor_option", "mentor_id", "mentor_profile"), ("mentor_request", "mentee_id", "mentee_profile"),
             ("mentor_request", "mentor_id", "mentor_profile"), ("mentor_request", "decided_by_user_id", "user"),
             ("relationship", "request_id", "mentor_request"), ("mentoring_session", "relationship_id", "relationship"),
             ("survey_invite", "relationship_id", "relationship"), ("inbox_item", "user_id", "user")]
    found = []
    for table, column, target in pairs:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}" t WHERE t.{column} IS NOT NULL AND NOT EXISTS '
                       f'(SELECT 1 FROM "{target}" x WHERE x.id = t.{column})')
        count = cursor.fetchone()[0]
        if count:
            found.append(f"{count:,} {table}.{column} pointing at no {target}")
    return found


def describe(url: str) -> str:
    connection = psycopg2.connect(url)
    cursor = connection.cursor()
    counts = {}
    for table in ("mentor_profile", "mentee_profile", "mentor_request", "relationship", "mentoring_session",
                  "mentor_option"):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT status, COUNT(*) FROM mentor_request GROUP BY status ORDER BY status")
    states = ", ".join(f"{n:,} {s}" for s, n in cursor.fetchall())
    cursor.execute("SELECT status, COUNT(*) FROM relationship GROUP BY status ORDER BY status")
    matches = ", ".join(f"{n:,} {s}" for s, n in cursor.fetchall())
    connection.close()
    return (f"{counts['mentor_profile']:,} mentors ({counts['mentor_option']:,} options), "
            f"{counts['mentee_profile']:,} mentees, {counts['mentor_request']:,} requests ({states}), "
            f"{counts['relationship']:,} relationships ({matches}), {counts['mentoring_session']:,} sessions")


def report(figures: dict, out=sys.stdout) -> None:
    print(f"National data loaded in {figures['seconds']:.0f} s (COPY {figures['copied']:.0f} s, VACUUM ANALYZE "
          f"{figures['vacuumed']:.0f} s; target under 300 s): {figures['size']}", file=out)
    for table, rows, seconds in figures["tables"]:
        print(f"  {table:<18} {rows:>10,} rows {seconds:>6.1f} s", file=out)
    print(f"  checks ({figures['checked']:.0f} s): " + ("; ".join(figures["problems"]) or
                                                        "places, states and foreign keys all consistent"), file=out)


# A loaded copy is kept as a template database, and each benchmark works on a clone of it ---------

SAVED_FOR = SETTLED - timedelta(hours=1)


def fingerprint() -> str:
    """Changes with this file and the migrations: a saved copy made by other code is not reused."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for migration in sorted((ROOT / "portal" / "migrations").glob("*.py")):
        digest.update(migration.name.encode() + migration.read_bytes())
    return digest.hexdigest()[:10]


def _admin(server, sql: str, *args):
    connection = psycopg2.connect(server.admin_url)
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        cursor.execute(sql, args or None)
        return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def _url(server, name: str) -> str:
    return f"{server.admin_url.rpartition('/')[0]}/{name}"


def save(server, redis_url: str, out=sys.stdout) -> str:
    """Load the national data into a new saved copy (dropping older ones); its database name."""
    template = f"portal_bench_national_{fingerprint()}"
    for old in _admin(server, "SELECT datname FROM pg_database WHERE datname LIKE 'portal_bench_national_%%'"):
        _admin(server, f'DROP DATABASE IF EXISTS "{old[0]}" WITH (FORCE)')
    _admin(server, f'CREATE DATABASE "{template}"')
    with portal_app(_url(server, template), redis_url):
        pass  # the migrations
    figures = load(_url(server, template))
    report(figures, out)
    if figures["problems"]:
        raise RuntimeError("the national data is not consistent: " + "; ".join(figures["problems"]))
    _admin(server, f"COMMENT ON DATABASE \"{template}\" IS 'loaded {figures['now'].isoformat()}'")
    return template


@contextlib.contextmanager
def national_database(server, redis_url: str, out=sys.stdout):
    """A database with the national data, dropped afterwards: a clone of the saved copy when one made
    by this code less than SAVED_FOR ago exists on the server, else loaded now (and saved).
    Set BENCH_FRESH_NATIONAL=1 to load anew regardless."""
    template = f"portal_bench_national_{fingerprint()}"
    found = _admin(server, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                   template)
    reuse = False
    if found and found[0][0] and not os.environ.get("BENCH_FRESH_NATIONAL"):
        made = datetime.fromisoformat(found[0][0].removeprefix("loaded "))
        reuse = datetime.now(timezone.utc).replace(tzinfo=None) - made < SAVED_FOR
    if reuse:
        print(f"National data: a copy loaded at {found[0][0].removeprefix('loaded ')} UTC (under "
              f"{SAVED_FOR.seconds // 3600} hours ago, by this code), cloned", file=out)
    else:
        save(server, redis_url, out)
    name = f"portal_bench_{os.getpid()}_{int(time.time())}"
    started = time.perf_counter()
    _admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    print(f"National data: cloned for this benchmark in {time.perf_counter() - started:.0f} s", file=out)
    try:
        yield _url(server, name)
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Load the national data anew, print the times and the checks, and keep it as the saved copy the
    other benchmarks clone."""
    from bench.harness import redis
    from tests.support.servers import PostgresServer
    print(f"\nNational data: {MENTORS:,} mentors, {MENTEES:,} mentees, {REQUESTS:,} requests, "
          f"{RELATIONSHIPS:,} relationships, {SESSIONS:,} sessions (PostgreSQL, COPY)")
    server = PostgresServer()
    try:
        with redis() as redis_url:
            template = save(server, redis_url)
        print("  " + describe(_url(server, template)))
    finally:
        server.close()


if __name__ == "__main__":
    main()
