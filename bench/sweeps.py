"""The sweeps at scale: 1,000,000 requests (and 20,000 mentees, 500 mentors) on SQLite and on
PostgreSQL. Prints how long each sweep takes with nothing due, then with 1,000 requests due for
expiry and 1,000 for a reminder. Target: under 1 s with nothing due.
"""
import time
from datetime import datetime

from bench.harness import databases, portal_app, redis

REQUESTS, MENTEES, MENTORS, DUE = 1_000_000, 20_000, 500, 1_000
BEFORE = "2026-11-01 09:00:00"  # due: a deadline and a reminder already passed
AFTER = "2027-06-01 09:00:00"   # not due
NOW = datetime(2026, 11, 25, 12, 0)


def series(postgres: bool, count: int) -> str:
    """SQL naming the numbers 1..count as g, on either database."""
    if postgres:
        return f"generate_series(1, {count}) AS s(g)"
    return f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {count}) SELECT g FROM s)"


def load(postgres: bool) -> None:
    from portal.core.db import database, refresh_statistics
    run = database.execute_sql
    true, false = ("true", "false") if postgres else ("1", "0")
    mod = "%%" if postgres else "%"  # psycopg2 reads a lone % as a parameter
    before, after = (f"TIMESTAMP '{t}'" if postgres else f"'{t}'" for t in (BEFORE, AFTER))
    with database.atomic():
        run(f"""INSERT INTO "user" (email, name, is_active, is_admin, email_confirmed_at, session_nonce, created_at)
                SELECT 'person' || g || '@bench.example', 'Person ' || g, {true}, {false}, '{BEFORE}', 'n' || g,
                       '{BEFORE}' FROM {series(postgres, MENTEES + MENTORS)}""")
        # Mentees signed up recently, so none is due to be deactivated.
        run(f"""INSERT INTO mentee_profile (user_id, grade, school, specialty, trust, eligibility, reason,
                       expected_return, agreement_version, agreement_accepted_at, period_started_at,
                       deactivation_warnings, sessions_allowed, created_at)
                SELECT g, 'ST3', 'Medicine', '', 'A trust', 'out_now', 'other', '2027-09-01', 1, '{BEFORE}',
                       '2026-11-20 09:00:00', 0, 4, '{BEFORE}' FROM {series(postgres, MENTEES)}""")
        run(f"""INSERT INTO mentor_profile (user_id, grade, school, specialty, trust, gender, pronouns,
                       experience_rtt, experience_away, why_mentor, availability_notes, meets_in_person,
                       meets_online, locations, interests, contact_details, capacity, places_taken, listed, paused,
                       search_text, created_at, updated_at)
                SELECT {MENTEES} + g, 'ST5', 'Medicine', '', 'A trust', 'Woman', '', '', '', 'To help', '', {false},
                       {true}, '', '', '', 100, 0, {true}, {false}, '', '{BEFORE}', '{BEFORE}'
                FROM {series(postgres, MENTORS)}""")
        # One waiting request per mentee (the first DUE of them past their deadline and their next
        # reminder); everything else long finished.
        run(f"""INSERT INTO mentor_request (mentee_id, mentor_id, note, status, created_at, deadline, reminders_sent,
                       next_reminder_at, decline_message)
                SELECT 1 + (g - 1) {mod} {MENTEES}, 1 + g {mod} {MENTORS}, 'A note',
                       CASE WHEN g <= {MENTEES} THEN 'pending' WHEN g {mod} 3 = 0 THEN 'expired'
                            WHEN g {mod} 3 = 1 THEN 'declined' ELSE 'accepted' END,
                       '{BEFORE}',
                       CASE WHEN g <= {DUE} THEN {before} ELSE {after} END, 0,
                       CASE WHEN g > {MENTEES} THEN NULL WHEN g <= 2 * {DUE} THEN {before} ELSE {after} END, ''
                FROM {series(postgres, REQUESTS)}""")
        run("UPDATE mentor_profile SET places_taken = 40")
    refresh_statistics()


def timed(sweep, now) -> float:
    started = time.perf_counter()
    sweep(now)
    return time.perf_counter() - started


def main() -> None:
    from jobs.sweeps import EVERY_MINUTE
    from portal.models import MentorRequest
    print(f"\nSweeps: {REQUESTS:,} requests ({MENTEES:,} waiting, {DUE:,} of them past their deadline and "
          f"{2 * DUE:,} due a reminder), {MENTEES:,} mentees, {MENTORS} mentors")
    print(f"{'database':<11} {'sweep':<34} {'nothing due':>12} {'1,000 due':>10}")
    with redis() as redis_url, databases() as targets:
        for name, url in targets:
            with portal_app(url, redis_url):
                started = time.perf_counter()
                load(postgres=name == "PostgreSQL")
                loaded = time.perf_counter() - started
                for sweep in EVERY_MINUTE:
                    # "Nothing due": an hour before the first deadline; then at NOW, when the due rows are.
                    quiet = timed(sweep, datetime(2026, 10, 31, 12, 0))
                    busy = timed(sweep, NOW) if sweep.__name__ in ("expire_requests", "remind_mentors") else None
                    busy_text = f"{busy:>9.3f}s" if busy is not None else f"{'':>10}"
                    print(f"{name:<11} {sweep.__name__:<34} {quiet:>11.3f}s {busy_text}")
                expired = MentorRequest.select().where(MentorRequest.status == "expired").count()
                print(f"{name:<11} (loaded in {loaded:.0f} s; after the sweeps {expired:,} requests are expired)")


if __name__ == "__main__":
    main()
