"""The soak test: the whole journey for 10 minutes (or the minutes given: `python -m bench soak 2`, or
`make bench BENCH="soak 2"`) on the national data (PostgreSQL; bench/national.py).

Runs what production runs: 2 gunicorn servers (2 workers x 4 threads each), 2 RQ workers
(`flask --app app worker`) sending to a local aiosmtpd, and the cron scheduler (`flask --app app
cron`, the sweeps every minute); locust (headless, bench/soak_locustfile.py) plays 300 people:
mentees browsing and filtering, mentees asking (plain asks), mentors answering from the link in
their email, pairs planning and confirming sessions, admins on the dashboard.

Prints locust's figures (requests, failures, p50/p95/p99, per route), the memory (RSS) of every
gunicorn worker and RQ worker sampled over the run, flat or not after warm-up (the first fifth of
the run, at least a minute); then, once the outbox has drained, whether every email written during
the run was delivered exactly once (by Message-ID at the SMTP server), and the database's invariants.
Success: no errors, p95 under 250 ms, every email delivered once, invariants intact, memory flat
(within 10%).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil
import psycopg2

from bench import invariants, national
from bench.email import Counter
from bench.harness import PASSWORD, ROOT, environ, gunicorn, redis, stop, table

USERS = 300
P95_TARGET_MS = 250
DRAIN_SECONDS = 300


def people(url: str) -> dict:
    """Who plays whom, chosen from the national data in SQL."""
    connection = psycopg2.connect(url)
    cursor = connection.cursor()

    def emails(sql: str) -> list:  # the first column
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]

    today = datetime.now(timezone.utc).date()
    open_mentors = f"""FROM mentor_profile m JOIN "user" u ON u.id = m.user_id
        WHERE u.password_hash IS NOT NULL AND m.listed AND NOT m.paused
          AND (m.leave_from IS NULL OR m.leave_until < '{today}')"""
    # The mentors who read their email and answer: 108 with free places, asked by the asking mentees.
    cursor.execute(f"SELECT m.id, u.email {open_mentors} AND m.capacity - m.places_taken >= 2 ORDER BY m.id LIMIT 108")
    answering = cursor.fetchall()
    found = {
        "admins": [national.admin_email(n) for n in range(1, national.ADMINS + 1)],
        # Mentees of every kind browse: matched, waiting, never asked (not deactivated).
        "browsers": emails("""SELECT u.email FROM mentee_profile p JOIN "user" u ON u.id = p.user_id
                              WHERE p.deactivated_at IS NULL ORDER BY p.id DESC LIMIT 1700"""),
        # Mentees free to ask: not deactivated, not matched, not waiting.
        "askers": emails("""SELECT u.email FROM mentee_profile p JOIN "user" u ON u.id = p.user_id
                            WHERE p.deactivated_at IS NULL AND p.matched_at IS NULL AND NOT EXISTS (
                                SELECT 1 FROM mentor_request q WHERE q.mentee_id = p.id AND q.status = 'pending')
                            ORDER BY p.id DESC LIMIT 600"""),
        "answering_mentor_ids": [m for m, _ in answering],
        "answering_mentors": [e for _, e in answering],
        "mentor_ids": emails(f"SELECT m.id {open_mentors} ORDER BY m.id LIMIT 3000"),
    }
    # Pairs with a session still to book: fewer than their allowance held and planned.
    cursor.execute("""SELECT r.id, mu.email, ou.email FROM relationship r
                      JOIN mentee_profile p ON p.id = r.mentee_id JOIN "user" mu ON mu.id = p.user_id
                      JOIN mentor_profile m ON m.id = r.mentor_id JOIN "user" ou ON ou.id = m.user_id
                      WHERE r.status = 'active' AND (SELECT COUNT(*) FROM mentoring_session s
                            WHERE s.relationship_id = r.id AND s.status IN ('held', 'proposed', 'confirmed'))
                            < p.sessions_allowed
                      ORDER BY r.id LIMIT 4000""")
    found["pairs"] = [list(row) for row in cursor.fetchall()]
    connection.close()
    return found


class Memory:
    """RSS of each gunicorn worker and RQ worker (and the cron scheduler), sampled every `every` seconds."""

    def __init__(self, groups: dict[str, subprocess.Popen], every: float = 10.0):
        self.groups = groups
        self.every = every
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.started = time.monotonic()

    def processes(self) -> dict[str, psutil.Process]:
        found = {}
        for name, popen in self.groups.items():
            try:
                parent = psutil.Process(popen.pid)
                if name.startswith("gunicorn"):
                    # gunicorn's workers: the children of its master (started pinned or not, the master is
                    # the process itself or taskset's exec of it).
                    for n, child in enumerate(sorted(parent.children(), key=lambda p: p.pid)):
                        found[f"{name} worker {n + 1}"] = child
                else:
                    found[name] = parent
            except psutil.NoSuchProcess:
                pass
        return found

    def run(self):
        while not self.stopping.wait(self.every):
            sample = {}
            for name, process in self.processes().items():
                try:
                    sample[name] = process.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.samples.append((time.monotonic() - self.started, sample))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()

    def report(self, warm_up: float) -> tuple[list[list], bool]:
        after = [(t, s) for t, s in self.samples if t >= warm_up]
        if len(after) < 2:
            return [], True
        names = sorted({n for _, s in after for n in s})
        rows, flat = [], True
        for name in names:
            values = [s[name] for _, s in after if name in s]
            first, last, peak = values[0], values[-1], max(values)
            growth = (last - first) / first
            flat &= abs(growth) <= 0.10
            rows.append([name, f"{first / 2**20:.1f}", f"{peak / 2**20:.1f}", f"{last / 2**20:.1f}", f"{growth:+.1%}",
                         "flat" if abs(growth) <= 0.10 else "GROWS"])
        return rows, flat


def locust_stats(prefix: Path) -> tuple[list[dict], dict]:
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return [r for r in rows if r["Name"] != "Aggregated"], total


def failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def wait_for_outbox(url: str, since_id: int, seconds: float) -> dict:
    """Wait until no outbox row written during the run is still to go; their states."""
    connection = psycopg2.connect(url)
    connection.autocommit = True
    cursor = connection.cursor()
    deadline = time.monotonic() + seconds
    while True:
        cursor.execute("SELECT status, COUNT(*) FROM email WHERE id > %s GROUP BY status", (since_id,))
        states = dict(cursor.fetchall())
        if not states.get("queued") and not states.get("sending") or time.monotonic() > deadline:
            connection.close()
            return states
        time.sleep(2)


def main(minutes: float = 10.0) -> None:
    from tests.support.servers import PostgresServer, SmtpServer
    seconds = int(minutes * 60)
    warm_up = max(60.0, seconds / 5)
    print(f"\nSoak: {USERS} people (locust, headless) for {minutes:g} minutes on the national data (PostgreSQL): "
          "2 gunicorn servers (2 workers x 4 threads), 2 RQ workers, the cron scheduler, aiosmtpd; unpinned",
          flush=True)
    counter = Counter()
    smtp = SmtpServer(mailbox=counter)
    server = PostgresServer()
    folder = Path(tempfile.mkdtemp(prefix="portal-soak-"))
    try:
        with redis() as redis_url, national.national_database(server, redis_url) as url:
            extra = {"SMTP_URL": smtp.url}
            connection = psycopg2.connect(url)
            cursor = connection.cursor()
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM email")
            since_id = cursor.fetchone()[0]
            connection.close()
            cast = people(url)
            (folder / "people.json").write_text(json.dumps(cast))
            env = environ(url, redis_url, **extra)
            command = [sys.executable, "-m", "flask", "--app", "app"]
            workers = [subprocess.Popen(command + ["worker", "--log-level", "WARNING"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=open(folder / f"worker{n}.log", "w"))
                       for n in (1, 2)]
            cron = subprocess.Popen(command + ["cron"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                    stderr=open(folder / "cron.log", "w"))
            try:
                with gunicorn(url, redis_url, core=None, **extra) as (port_a, web_a), \
                        gunicorn(url, redis_url, core=None, **extra) as (port_b, web_b):
                    groups = {"gunicorn A": web_a, "gunicorn B": web_b, "RQ worker 1": workers[0],
                              "RQ worker 2": workers[1], "cron scheduler": cron}
                    prefix = folder / "soak"
                    locust_env = {**os.environ, "SOAK_PEOPLE": str(folder / "people.json"),
                                  "SOAK_HOSTS": f"http://127.0.0.1:{port_a} http://127.0.0.1:{port_b}",
                                  "SOAK_PASSWORD": PASSWORD, "SOAK_DATABASE_URL": url}
                    started = time.monotonic()
                    with Memory(groups) as memory:
                        locustfile = str(ROOT / "bench" / "soak_locustfile.py")
                        subprocess.run([sys.executable, "-m", "locust", "-f", locustfile,
                                        "--headless", "-u", str(USERS), "-r", "20", "-t", f"{seconds}s", "--csv",
                                        str(prefix), "--only-summary", "--loglevel", "WARNING",
                                        "--host", f"http://127.0.0.1:{port_a}", "--stop-timeout", "30"],
                                       cwd=ROOT, env=locust_env, stdout=open(folder / "locust.log", "w"),
                                       stderr=subprocess.STDOUT)
                        ran = time.monotonic() - started
                        drain_started = time.monotonic()
                        states = wait_for_outbox(url, since_id, DRAIN_SECONDS)
                        drained = time.monotonic() - drain_started
            finally:
                for process in workers + [cron]:
                    stop(process)
            routes, total = locust_stats(prefix)
            failed = failures(prefix)
            report(routes, total, failed, memory, warm_up, ran, states, drained, url, since_id, counter, folder)
    finally:
        smtp.close()
        server.close()


def report(routes, total, failed, memory, warm_up, ran, states, drained, url, since_id, counter, folder) -> None:
    rows = [[f"{r['Type']} {r['Name']}", r["Request Count"], r["Failure Count"], r["Requests/s"][:6], r["50%"],
             r["95%"], r["99%"]]
            for r in sorted(routes, key=lambda r: -int(r["Request Count"]))]
    rows.append(["all", total["Request Count"], total["Failure Count"], total["Requests/s"][:6], total["50%"],
                 total["95%"], total["99%"]])
    print(f"  ran {ran:.0f} s; locust's figures (ms):")
    print(table(rows, ["route", "requests", "failures", "req/s", "p50", "p95", "p99"]))
    for f in failed[:10]:
        print(f"  failure: {f['Method']} {f['Name']}: {f['Error']} ({f['Occurrences']} times)")
    memory_rows, flat = memory.report(warm_up)
    print(f"  memory (RSS, MiB) from the end of warm-up ({warm_up:.0f} s) to the end, sampled every "
          f"{memory.every:.0f} s:")
    print(table(memory_rows, ["process", "after warm-up", "peak", "at the end", "change", "within 10%"]))

    # Exactly once: every outbox row written during the run sent, and each Message-ID seen once at the server.
    connection = psycopg2.connect(url)
    cursor = connection.cursor()
    cursor.execute("SELECT id, created_at FROM email WHERE id > %s", (since_id,))
    expected = {f"<portal.{i}.{created:%Y%m%d%H%M%S%f}@example.org>" for i, created in cursor.fetchall()}
    with counter.lock:
        seen = dict(counter.ids)
    lost = sum(1 for m in expected if m not in seen)
    twice = sum(1 for m in expected if seen.get(m, 0) > 1)
    strangers = sum(n for m, n in seen.items() if m not in expected)
    invariant_problems = invariants.problems(cursor)
    connection.close()
    p95 = float(total["95%"])
    errors = int(total["Failure Count"])
    print(f"  outbox: {len(expected):,} emails written during the run, drained {drained:.0f} s after it ended "
          f"({', '.join(f'{n:,} {s}' for s, n in sorted(states.items()))}); at the SMTP server: {len(seen):,} "
          f"Message-IDs, lost {lost}, twice {twice}, unknown {strangers}")
    print("  invariants: " + ("; ".join(invariant_problems) or "all hold (no mentor over capacity, every request "
                                                                 "in a legal state)"))
    verdicts = [("no errors", errors == 0), (f"p95 {p95:.0f} ms < {P95_TARGET_MS} ms", p95 < P95_TARGET_MS),
                ("every email delivered exactly once", not lost and not twice and not strangers
                 and set(states) <= {"sent"}),
                ("invariants intact", not invariant_problems), ("memory flat after warm-up (within 10%)", flat)]
    print("  " + "; ".join(f"{what}: {'yes' if ok else 'NO'}" for what, ok in verdicts))
    print(f"  (logs of locust, the workers and cron: {folder})")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)
