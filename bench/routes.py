"""Seven routes side by side, in one run, with wrk at 32 connections: the bare Flask app (the ceiling of
this stack: bench/hello.py on the same gunicorn settings), /health, a signed-in page (/account/), the
directory with three filters, a mentor's profile, the page an emailed answer link opens, and the
admin dashboard.

On three databases: a register of 10,000 mentors on SQLite and on PostgreSQL, and the national data
on PostgreSQL (bench/national.py). Each route is measured in 3 rounds of BENCH_SECONDS (default 5),
interleaved with the others, and the round with the median throughput is shown, with its ratio to
the bare app and to the signed-in page. Targets: the signed-in page at least 50% of the bare app;
the directory at least 85% of the signed-in page with p95 under 50 ms, on both databases.

Signed-in routes use a session cookie from the real login form. The answer link is a real one: a
mentee asks a mentor through the portal's form, and the link is read from the email in the outbox.
"""
import os
import random
import re
from datetime import datetime, timedelta, timezone

from bench import portal_calls
from bench.harness import (compare, databases, gunicorn, log_in, password_hash, pinning, portal_app, redis,
                           table)

MENTORS = 10_000
FILTERED = "/mentors/?school=Medicine&day=mon&platform=teams"
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = 32
MENTEE, ASKER, ADMIN = "bench.mentee@example.org", "bench.asker@example.org", "bench.admin@example.org"


def load_register(count: int = MENTORS) -> None:
    """A register of `count` varied mentors, written in bulk; a mentee to browse it, another to ask one
    of them, and an admin."""
    from portal.models import MenteeProfile, MentorOption, MentorProfile, User
    reference = portal_calls.reference()
    rng = random.Random(7)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    hashed = password_hash()
    database = portal_calls.database()
    with database.atomic():
        User.insert_many([{"email": email, "name": name, "password_hash": hashed, "email_confirmed_at": now,
                           "session_nonce": f"b{n}", "created_at": now, "is_admin": email == ADMIN}
                          for n, (email, name) in enumerate([(MENTEE, "Bench Mentee"), (ASKER, "Bench Asker"),
                                                             (ADMIN, "Bench Admin")])]).execute()
        for email in (MENTEE, ASKER):
            MenteeProfile.insert(user=User.get(User.email == email).id, grade="ST3", school="Medicine",
                                 trust="Leeds Teaching Hospitals NHS Trust", eligibility="out_now",
                                 reason="parental_leave", expected_return=(now + timedelta(days=365)).date(),
                                 agreement_version=1, agreement_accepted_at=now, period_started_at=now,
                                 created_at=now).execute()
        users = [{"email": f"mentor{n}@example.org", "name": f"Mentor {n} {rng.choice(['Shah', 'Lewis', 'Adeyemi'])}",
                  "password_hash": hashed, "email_confirmed_at": now, "session_nonce": f"{n:016}",
                  "created_at": now} for n in range(count)]
        for start in range(0, count, 1000):
            User.insert_many(users[start:start + 1000]).execute()
        ids = [u.id for u in User.select(User.id).where(User.email.startswith("mentor")).order_by(User.id)]
        profiles, values_of = [], {}
        for n, user_id in enumerate(ids):
            values = {
                "grade": rng.choice(reference.GRADES[:13]), "school": rng.choice(reference.SCHOOLS),
                "trust": rng.choice(reference.TRUSTS), "gender": rng.choice(reference.GENDERS),
                "specialty": "", "why_mentor": "I would like to help someone through what I went through.",
                "experience_rtt": "Phased return after leave.", "experience_away": "Parental leave.",
                "interests": rng.choice(["Running", "Baking", "Choir", "Cycling", "Reading"]),
                "meets_online": True, "meets_in_person": rng.random() < 0.5,
                "locations": rng.choice(["Leeds", "York", "Sheffield", "Hull", "Bradford"]),
                "slots": rng.sample(reference.SLOTS, 4), "platforms": rng.sample(sorted(reference.PLATFORMS), 2),
            }
            values_of[user_id] = values
            profiles.append({**{k: v for k, v in values.items() if k not in ("slots", "platforms")},
                             "user": user_id, "capacity": rng.choice([1, 2, 3]),
                             "search_text": portal_calls.search_text_for(users[n]["name"], values),
                             "created_at": now, "updated_at": now})
        for start in range(0, count, 500):
            MentorProfile.insert_many(profiles[start:start + 500]).execute()
        mentor_of = {m.user_id: m.id for m in MentorProfile.select(MentorProfile.id, MentorProfile.user)}
        options = [{"mentor": mentor_of[user_id], "kind": kind, "value": value}
                   for user_id, values in values_of.items() for kind, value in portal_calls.option_rows(values)]
        for start in range(0, len(options), 900):
            MentorOption.insert_many(options[start:start + 900]).execute()
    database.execute_sql("ANALYZE")


def open_mentors(count: int = 2) -> list[int]:
    """Mentors a mentee can ask today: set up, listed, not paused or on leave, with a free place."""
    from portal.models import MentorProfile, User
    today = datetime.now(timezone.utc).date()
    query = (MentorProfile.select(MentorProfile.id).join(User)
             .where(User.password_hash.is_null(False) & User.is_active & MentorProfile.listed & ~MentorProfile.paused
                    & (MentorProfile.leave_from.is_null() | (MentorProfile.leave_until < today))
                    & (MentorProfile.places_taken < MentorProfile.capacity))
             .order_by(MentorProfile.id).limit(count))
    return [m.id for m in query]


def answer_link(port: int, asker: str, mentor_id: int) -> str:
    """Ask `mentor_id` as `asker` through the portal's form; the path of the link in the mentor's email."""
    from portal.models import Email, MentorProfile, User
    browser = log_in(port, asker)
    status, _, headers = browser.submit(f"/mentors/{mentor_id}", f"/mentors/{mentor_id}/request",
                                        {"note": "I would like to talk about coming back after a year away."})
    assert status == 302, f"asking mentor {mentor_id} failed: {status}"
    mentor_email = User.get_by_id(MentorProfile.get_by_id(mentor_id).user_id).email
    email = (Email.select().where((Email.to_address == mentor_email) & (Email.template == "request_new"))
             .order_by(Email.id.desc()).get())
    return re.search(r"https?://[^/\s]+(/respond/[^\s)>]+)", email.text_body).group(1)


def people(name: str) -> tuple[str, str, str]:
    """(browsing mentee, asking mentee, admin) on this database."""
    if name.endswith("(national)"):
        from bench import national
        # Two of the newest mentees who have never asked anyone (and are not deactivated).
        rows = portal_calls.database().execute_sql("""
            SELECT u.email FROM mentee_profile p JOIN "user" u ON u.id = p.user_id
            WHERE p.deactivated_at IS NULL AND p.matched_at IS NULL AND p.first_requested_at IS NULL
            ORDER BY p.id DESC LIMIT 2""").fetchall()
        emails = [row[0] for row in rows]
        return emails[0], emails[1], national.admin_email(1)
    return MENTEE, ASKER, ADMIN


def measure(name: str, url: str, redis_url: str, hello_port: int) -> dict:
    with portal_app(url, redis_url):
        if not name.endswith("(national)"):
            load_register()
        mentee, asker, admin = people(name)
        profile_id, asked_id = open_mentors(2)
        with gunicorn(url, redis_url) as (port, _):
            link = answer_link(port, asker, asked_id)
            signed_in = log_in(port, mentee).cookie
            admin_cookie = log_in(port, admin).cookie
            routes = {
                "bare Flask app (hello)": (hello_port, "/", ""),
                "/health": (port, "/health", ""),
                "signed-in page (/account/)": (port, "/account/", signed_in),
                "directory, 3 filters": (port, FILTERED, signed_in),
                "mentor's profile": (port, f"/mentors/{profile_id}", signed_in),
                "emailed answer link": (port, link, ""),
                "dashboard (/admin/)": (port, "/admin/", admin_cookie),
            }
            return compare(routes, seconds=SECONDS, connections=CONNECTIONS)


def main() -> None:
    print(f"\nRoutes side by side: wrk, {CONNECTIONS} connections, 3 rounds of {SECONDS:g} s each, interleaved, median "
          f"round shown; gunicorn 2 workers x 4 threads (gthread); {pinning()}")
    print(f"Register: {MENTORS:,} mentors (SQLite, PostgreSQL), and the national data (PostgreSQL); "
          f"directory: {FILTERED}")
    from tests.support.servers import PostgresServer

    from bench.national import national_database
    results = {}
    with redis() as redis_url, gunicorn("sqlite://", redis_url, app="bench.hello:app") as (hello_port, _):
        with databases() as targets:
            for name, url in targets:
                results[name] = measure(name, url, redis_url, hello_port)
        server = PostgresServer()
        try:
            with national_database(server, redis_url) as url:
                results["PostgreSQL (national)"] = measure("PostgreSQL (national)", url, redis_url, hello_port)
        finally:
            server.close()
    rows = []
    for name, found in results.items():
        bare, signed_in = found["bare Flask app (hello)"], found["signed-in page (/account/)"]
        for route, f in found.items():
            rows.append([f"{name}: {route}", f"{f['rps']:.0f}", f"{f['p50']:.1f}", f"{f['p95']:.1f}", f"{f['p99']:.1f}",
                         f["errors"], f"{f['rps'] / bare['rps']:.0%}", f"{f['rps'] / signed_in['rps']:.0%}"])
    print(table(rows, ["database: route", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "of bare", "of signed-in"]))
    print("Targets (ratios from the same run):")
    for name, found in results.items():
        bare, signed_in = found["bare Flask app (hello)"], found["signed-in page (/account/)"]
        directory = found["directory, 3 filters"]
        ratio = signed_in["rps"] / bare["rps"]
        print(f"  {name}: signed-in page {ratio:.0%} of the bare app ({'meets' if ratio >= 0.5 else 'misses'} >= 50%)")
        ratio = directory["rps"] / signed_in["rps"]
        verdict = "meets" if ratio >= 0.85 and directory["p95"] < 50 else "misses"
        print(f"  {name}: directory {ratio:.0%} of the signed-in page, p95 {directory['p95']:.1f} ms ({verdict} "
              f">= 85% and p95 < 50 ms)")


if __name__ == "__main__":
    main()
