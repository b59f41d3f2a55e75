"""What the benchmarks share: throwaway databases, a real gunicorn serving the portal (or the bare
Flask app), wrk as the load generator, and a small browser for signing in and sending forms.

With two or more cores, gunicorn runs on core 0 (`taskset -c 0`) and wrk on core 1, so the load
generator does not take the server's CPU. PostgreSQL and Redis are not pinned: they are the
machine's (or a throwaway cluster's) own processes.
"""
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from tests.support.servers import PostgresServer, RedisServer, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
# Test people's password, hashed cheaply (the portal's own hashes are scrypt, which is for attackers).
PASSWORD = "tulip orbit kettle"
# The gunicorn settings of every benchmark, the bare app's included.
WORKERS, THREADS = 2, 4


def cores() -> int:
    return len(os.sched_getaffinity(0))


def pinned(command: list[str], core: int) -> list[str]:
    """`command` on one core when the machine has two or more (and taskset), else as it is."""
    if cores() >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(core), *command]
    return command


SERVER_CORE, CLIENT_CORE = 0, 1


def pinning() -> str:
    if cores() >= 2 and shutil.which("taskset"):
        return "gunicorn on core 0 and wrk on core 1 (taskset); PostgreSQL and Redis unpinned"
    return "no pinning (one core)"


def password_hash() -> str:
    from werkzeug.security import generate_password_hash
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@contextlib.contextmanager
def databases(sqlite: bool = True, postgres: bool = True):
    """(name, url) for a fresh SQLite file and a fresh PostgreSQL database, dropped afterwards."""
    folder = tempfile.mkdtemp(prefix="portal-bench-")
    server = PostgresServer() if postgres else None
    pg_url = server.create_database() if server else None
    try:
        yield ([("SQLite", f"sqlite:///{folder}/bench.db")] if sqlite else []) + (
            [("PostgreSQL", pg_url)] if pg_url else [])
    finally:
        if server:
            server.drop_database(pg_url)
            server.close()
        shutil.rmtree(folder, ignore_errors=True)


def environ(database_url: str, redis_url: str, **extra) -> dict:
    return {**os.environ, "PORTAL_ENV": "production", "SECRET_KEY": "bench", "DATABASE_URL": database_url,
            "REDIS_URL": redis_url, "SMTP_URL": "smtp://127.0.0.1:9", "BASE_URL": "http://127.0.0.1",
            **{k: str(v) for k, v in extra.items()}}


@contextlib.contextmanager
def portal_app(database_url: str, redis_url: str, **extra):
    """The app, in this process, with the migrations applied: for loading data and calling the portal."""
    from bench import portal_calls
    from portal import create_app
    app = create_app(environ=environ(database_url, redis_url, **extra))
    with app.app_context():
        portal_calls.upgrade()
        yield app
    portal_calls.close_all()


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def gunicorn(database_url: str, redis_url: str, app: str = "app:app", workers: int = WORKERS,
             threads: int = THREADS, core: int | None = SERVER_CORE, **extra):
    """gunicorn serving `app` (the portal, or bench.hello:app) on a free port, as the Procfile serves it
    (gunicorn.conf.py); yields (port, process). Its log lines go to a file: a line a request is part of what
    a request costs, but would bury the figures."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app]
    log = tempfile.NamedTemporaryFile(prefix="portal-bench-gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen(pinned(command, core) if core is not None else command, cwd=ROOT,
                               stdout=log, stderr=log,
                               env={**environ(database_url, redis_url, **extra),
                                    "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
                                    "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)})
    try:
        try:
            wait_for_port(port, timeout=30)
        except RuntimeError:
            print(Path(log.name).read_text(errors="replace")[-3000:])
            raise
        yield port, process
    finally:
        stop(process)
        log.close()
        os.unlink(log.name)


def wrk(port: int, path: str, cookie: str | list[str] = "", seconds: float = 5.0, connections: int = 32) -> dict:
    """wrk against GET path: requests per second, p50/p95/p99 (ms), and errors (non-2xx/3xx answers,
    connection errors, timeouts). A list of cookies: one wrk thread and connection per cookie, each
    signed in as its own person."""
    env = dict(os.environ)
    threads = 1
    command = ["wrk", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(WRK_SCRIPT)]
    if isinstance(cookie, list):
        env["WRK_COOKIES"] = "\n".join(cookie)
        threads = connections = len(cookie)
        command[1] = f"-c{connections}"
    elif cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += [f"-t{threads}", f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(pinned(command, CLIENT_CORE), capture_output=True, text=True, check=True, env=env).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT "))
    found = json.loads(line.removeprefix("WRK_RESULT "))
    errors = sum(found[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {"requests": found["requests"], "rps": found["requests"] / (found["duration_us"] / 1e6),
            "p50": found["p50_us"] / 1000, "p95": found["p95_us"] / 1000, "p99": found["p99_us"] / 1000,
            "max": found["max_us"] / 1000, "errors": errors}


def check_page(port: int, path: str, cookie: str | list[str] = "", expect: int = 200) -> None:
    """One GET first: a route that does not answer `expect` would measure an error page."""
    for one in (cookie if isinstance(cookie, list) else [cookie]):
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path, headers={"Cookie": one} if one else {})
        response = connection.getresponse()
        response.read()
        if response.status != expect:
            raise RuntimeError(f"GET {path} answered {response.status}, not {expect}")


def compare(routes: dict, rounds: int = 3, seconds: float = 5.0, connections: int = 32, warm: float = 1.0) -> dict:
    """routes: name -> (port, path, cookie), the cookie a string or a list (one connection per cookie).
    Each is warmed up, then measured in turn, round after round, so a busy moment on a shared machine
    lands on all of them alike; the round with the median throughput stands for each route."""
    for port, path, cookie in routes.values():
        check_page(port, path, cookie)
        if warm:
            wrk(port, path, cookie, seconds=warm, connections=connections)
    runs = {name: [] for name in routes}
    for _ in range(rounds):
        for name, (port, path, cookie) in routes.items():
            runs[name].append(wrk(port, path, cookie, seconds=seconds, connections=connections))
    chosen = {}
    for name, found in runs.items():
        median = sorted(found, key=lambda f: f["rps"])[len(found) // 2]
        chosen[name] = {**median, "errors": sum(f["errors"] for f in found)}
    return chosen


class Browser:
    """Just enough of a browser for the benchmarks: keeps cookies (Secure ones too: the benchmarks
    talk plain HTTP to the production settings), reads a form's CSRF token, follows no redirects."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                content = rest.split(";")[0]
                if "expires=thu, 01 jan 1970" in value.lower() or "max-age=0" in value.lower():
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = content
        connection.close()
        return response.status, text, dict((k.lower(), v) for k, v in response.getheaders())

    def get(self, path: str) -> tuple[int, str, dict]:
        return self.request("GET", path)

    def submit(self, page_path: str, action: str, fields: dict) -> tuple[int, str, dict]:
        """GET page_path, then POST fields (with the page's CSRF token) to action."""
        status, page, _ = self.get(page_path)
        assert status == 200, f"GET {page_path}: {status}"
        return self.request("POST", action, {"csrf_token": csrf_token(page), **fields})


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def log_in(port: int, email: str, password: str = PASSWORD) -> Browser:
    """A browser signed in as `email`, through the real login form."""
    browser = Browser(port)
    status, _, headers = browser.submit("/login", "/login", {"email": email, "password": password})
    assert status == 302, f"login as {email} failed: {status}"
    return browser


@contextlib.contextmanager
def redis():
    """A redis-server of the benchmark's own (or REDIS_URL when set)."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    server = RedisServer()
    try:
        yield server.url
    finally:
        server.close()


def table(rows: list[list], headers: list[str]) -> str:
    """Rows as a text table: the first column left-aligned, the rest right-aligned."""
    cells = [headers] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)

