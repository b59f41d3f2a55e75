"""The directory under load: 10,000 mentors on SQLite and on PostgreSQL, served by gunicorn.

Prints requests per second and p50/p95 latency for the directory with three filters, beside two
bare routes of the same app on the same server: /health (plain text: no session, no template, one
SELECT 1 and one Redis PING) and /account/ (a signed-in page: the same session, login and layout as the
directory, and nothing of the directory's work). Targets: p95 under 50 ms, and at least half
the bare route's throughput.
"""
import random

from bench.harness import compare, databases, gunicorn, log_in, portal_app, redis

MENTORS = 10_000
FILTERED = "/mentors/?school=Medicine&day=mon&platform=teams"
SLOTS = [f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for p in ("morning", "afternoon",
                                                                                          "evening")]


def load_register(count: int = MENTORS) -> None:
    """A register of `count` varied mentors, written in bulk, and one mentee to browse it."""
    from datetime import datetime

    from portal.core import reference
    from portal.core.db import database, refresh_statistics
    from portal.models import MentorOption, MentorProfile, User
    from portal.register.profiles import option_rows, search_text_for
    from tests.support.factories import make_user

    rng = random.Random(7)
    now = datetime(2026, 11, 1)
    mentee = make_user("bench.mentee@example.org", "Bench Mentee", mentee=True)
    password_hash = mentee.password_hash
    with database.atomic():
        users = [{"email": f"mentor{n}@example.org", "name": f"Mentor {n} {rng.choice(['Shah', 'Lewis', 'Adeyemi'])}",
                  "password_hash": password_hash, "email_confirmed_at": now, "session_nonce": f"{n:016}",
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
                "slots": rng.sample(SLOTS, 4), "platforms": rng.sample(sorted(reference.PLATFORMS), 2),
            }
            values_of[user_id] = values
            profiles.append({**{k: v for k, v in values.items() if k not in ("slots", "platforms")},
                             "user": user_id, "capacity": rng.choice([1, 2, 3]),
                             "search_text": search_text_for(users[n]["name"], values),
                             "created_at": now, "updated_at": now})
        for start in range(0, count, 500):
            MentorProfile.insert_many(profiles[start:start + 500]).execute()
        mentor_of = {m.user_id: m.id for m in MentorProfile.select(MentorProfile.id, MentorProfile.user)}
        options = [{"mentor": mentor_of[user_id], "kind": kind, "value": value}
                   for user_id, values in values_of.items() for kind, value in option_rows(values)]
        for start in range(0, len(options), 900):
            MentorOption.insert_many(options[start:start + 900]).execute()
    refresh_statistics()


def main() -> None:
    print(f"\nDirectory: {MENTORS:,} mentors, gunicorn (2 workers x 4 threads), 4 clients with keep-alive; "
          "each route 3 rounds of 4 s, interleaved, median round shown")
    print(f"{'database':<11} {'route':<52} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    with redis() as redis_url, databases() as targets:
        for name, url in targets:
            with portal_app(url, redis_url):
                load_register()
            with gunicorn(url, redis_url) as port:
                cookie = log_in(port, "bench.mentee@example.org", "tulip orbit kettle")
                found = compare(port, {"health": ("/health", ""), "account": ("/account/", cookie),
                                       "directory": (FILTERED, cookie)})
                health, account, directory = found["health"], found["account"], found["directory"]
            for route, figures in (("/health (bare: SELECT 1, PING)", health), ("/account/ (bare: signed-in page)", account),
                                   (FILTERED, directory)):
                print(f"{name:<11} {route:<52} {figures['rps']:>7.0f} {figures['p50']:>7.1f} {figures['p95']:>7.1f}")
            for label, bare in (("/health", health), ("/account/", account)):
                ratio = directory["rps"] / bare["rps"]
                verdict = "meets" if directory["p95"] < 50 and ratio >= 0.5 else "misses"
                print(f"{name:<11} against {label}: {ratio:.0%} of its throughput, p95 {directory['p95']:.1f} ms: "
                      f"{verdict} the target (p95 < 50 ms and >= 50%)")


if __name__ == "__main__":
    main()
