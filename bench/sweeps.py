"""The sweeps on the national data (PostgreSQL; bench/national.py).

Prints how long every sweep takes with nothing due (the median of 3 runs, in ms; target under 50 ms),
then, for four of them, how long 10,000 due rows take: requests expiring (target under 10 s), reminders
to mentors, deactivation warnings and survey invitations. Each is run until it finds nothing (a run
takes everything due, 500 rows a transaction): the runs are counted and their times added up. Afterwards each due row is checked to have moved exactly
once (its audit event or its counter) with its emails in the outbox, and the database's invariants
(bench/invariants.py) to hold.
"""
import statistics
import time
from datetime import datetime, timedelta, timezone

from bench import invariants, portal_calls
from bench.harness import portal_app, redis, table
from bench.national import national_database

DUE = 10_000
QUIET_TARGET_MS, EXPIRY_TARGET_S = 50, 10


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def timed(sweep) -> tuple[float, int]:
    started = time.perf_counter()
    result = sweep()
    return time.perf_counter() - started, result or 0


def until_done(sweep) -> tuple[float, int, int]:
    """Run the sweep until it acts on nothing: (seconds in all, runs, rows acted on)."""
    seconds = acted = runs = 0
    while True:
        took, result = timed(sweep)
        seconds += took
        runs += 1
        acted += result
        if not result or runs > 200:
            return seconds, runs, acted


class Sql:
    def __init__(self):
        self.database = portal_calls.database()

    def rows(self, sql: str, *args) -> list:
        return list(self.database.execute_sql(sql, args or None).fetchall())

    def one(self, sql: str, *args):
        return self.rows(sql, *args)[0][0]

    def run(self, sql: str, *args) -> None:
        with self.database.atomic():
            self.database.execute_sql(sql, args or None)


def ids_list(ids: list[int]) -> str:
    return "(" + ",".join(map(str, ids)) + ")"


def outbox(sql: Sql, pattern: str) -> tuple[int, int]:
    """(rows, distinct dedupe keys) of the outbox whose dedupe key is LIKE pattern (escape _ as \\_)."""
    found = sql.rows("SELECT COUNT(*), COUNT(DISTINCT dedupe_key) FROM email WHERE dedupe_key LIKE %s", pattern)
    return found[0][0], found[0][1]


def once_each(sql: Sql, action: str, ids: list[int]) -> tuple[int, int]:
    """(rows with exactly one audit event `action`, rows with more than one)."""
    found = sql.rows(f"""SELECT SUM(CASE WHEN n = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END)
                         FROM (SELECT object_id, COUNT(*) AS n FROM audit_event WHERE action = %s
                               AND object_id IN {ids_list(ids)} GROUP BY object_id) x""", action)
    return int(found[0][0] or 0), int(found[0][1] or 0)


def reminders(sql: Sql, sweep_of) -> dict:
    ids = [r[0] for r in sql.rows("SELECT id FROM mentor_request WHERE status = 'pending' ORDER BY id LIMIT %s", DUE)]
    before = dict(sql.rows(f"SELECT id, reminders_sent FROM mentor_request WHERE id IN {ids_list(ids)}"))
    sql.run(f"UPDATE mentor_request SET next_reminder_at = %s WHERE id IN {ids_list(ids)}",
            utcnow() - timedelta(minutes=1))
    seconds, runs, acted = until_done(sweep_of("remind_mentors"))
    after = dict(sql.rows(f"SELECT id, reminders_sent FROM mentor_request WHERE id IN {ids_list(ids)}"))
    moved = sum(after[i] == before[i] + 1 for i in ids)
    emails, distinct = outbox(sql, "request-reminder:%")
    once, twice = once_each(sql, "reminded_mentor", ids)
    return {"name": "remind_mentors", "seconds": seconds, "runs": runs, "acted": acted,
            "check": f"{moved:,} reminded once (counter +1), {once:,} audited once, {twice} twice; "
                     f"{emails:,} emails in the outbox ({distinct:,} distinct)",
            "ok": moved == DUE and once == DUE and not twice and emails == distinct == DUE}


def expiry(sql: Sql, sweep_of) -> dict:
    ids = [r[0] for r in sql.rows("SELECT id FROM mentor_request WHERE status = 'pending' ORDER BY id LIMIT %s", DUE)]
    sql.run(f"UPDATE mentor_request SET deadline = %s WHERE id IN {ids_list(ids)}", utcnow() - timedelta(minutes=1))
    seconds, runs, acted = until_done(sweep_of("expire_requests"))
    moved = sql.one(f"SELECT COUNT(*) FROM mentor_request WHERE status = 'expired' AND decided_by = 'system' "
                    f"AND id IN {ids_list(ids)}")
    mentee_emails, mentee_distinct = outbox(sql, "request\\_expired:%")
    mentor_emails, mentor_distinct = outbox(sql, "request-expired:%:mentor")
    once, twice = once_each(sql, "request_expired", ids)
    return {"name": "expire_requests", "seconds": seconds, "runs": runs, "acted": acted, "ids": ids,
            "check": f"{moved:,} expired, {once:,} audited once, {twice} twice; {mentee_emails:,} emails to mentees "
                     f"and {mentor_emails:,} to mentors in the outbox",
            "ok": moved == DUE and once == DUE and not twice and mentee_emails == mentee_distinct == DUE
            and mentor_emails == mentor_distinct == DUE}


def warnings(sql: Sql, sweep_of, mentee_ids: list[int]) -> dict:
    """Mentees due their first deactivation warning: their three months end in 10 days."""
    period = utcnow() - timedelta(days=82)  # 3 months less 10 days, give or take the months' lengths
    sql.run(f"UPDATE mentee_profile SET period_started_at = %s, deactivation_warnings = 0 "
            f"WHERE id IN {ids_list(mentee_ids)}", period)
    seconds, runs, acted = until_done(sweep_of("deactivate_idle_mentees"))
    moved = sql.one(f"SELECT COUNT(*) FROM mentee_profile WHERE deactivation_warnings = 1 AND deactivated_at IS NULL "
                    f"AND id IN {ids_list(mentee_ids)}")
    emails, distinct = outbox(sql, "deactivation-warning:%")
    once, twice = once_each(sql, "warned_mentee", mentee_ids)
    stuck = "" if moved == DUE else (
        f" (of {DUE:,} due: the sweep reads the 500 longest-waiting candidates, those it has warned already "
        f"included, so once they fill a run it finds nothing to do and the other {DUE - moved:,} are not warned)")
    return {"name": "deactivate_idle_mentees", "seconds": seconds, "runs": runs, "acted": acted,
            "check": f"{moved:,} warned once, {once:,} audited once, {twice} twice; {emails:,} emails in the outbox "
                     f"({distinct:,} distinct){stuck}",
            "ok": moved == len(mentee_ids) == DUE and once == DUE and not twice and emails == distinct == DUE}


def surveys(sql: Sql, sweep_of) -> dict:
    ids = [r[0] for r in sql.rows("SELECT id FROM survey_invite ORDER BY id LIMIT %s", DUE)]
    sql.run(f"UPDATE survey_invite SET sent_at = NULL, reminded_at = NULL, answered = false "
            f"WHERE id IN {ids_list(ids)}")
    seconds, runs, acted = until_done(sweep_of("send_surveys"))
    moved = sql.one(f"SELECT COUNT(*) FROM survey_invite WHERE sent_at IS NOT NULL AND id IN {ids_list(ids)}")
    emails, distinct = outbox(sql, "survey:%:first")
    return {"name": "send_surveys", "seconds": seconds, "runs": runs, "acted": acted,
            "check": f"{moved:,} invitations marked sent; {emails:,} emails in the outbox ({distinct:,} distinct)",
            "ok": moved == DUE and emails == distinct == DUE}


def main() -> None:
    from tests.support.servers import PostgresServer
    print(f"\nSweeps on the national data (PostgreSQL), in this process: nothing due (median of 3 runs; target "
          f"under {QUIET_TARGET_MS} ms), then {DUE:,} due for four of them (target for expiry: under "
          f"{EXPIRY_TARGET_S} s)")
    server = PostgresServer()
    try:
        with redis() as redis_url, national_database(server, redis_url) as url, portal_app(url, redis_url):
            every_minute, daily = portal_calls.sweeps()
            rows = []
            for sweep in every_minute + daily:
                runs = [timed(sweep) for _ in range(3)]
                median = statistics.median(t for t, _ in runs) * 1000
                acted = max(r for _, r in runs)
                rows.append([sweep.__name__, f"{median:.1f}", acted,
                             "meets" if median < QUIET_TARGET_MS and not acted else "misses"])
            print(table(rows, ["sweep (nothing due)", "ms", "acted on", f"< {QUIET_TARGET_MS} ms"]))

            sql = Sql()
            sweep_of = portal_calls.sweep
            done = [reminders(sql, sweep_of)]
            expired = expiry(sql, sweep_of)
            done.append(expired)
            mentees = [r[0] for r in sql.rows(f"SELECT mentee_id FROM mentor_request WHERE id IN "
                                              f"{ids_list(expired['ids'])}")]
            done.append(warnings(sql, sweep_of, mentees))
            done.append(surveys(sql, sweep_of))
            print()
            print(table([[d["name"], f"{d['seconds']:.1f}", d["runs"], f"{d['acted']:,}",
                          f"{d['seconds'] / max(d['acted'], 1) * 1000:.1f}", "yes" if d["ok"] else "NO"]
                         for d in done],
                        [f"sweep ({DUE:,} due)", "s", "runs", "acted on", "ms each", "each once, emails in outbox"]))
            for d in done:
                print(f"  {d['name']}: {d['check']}")
            seconds = expired["seconds"]
            print(f"  expiry of {DUE:,} requests: {seconds:.1f} s over {expired['runs']} runs, "
                  f"{'meets' if seconds < EXPIRY_TARGET_S else 'misses'} the target (< {EXPIRY_TARGET_S} s); "
                  f"run once a minute by cron, that is {expired['runs'] - 1} minutes before the last is expired")
            with portal_calls.database().cursor() as cursor:
                found = invariants.problems(cursor)
            print("  invariants after the sweeps: " + ("; ".join(found) or "all hold"))
    finally:
        server.close()


if __name__ == "__main__":
    main()
