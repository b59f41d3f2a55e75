"""The summaries at scale, on SQLite and on PostgreSQL: 20,000 people, 5,000 of them on a daily summary
with three items each waiting, 1,000 of those due now, beside 500,000 emails already sent. Prints how long
the daily summary sweep takes with nothing due and with 1,000 summaries to write, and the weekly summary
on a Monday morning. Target: under 1 s with nothing due.
"""
import time
from datetime import datetime

from bench.harness import databases, portal_app, redis
from jobs.sweeps import send_daily_summaries, send_weekly_summary
from portal.core.db import database, refresh_statistics

PEOPLE, DAILY, DUE, SENT = 20_000, 5_000, 1_000, 500_000
DUE_AT = "2026-11-30 08:00:00"  # a Monday: 08:00 in London in winter
LATER = "2026-12-01 08:00:00"
QUIET = datetime(2026, 11, 30, 7, 59)
BREAK = "\n\n"  # between an item's greeting and its words
NOW = datetime(2026, 11, 30, 8, 0)


def series(postgres: bool, count: int) -> str:
    """SQL naming the numbers 1..count as g, on either database."""
    if postgres:
        return f"generate_series(1, {count}) AS s(g)"
    return f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {count}) SELECT g FROM s)"


def load(postgres: bool) -> None:
    run = database.execute_sql
    true, false = ("true", "false") if postgres else ("1", "0")
    mod = "%%" if postgres else "%"  # psycopg2 reads a lone % as a parameter
    due_at, later = (f"TIMESTAMP '{t}'" if postgres else f"'{t}'" for t in (DUE_AT, LATER))
    with database.atomic():
        run(f"""INSERT INTO "user" (email, name, is_active, is_admin, email_confirmed_at, session_nonce, created_at)
                SELECT 'person' || g || '@bench.example', 'Person ' || g, {true},
                       CASE WHEN g <= 5 THEN {true} ELSE {false} END, '{DUE_AT}', 'n' || g, '{DUE_AT}'
                FROM {series(postgres, PEOPLE)}""")
        run(f"""INSERT INTO email_preference (user_id, news, summary_hour, weekly_summary, updated_at)
                SELECT g, 'daily', 8, {true}, '{DUE_AT}' FROM {series(postgres, DAILY)}""")
        # Three items for each of them: the first DUE people's due now, the rest's tomorrow.
        run(f"""INSERT INTO email (to_address, user_id, template, subject, text_body, html_body, held_body,
                       attachments, status, attempts, next_attempt_at, created_at)
                SELECT 'person' || (1 + (g - 1) {mod} {DAILY}) || '@bench.example', 1 + (g - 1) {mod} {DAILY},
                       'waitlist_closed', 'A waiting list you were on has closed', 'Hello,', '<p>Hello,</p>',
                       'Hello Person,{BREAK}That waiting list has closed.', '[]', 'held', 0,
                       CASE WHEN 1 + (g - 1) {mod} {DAILY} <= {DUE} THEN {due_at} ELSE {later} END, '{DUE_AT}'
                FROM {series(postgres, 3 * DAILY)}""")
        run(f"""INSERT INTO email (to_address, user_id, template, subject, text_body, html_body, held_body,
                       attachments, status, attempts, next_attempt_at, created_at, sent_at)
                SELECT 'person' || (1 + g {mod} {PEOPLE}) || '@bench.example', 1 + g {mod} {PEOPLE}, 'session_reminder',
                       'Your mentoring session is tomorrow', 'Hello,', '<p>Hello,</p>', '', '[]', 'sent', 1,
                       '{DUE_AT}', '{DUE_AT}', '{DUE_AT}'
                FROM {series(postgres, SENT)}""")
    refresh_statistics()


def timed(sweep, now) -> tuple[float, int]:
    started = time.perf_counter()
    result = sweep(now)
    return time.perf_counter() - started, result


def main() -> None:
    print(f"\nSummaries: {PEOPLE:,} people, {DAILY:,} on a daily summary with 3 items each waiting ({DUE:,} due), "
          f"{SENT:,} emails already sent")
    print(f"{'database':<11} {'sweep':<34} {'time':>9} {'emails written':>15}")
    with redis() as redis_url, databases() as targets:
        for name, url in targets:
            with portal_app(url, redis_url):
                load(postgres=name == "PostgreSQL")
                # The daily sweep writes at most 500 summaries a run, so 1,000 take two minutes.
                for label, sweep, now in (("daily, nothing due", send_daily_summaries, QUIET),
                                          ("daily, 1,000 due (first run)", send_daily_summaries, NOW),
                                          ("daily, the next minute", send_daily_summaries, NOW),
                                          ("daily, once more (none left)", send_daily_summaries, NOW),
                                          ("weekly, Monday 08:00", send_weekly_summary, NOW),
                                          ("weekly, again (sent)", send_weekly_summary, NOW)):
                    seconds, written = timed(sweep, now)
                    print(f"{name:<11} {label:<34} {seconds:>8.3f}s {written:>15,}")


if __name__ == "__main__":
    main()
