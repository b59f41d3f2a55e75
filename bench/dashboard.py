"""The admin dashboard at scale: 100,000 mentees, 1,000 mentors and 1,000,000 requests on
PostgreSQL, served by gunicorn.

Prints requests per second and p50/p95 latency for /admin/ beside the bare route /health (plain
text: no session, no template, one SELECT 1 and one Redis PING), how many SQL queries one dashboard request makes,
and the slowest of them. Target: p95 under 100 ms.

PostgreSQL only: the dashboard's figures are a production question, and loading a million rows a
second time into SQLite would double the run for a database the scheme does not use at this size.

The scheme as loaded (times relative to the moment of loading, so the dashboard's lists, which use
the real clock, all have rows):
- 100,000 mentees: 90,000 have asked a mentor (first_requested_at set), 10,000 signed up over the
  past year and never asked (about 8,300 of them more than two months ago); one in 25 deactivated.
- 1,000 mentors (one in 20 paused, one in 25 on leave, one in 50 unlisted, ten still invited).
- 1,000,000 requests over two years, about 12 per mentee: 2,000 waiting for an answer (at most one
  per mentee, deadlines over the next two weeks), one in 33 accepted, the rest declined, expired,
  cancelled or closed.
- A relationship for each accepted request (30,303): about 3,300 active, opened over the past eight
  months (so some are past the 6-month window), the rest closed or withdrawn.
- 60,000 sessions, none for one relationship in ten (so some active matches have no session).
- 2,000 inbox items, 200 of them open. One admin whose password is tests.support.factories.PASSWORD.
"""
import re
import time

from bench.harness import compare, databases, gunicorn, log_in, portal_app, redis

MENTEES, ASKING, MENTORS, REQUESTS = 100_000, 90_000, 1_000, 1_000_000
WAITING_WINDOW = 3_000  # the newest 3,000 requests; two in three of them (by mentee) still wait
SESSIONS, INBOX, OPEN_ITEMS = 60_000, 2_000, 200
ADMIN_EMAIL = "bench.admin@example.org"
TARGET_MS = 100


def load_scheme() -> float:
    """The scheme above, written with INSERT ... SELECT over generate_series. Returns the seconds it took."""
    from portal.core import clock
    from portal.core.db import database, refresh_statistics
    from tests.support.factories import make_user

    started = time.perf_counter()
    run = database.execute_sql
    assert not run('SELECT 1 FROM "user" LIMIT 1').fetchone(), "expects an empty database: ids are the series' numbers"
    moment = clock.now().replace(second=0, microsecond=0)
    now = f"(TIMESTAMP '{moment:%Y-%m-%d %H:%M:%S}')"
    # psycopg2 reads a lone % as a parameter (every statement below has one), hence %%.
    # Request g belongs to mentee 1 + (g - 1) %% ASKING, one request per mentee per "round", and was
    # made (g's distance from the newest) minutes before the newest finished one, itself 15 days ago.
    def finished_at(g: str) -> str:
        return f"({now} - INTERVAL '15 days' - ({REQUESTS} - {g}) * INTERVAL '1 minute')"

    waiting = f"(g > {REQUESTS - WAITING_WINDOW} AND (1 + (g - 1) %% {ASKING}) %% 3 <> 0)"
    # A mentee's first request is request number m (the first round), so its time is known here.
    first_request = finished_at("m")
    mentee_created = (f"(CASE WHEN m <= {ASKING} THEN {first_request} - (m %% 30) * INTERVAL '1 day' - INTERVAL '1 hour'"
                      f" ELSE {now} - (m - {ASKING}) * INTERVAL '52 minutes' END)")
    password_hash = make_user(ADMIN_EMAIL, "Bench Admin", admin=True).password_hash
    with database.atomic():
        run(f"""INSERT INTO "user" (email, name, password_hash, is_active, is_admin, email_confirmed_at,
                       session_nonce, created_at)
                SELECT 'mentee' || m || '@bench.example', 'Mentee ' || m, %s, true, false, {mentee_created},
                       'e' || m, {mentee_created}
                FROM generate_series(1, {MENTEES}) AS s(m)""", (password_hash,))
        # Ten mentors invited who have not yet set a password: the dashboard counts them.
        run(f"""INSERT INTO "user" (email, name, password_hash, is_active, is_admin, email_confirmed_at,
                       session_nonce, created_at)
                SELECT 'mentor' || g || '@bench.example', 'Mentor ' || g,
                       CASE WHEN g %% 100 = 0 THEN NULL ELSE %s END, true, false,
                       CASE WHEN g %% 100 = 0 THEN NULL ELSE {now} - INTERVAL '800 days' END,
                       'o' || g, {now} - INTERVAL '800 days' + g * INTERVAL '1 hour'
                FROM generate_series(1, {MENTORS}) AS s(g)""", (password_hash,))
        admin_id = run("SELECT id FROM \"user\" WHERE email = %s", (ADMIN_EMAIL,)).fetchone()[0]

        def user_of(n: str) -> str:  # the user id of the n-th bulk user: the admin took one id
            return f"(CASE WHEN {n} < {admin_id} THEN {n} ELSE {n} + 1 END)"

        run(f"""INSERT INTO mentee_profile (user_id, grade, school, specialty, trust, eligibility, reason,
                       expected_return, agreement_version, agreement_accepted_at, period_started_at, deactivated_at,
                       created_at, deactivation_warnings, sessions_allowed, first_requested_at)
                SELECT {user_of('m')}, (ARRAY['CT1', 'CT2', 'ST3', 'ST4', 'ST6'])[1 + m %% 5],
                       (ARRAY['Medicine', 'Surgery', 'Paediatrics', 'Psychiatry', 'Anaesthetics'])[1 + m %% 5 / 2],
                       '', 'A trust', 'out_now', 'parental_leave', ({mentee_created} + INTERVAL '1 year')::date, 1,
                       {mentee_created}, {mentee_created},
                       CASE WHEN m %% 25 = 0 THEN {now} - (m %% 60) * INTERVAL '1 day' END,
                       {mentee_created}, 0, 4, CASE WHEN m <= {ASKING} THEN {first_request} END
                FROM generate_series(1, {MENTEES}) AS s(m)""")
        run(f"""INSERT INTO mentor_profile (user_id, grade, school, specialty, trust, gender, pronouns,
                       experience_rtt, experience_away, why_mentor, availability_notes, meets_in_person,
                       meets_online, locations, interests, contact_details, capacity, places_taken, listed, paused,
                       leave_from, leave_until, search_text, created_at, updated_at)
                SELECT {user_of(f'{MENTEES} + g')}, 'ST5', 'Medicine', '', 'A trust', 'Woman', '',
                       '', '', 'To help', '', g %% 2 = 0, true, '', '', '', 2 + g %% 3, 0, g %% 50 <> 0,
                       g %% 20 = 0, CASE WHEN g %% 25 = 0 THEN {now}::date - 5 END,
                       CASE WHEN g %% 25 = 0 THEN {now}::date + 20 END, 'mentor ' || g,
                       {now} - INTERVAL '800 days', {now} - INTERVAL '800 days'
                FROM generate_series(1, {MENTORS}) AS s(g)""")
        # Round k of a mentee's requests goes to a different mentor each time.
        created = f"(CASE WHEN {waiting} THEN {now} - (g %% 12) * INTERVAL '1 day' - (g %% 24) * INTERVAL '1 hour' " \
                  f"ELSE {finished_at('g')} END)"
        run(f"""INSERT INTO mentor_request (mentee_id, mentor_id, note, status, created_at, deadline, reminders_sent,
                       next_reminder_at, decided_at, decided_by, decline_message)
                SELECT 1 + (g - 1) %% {ASKING}, 1 + ((g - 1) / {ASKING} * 131 + g - 1) %% {MENTORS}, 'A note',
                       CASE WHEN {waiting} THEN 'pending' WHEN g %% 33 = 0 THEN 'accepted'
                            WHEN g %% 5 = 0 THEN 'expired' WHEN g %% 5 = 1 THEN 'cancelled'
                            WHEN g %% 17 = 0 THEN 'closed' ELSE 'declined' END,
                       {created}, {created} + INTERVAL '14 days', CASE WHEN {waiting} THEN 0 ELSE 1 END,
                       CASE WHEN {waiting} THEN {created} + INTERVAL '7 days' END,
                       CASE WHEN NOT {waiting} THEN {created} + INTERVAL '3 days' END,
                       CASE WHEN {waiting} THEN NULL WHEN g %% 5 = 0 OR g %% 17 = 0 THEN 'system'
                            WHEN g %% 5 = 1 THEN 'mentee' ELSE 'mentor' END, ''
                FROM generate_series(1, {REQUESTS}) AS s(g)""")
        # Active: a third of the matches made in the past eight months, each its mentee's latest.
        active = (f"(r.decided_at > {now} - INTERVAL '240 days' AND r.id / 33 %% 3 = 0 AND NOT EXISTS ("
                  "SELECT 1 FROM mentor_request later WHERE later.mentee_id = r.mentee_id "
                  "AND later.status = 'accepted' AND later.id > r.id))")
        run(f"""INSERT INTO relationship (request_id, mentee_id, mentor_id, status, opened_at, closed_at, close_reason)
                SELECT r.id, r.mentee_id, r.mentor_id,
                       CASE WHEN {active} THEN 'active' WHEN r.id %% 7 = 0 THEN 'withdrawn' ELSE 'closed' END,
                       r.decided_at, CASE WHEN NOT {active} THEN LEAST(r.decided_at + INTERVAL '150 days', {now}) END,
                       CASE WHEN {active} THEN '' WHEN r.id %% 7 = 0 THEN 'withdrawn' ELSE 'completed' END
                FROM mentor_request r WHERE r.status = 'accepted' ORDER BY r.id""")
        matches = run("SELECT MAX(id) FROM relationship").fetchone()[0]
        run("""UPDATE mentee_profile p SET matched_at = r.opened_at, deactivated_at = NULL FROM relationship r
               WHERE r.mentee_id = p.id AND r.status = 'active'""")
        run("""UPDATE mentor_profile m SET places_taken = a.n
               FROM (SELECT mentor_id, COUNT(*) AS n FROM relationship WHERE status = 'active' GROUP BY mentor_id) a
               WHERE a.mentor_id = m.id""")
        # Sessions a fortnight apart from the match; none at all for one relationship in ten.
        starts = "(r.opened_at + ((g - 1) / {0} + 1) * INTERVAL '14 days' + INTERVAL '18 hours')".format(matches)
        run(f"""INSERT INTO mentoring_session (relationship_id, starts_at, length_minutes, mode, platform, joining_link,
                       place, status, proposed_by, proposed_at, confirmed_at, calendar_uid, calendar_sequence)
                SELECT r.id, {starts}, 60, 'video', 'teams', '', '',
                       CASE WHEN {starts} >= {now} THEN (CASE WHEN g %% 2 = 0 THEN 'confirmed' ELSE 'proposed' END)
                            WHEN g %% 9 = 0 THEN 'cancelled' WHEN g %% 13 = 0 THEN 'not_held' ELSE 'held' END,
                       'mentee', {starts} - INTERVAL '7 days', {starts} - INTERVAL '6 days',
                       'bench-' || g || '@peer-mentoring', 0
                FROM generate_series(1, {3 * matches}) AS s(g)
                JOIN relationship r ON r.id = 1 + (g - 1) %% {matches}
                WHERE r.id %% 10 <> 0 ORDER BY g LIMIT {SESSIONS}""")
        run(f"""INSERT INTO inbox_item (kind, status, user_id, name, email, details, message, created_at, closed_at)
                SELECT (ARRAY['concern', 'interest', 'reactivation', 'withdrawal', 'cancellation',
                              'more_sessions'])[1 + g %% 6],
                       CASE WHEN g <= {OPEN_ITEMS} THEN 'open' ELSE 'closed' END, {user_of('g')},
                       'Mentee ' || g, 'mentee' || g || '@bench.example', '{{}}', 'A message',
                       {now} - g * INTERVAL '3 hours',
                       CASE WHEN g > {OPEN_ITEMS} THEN {now} - g * INTERVAL '3 hours' + INTERVAL '1 day' END
                FROM generate_series(1, {INBOX}) AS s(g)""")
    # A live database is vacuumed by autovacuum; done now, it cannot start in the middle of a measurement.
    run("VACUUM")
    refresh_statistics()
    return time.perf_counter() - started


def count_queries(app) -> tuple[int, list]:
    """SQL statements one dashboard request makes (the second, once anything cached is warm), slowest first."""
    from portal.core import db
    from tests.support.factories import PASSWORD
    from tests.support.web import Web

    web = Web(app.test_client())
    web.login(ADMIN_EMAIL, PASSWORD)
    web.get("/admin/")
    seen = []
    db.database.obj.query_hooks.append(seen.append)
    try:
        response = web.get("/admin/")
        assert response.status_code == 200, response.status_code
    finally:
        db.database.obj.query_hooks.remove(seen.append)
    return len(seen), sorted(seen, key=lambda event: -event.duration)


def describe_scheme() -> str:
    from portal.admin import dashboard
    from portal.core import clock
    from portal.models import MentorRequest
    now = clock.now()
    figures, stalled = dashboard.figures(now), dashboard.stalled(now)
    return (f"{MentorRequest.select().count():,} requests, {figures['mentees']:,} mentees "
            f"({figures['deactivated']:,} deactivated), {figures['waiting']:,} waiting, {figures['matched']:,} matched, "
            f"{figures['closed']:,} ended, {figures['listed']:,} mentors listed, {figures['open_items']} open items; "
            f"to follow up: {stalled['quiet_match']['count']:,} quiet matches, "
            f"{stalled['quiet_signup']['count']:,} quiet sign-ups, {stalled['past_window']['count']:,} past the window")


def short(sql: str) -> str:
    """A query, recognisably: what it selects from and on what condition, without quotes or join conditions."""
    sql = re.sub(r" ON \(\S+ = \S+\)", "", " ".join(sql.split()).replace('"', ""))
    start = sql.find(" FROM ")
    if start > 100:  # a long list of columns
        sql = "SELECT ..." + sql[start:]
    return sql[:200]


def main() -> None:
    from tests.support.factories import PASSWORD
    print(f"\nDashboard: {MENTEES:,} mentees, {MENTORS:,} mentors, {REQUESTS:,} requests, on PostgreSQL only "
          "(SQLite not measured); gunicorn (2 workers x 4 threads); 1 client (one admin) and 4 clients at once, "
          "keep-alive; each route 3 rounds of 4 s, interleaved, median round shown")
    with redis() as redis_url, databases() as targets:
        name, url = next((name, url) for name, url in targets if name == "PostgreSQL")
        with portal_app(url, redis_url) as app:
            loaded = load_scheme()
            print(f"{name:<11} loaded in {loaded:.0f} s: {describe_scheme()}")
            queries, slowest = count_queries(app)
        print(f"{name:<11} one dashboard request makes {queries} SQL queries (counted in-process, "
              f"{sum(e.duration for e in slowest) * 1000:.0f} ms in all); the slowest:")
        for event in slowest[:5]:
            print(f"{'':<11} {event.duration * 1000:>6.1f} ms  {short(event.sql)}")
        with gunicorn(url, redis_url) as port:
            cookie = log_in(port, ADMIN_EMAIL, PASSWORD)
            routes = {"/health (bare: SELECT 1, PING)": ("/health", ""), "/admin/ (the dashboard)": ("/admin/", cookie)}
            found = {clients: compare(port, routes, concurrency=clients) for clients in (1, 4)}
    print(f"{'database':<11} {'route':<30} {'clients':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for clients, measured in found.items():
        for route, figures in measured.items():
            print(f"{name:<11} {route:<30} {clients:>7} {figures['rps']:>7.0f} {figures['p50']:>7.1f} "
                  f"{figures['p95']:>7.1f}")
    for clients, measured in found.items():
        p95 = measured["/admin/ (the dashboard)"]["p95"]
        verdict = "meets" if p95 < TARGET_MS else "misses"
        print(f"{name:<11} /admin/ p95 with {clients} client{'s' if clients > 1 else ''}: {p95:.1f} ms, "
              f"{verdict} the target (p95 < {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
