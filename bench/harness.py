"""What the benchmarks share: throwaway databases, a real gunicorn serving the portal, and a load
generator that keeps connections open and records every request's latency."""
import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from tests.support.servers import PostgresServer, RedisServer, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def databases():
    """(name, url) for a fresh SQLite file and a fresh PostgreSQL database, dropped afterwards."""
    folder = tempfile.mkdtemp(prefix="portal-bench-")
    postgres = PostgresServer()
    pg_url = postgres.create_database()
    try:
        yield [("SQLite", f"sqlite:///{folder}/bench.db"), ("PostgreSQL", pg_url)]
    finally:
        postgres.drop_database(pg_url)
        postgres.close()


def environ(database_url: str, redis_url: str) -> dict:
    return {**os.environ, "PORTAL_ENV": "production", "SECRET_KEY": "bench", "DATABASE_URL": database_url,
            "REDIS_URL": redis_url, "SMTP_URL": "smtp://127.0.0.1:9", "BASE_URL": "http://127.0.0.1"}


@contextlib.contextmanager
def portal_app(database_url: str, redis_url: str):
    """The app, in this process, for loading data."""
    from portal import create_app
    from portal.core import db
    app = create_app(environ=environ(database_url, redis_url))
    with app.app_context():
        db.upgrade()
        yield app
    db.close_all()


@contextlib.contextmanager
def gunicorn(database_url: str, redis_url: str, workers: int = 2, threads: int = 4):
    """The portal served as the Procfile serves it (gunicorn.conf.py), its log lines kept in a file: one
    line a request is part of what a request costs, but would bury the figures."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="portal-bench-gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:app"], cwd=ROOT, stdout=log, stderr=log,
        env={**environ(database_url, redis_url), "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
             "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)})
    try:
        try:
            wait_for_port(port, timeout=30)
        except RuntimeError:
            print(Path(log.name).read_text(errors="replace")[-3000:])
            raise
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
        os.unlink(log.name)


def log_in(port: int, email: str, password: str) -> str:
    """A session cookie for `email`, through the real login form."""
    connection = HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "email": email, "password": password})
    connection.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    assert response.status == 302, f"login failed: {response.status}"
    return response.getheader("Set-Cookie").split(";")[0]


def load(port: int, path: str, cookie: str = "", seconds: float = 8.0, concurrency: int = 4) -> dict:
    """Requests per second and latency percentiles (ms) for GET path, from `concurrency` clients."""
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()

    def client():
        connection = HTTPConnection("127.0.0.1", port)
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(response.status)
        with lock:
            latencies.extend(mine)

    # Warm up: the workers' first requests open connections and fill caches.
    for _ in range(20):
        c = HTTPConnection("127.0.0.1", port)
        c.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        c.getresponse().read()
    started = time.perf_counter()
    deadline = started + seconds  # after the warm-up, so a slow route still gets its measured seconds
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} requests to {path} failed, e.g. status {errors[0]}")
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def compare(port: int, routes: dict, rounds: int = 3, seconds: float = 4.0, concurrency: int = 4) -> dict:
    """Each route measured in turn, round after round, so a busy moment on a shared machine lands
    on all of them alike; the round with the median throughput stands for each route."""
    runs = {name: [] for name in routes}
    for _ in range(rounds):
        for name, (path, cookie) in routes.items():
            runs[name].append(load(port, path, cookie, seconds=seconds, concurrency=concurrency))
    return {name: sorted(found, key=lambda f: f["rps"])[len(found) // 2] for name, found in runs.items()}


@contextlib.contextmanager
def redis():
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    server = RedisServer()
    try:
        yield server.url
    finally:
        server.close()
