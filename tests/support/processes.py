"""The portal's own processes, started the way production starts them: the Procfile's commands
(gunicorn with gunicorn.conf.py, `flask --app app worker` and `flask --app app cron`). Each runs in a
process group of its own, so a test can kill one outright (with the children RQ forks for each job),
and every one is stopped at the end. And `Visitor`, a person's browser speaking plain HTTP to them."""
import html
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPMessage
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from portal.dev.launcher import path_with_these_programs, procfile
from tests.support.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
PROCFILE = procfile()


class Processes:
    def __init__(self, logs: Path, environ: dict | None = None):
        self.environ = {**os.environ, "PYTHONPATH": str(ROOT), **(environ or {}), "PATH": path_with_these_programs()}
        self.logs = logs
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], **environ) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(command, cwd=ROOT, env={**self.environ, **environ}, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.running.append((name, process))
        return process

    def web(self, name: str = "web", workers: int | None = None, threads: int | None = None, wait: bool = True) -> int:
        """A gunicorn serving the portal; its port, once it answers (unless told not to wait). Its
        workers and threads are gunicorn.conf.py's unless given (as production gives them, in the
        environment); it is given less time to stop than production."""
        port = free_port()
        sizes = {key: str(value) for key, value in (("WEB_CONCURRENCY", workers), ("WEB_THREADS", threads)) if value}
        self.start(name, PROCFILE["web"], GUNICORN_CMD_ARGS=f"--bind 127.0.0.1:{port} --graceful-timeout 5", **sizes)
        if wait:
            wait_for_web(port)
        return port

    def worker(self, name: str = "worker") -> subprocess.Popen:
        return self.start(name, PROCFILE["worker"])

    def cron(self, name: str = "cron") -> subprocess.Popen:
        return self.start(name, PROCFILE["cron"])

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the process and everything it started, as when its machine or container dies.
        (RQ's work horse, the child that runs a job, is in a session of its own, so killing the
        worker's process group alone would leave it running.)"""
        _kill_tree(process)

    def alive(self, name: str) -> bool:
        return any(n == name and p.poll() is None for n, p in self.running)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs_text(self) -> str:
        return "\n".join(f"--- {path.stem} ---\n{path.read_text(errors='replace')[-3000:]}"
                         for path in sorted(self.logs.glob("*.log")))

    def stop(self) -> None:
        for _, process in self.running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in self.running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
            _kill_tree(process)  # whatever is left of it
        self.running.clear()


def wait_for_web(port: int) -> None:
    wait_for_port(port, timeout=60)
    Visitor(port).get("/health")  # the master listens before its workers have loaded the app


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)  # its own group: start_new_session made it the leader
    except ProcessLookupError:
        pass


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        found.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return found


def _kill_tree(process: subprocess.Popen) -> None:
    children = _children()
    tree, todo = [], [process.pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    _signal_group(process, signal.SIGKILL)
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=30)


def eventually(check, timeout: float = 30.0, what: str = "it"):
    """Wait for check() to return something true, and return it: for work other processes do."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        time.sleep(0.1)


TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
TAG = re.compile(r"<[^>]+>")


@dataclass
class Page:
    status: int
    headers: HTTPMessage
    text: str

    @property
    def words(self) -> str:
        return " ".join(html.unescape(TAG.sub(" ", self.text)).split())

    @property
    def token(self) -> str:
        found = TOKEN.search(self.text)
        assert found, f"no CSRF token on the page ({self.status}): {self.words[:300]}"
        return found.group(1) or found.group(2)


class Visitor:
    """One person's browser: its own cookies, one request per connection, redirects not followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, port: int | None = None) -> Page:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = HTTPConnection("127.0.0.1", port or self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = Page(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if not morsel.value or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return page

    def get(self, path: str, **kwargs) -> Page:
        return self.request("GET", path, **kwargs)

    def token(self, **kwargs) -> str:
        """The CSRF token of this browser's session, from the home page (or where it sends them)."""
        page = self.get("/", **kwargs)
        if page.status in (301, 302, 303):
            page = self.get(urlsplit(page.headers["Location"])._replace(scheme="", netloc="").geturl(), **kwargs)
        return page.token

    def submit(self, path: str, data: dict, token: str | None = None, **kwargs) -> Page:
        """POST a form, with the CSRF token given (that of a page this browser was shown), else a fresh one."""
        return self.request("POST", path, {**data, "csrf_token": token or self.token(**kwargs)}, **kwargs)

    def login(self, email: str, password: str) -> "Visitor":
        page = self.submit("/login", {"email": email, "password": password})
        assert page.status == 302, page.words[:500]
        return self
