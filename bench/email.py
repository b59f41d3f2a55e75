"""Email delivery: the portal's own worker (`flask --app app worker --burst`) sending outbox rows to a
local aiosmtpd, on PostgreSQL.

0. For comparison, 300 emails delivered in this process by calling the worker's job function in turn:
   what one email costs without RQ.
1. One worker (pinned to core 0 where there are two) sends 1,000 queued emails: emails per second,
   from the worker's start to its exit, and between the first and the last message the SMTP server
   took (the worker's start-up left out). Target: at least 200 a second per worker.
   Then the same with the 1,000 queued as a sweep's emails are, 50 a job (portal.core.mail.queue_deliveries).
2. Two workers (unpinned) drain 10,000 queued emails (BENCH_EMAILS to change): none lost and none
   sent twice, counted by Message-ID at the SMTP server, and every outbox row sent, on its first try.

The emails are written to the outbox in bulk (with bodies the size of a real one) and their delivery
queued as the portal queues it after a commit.
"""
import collections
import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

from bench import portal_calls
from bench.harness import ROOT, databases, environ, pinned, portal_app, redis, stop

IN_PROCESS, ONE_WORKER, TWO_WORKERS = 300, 1_000, int(os.environ.get("BENCH_EMAILS", "10000"))
TARGET = 200
TEXT = ("Hello Sam,\n\nPriya Shah would like you as their mentor. They are an ST3 in Medicine, and would like "
        "to talk about coming back after a year away.\n\n" + "A line of the email, as long as a real one. " * 20 +
        "\n\nAnswer by Monday 7 December: http://127.0.0.1/respond/ImFiYyI.bench-token\n\nThe peer mentoring team\n")
HTML = "<html><body>" + "".join(f"<p>{line}</p>" for line in TEXT.splitlines() if line) + "</body></html>"


class Counter:
    """An aiosmtpd handler that counts messages by Message-ID and notes when each arrived."""

    def __init__(self):
        self.ids: collections.Counter = collections.Counter()
        self.arrivals: list[float] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.original_content or envelope.content, re.M | re.I)
        with self.lock:
            self.ids[found.group(1).decode() if found else "(none)"] += 1
            self.arrivals.append(time.perf_counter())
        return "250 OK"

    def clear(self):
        with self.lock:
            self.ids.clear()
            self.arrivals.clear()


def queue_emails(count: int, queue: bool = True) -> list[int]:
    """`count` outbox rows, their deliveries queued (or not). Returns their ids."""
    from portal.models import Email
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    database = portal_calls.database()
    rows = [{"to_address": f"mentor{n}@bench.example", "template": "request_new", "subject": "Sam would like you as "
             "their mentor", "text_body": TEXT, "html_body": HTML, "attachments": [], "created_at": now,
             "next_attempt_at": now} for n in range(count)]
    ids = []
    with database.atomic():
        for start in range(0, count, 500):
            ids += [r.id for r in Email.insert_many(rows[start:start + 500]).returning(Email.id).execute()]
    for email_id in ids if queue else []:
        portal_calls.queue_delivery(email_id)
    return ids


def message_ids(ids: list[int]) -> dict[int, str]:
    """The Message-ID the worker gives each outbox row (jobs/email.py: portal.<id>.<created>@<domain>)."""
    from portal.models import Email
    created = {e.id: e.created_at for e in Email.select(Email.id, Email.created_at).where(Email.id.in_(ids))}
    return {i: f"<portal.{i}.{created[i]:%Y%m%d%H%M%S%f}@example.org>" for i in ids}


def run_workers(count: int, env: dict, pin: bool) -> float:
    """`count` burst workers at once, until each has emptied the queue and stopped; their seconds."""
    command = [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", "--log-level", "WARNING"]
    started = time.perf_counter()
    processes = [subprocess.Popen(pinned(command, n) if pin else command, cwd=ROOT, env=env) for n in range(count)]
    try:
        for process in processes:
            process.wait(timeout=3600)
    finally:
        for process in processes:
            stop(process)
    return time.perf_counter() - started


def outbox_states(ids: list[int]) -> dict:
    from portal.models import Email
    found = collections.Counter()
    for e in Email.select(Email.status, Email.attempts).where(Email.id.in_(ids)):
        found[(e.status, e.attempts)] += 1
    return dict(found)


def drained(counter: Counter, ids: list[int]) -> tuple[int, int, int]:
    """(lost, sent twice or more, arrived that were not ours)."""
    expected = set(message_ids(ids).values())
    with counter.lock:
        seen = dict(counter.ids)
    lost = sum(1 for m in expected if m not in seen)
    twice = sum(1 for m, n in seen.items() if m in expected and n > 1)
    strangers = sum(n for m, n in seen.items() if m not in expected)
    return lost, twice, strangers


def main() -> None:
    from tests.support.servers import SmtpServer
    print(f"\nEmail: the portal's worker (flask worker --burst) to a local aiosmtpd, PostgreSQL; target "
          f">= {TARGET} emails/s per worker")
    counter = Counter()
    smtp = SmtpServer(mailbox=counter)
    try:
        with redis() as redis_url, databases(sqlite=False) as targets:
            _, url = targets[0]
            env = environ(url, redis_url, SMTP_URL=smtp.url)
            with portal_app(url, redis_url, SMTP_URL=smtp.url):
                ids = queue_emails(IN_PROCESS, queue=False)
                started = time.perf_counter()
                results = collections.Counter(portal_calls.deliver(i) for i in ids)
                seconds = time.perf_counter() - started
                print(f"  in this process, no RQ: {IN_PROCESS} emails in {seconds:.1f} s, "
                      f"{IN_PROCESS / seconds:.0f} emails/s "
                      f"({dict(results)})")
                counter.clear()
                ids = queue_emails(ONE_WORKER)
                seconds = run_workers(1, env, pin=True)
                lost, twice, strangers = drained(counter, ids)
                with counter.lock:
                    arrivals = sorted(counter.arrivals)
                steady = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0
                rate = ONE_WORKER / seconds
                print(f"  1 worker, {ONE_WORKER:,} emails: {seconds:.1f} s from start to exit, {rate:.0f} emails/s "
                      f"({steady:.0f}/s between the first and last arrival): "
                      f"{'meets' if min(rate, steady) >= TARGET else 'misses'} the target of {TARGET}/s")
                print(f"    lost {lost}, sent twice {twice}, outbox {outbox_states(ids)}")

                counter.clear()
                ids = queue_emails(ONE_WORKER, queue=False)
                portal_calls.queue_deliveries(ids)
                seconds = run_workers(1, env, pin=True)
                lost, twice, strangers = drained(counter, ids)
                with counter.lock:
                    arrivals = sorted(counter.arrivals)
                steady = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0
                rate = ONE_WORKER / seconds
                print(f"  1 worker, {ONE_WORKER:,} emails queued as a sweep's, 50 a job: {seconds:.1f} s from start to "
                      f"exit, {rate:.0f} emails/s ({steady:.0f}/s between the first and last arrival): "
                      f"{'meets' if min(rate, steady) >= TARGET else 'misses'} the target of {TARGET}/s")
                print(f"    lost {lost}, sent twice {twice}, outbox {outbox_states(ids)}")

                counter.clear()
                ids = queue_emails(TWO_WORKERS)
                seconds = run_workers(2, env, pin=False)
                lost, twice, strangers = drained(counter, ids)
                states = outbox_states(ids)
                ok = not lost and not twice and not strangers and states == {("sent", 1): TWO_WORKERS}
                print(f"  2 workers, {TWO_WORKERS:,} emails: drained in {seconds:.1f} s ({TWO_WORKERS / seconds:.0f} "
                      f"emails/s, {TWO_WORKERS / seconds / 2:.0f} per worker); at the SMTP server: lost {lost}, sent "
                      f"twice {twice}, unknown {strangers}; outbox (status, tries): {states}: "
                      f"{'none lost, none twice' if ok else 'NOT as it should be'}")
    finally:
        smtp.close()


if __name__ == "__main__":
    main()
