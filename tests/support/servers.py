"""Real servers for the tests: Redis, an SMTP server, PostgreSQL. Each starts only what is missing
and stops what it started."""
import email
import email.policy
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg2
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} within {timeout}s")


class RedisServer:
    """A redis-server of our own on a free port, keeping nothing on disk."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server is not installed (make test installs it)")
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="portal-redis-")
        self.binary = binary
        self.process = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.folder], stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def close(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Mailbox:
    """What an aiosmtpd server on loopback received, as parsed messages."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)
            self.envelopes.append(envelope)
            self.arrived.notify_all()
        return "250 OK"

    def clear(self):
        with self.arrived:
            self.messages.clear()
            self.envelopes.clear()

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, subject: str = "", timeout: float = 10.0):
        """The newest message to `address` whose subject contains `subject`."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                found = [m for m in self.to(address) if subject in m["Subject"]]
                if found:
                    return found[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no email to {address} about {subject!r}; have "
                                         f"{[(m['To'], m['Subject']) for m in self.messages]}")
                self.arrived.wait(remaining)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


class SmtpServer:
    """aiosmtpd on loopback; `mailbox` and `server_class` (an aiosmtpd SMTP) change how it answers."""

    def __init__(self, port: int | None = None, mailbox: Mailbox | None = None, server_class=SMTP,
                 **controller_options):
        self.mailbox = mailbox or Mailbox()
        self.port = port or free_port()
        self.controller = _Controller(server_class, self.mailbox, hostname="127.0.0.1", port=self.port,
                                      **controller_options)
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def close(self):
        self.controller.stop()


class _Controller(Controller):
    def __init__(self, server_class, *args, **kwargs):
        self.server_class = server_class
        super().__init__(*args, **kwargs)

    def factory(self):
        return self.server_class(self.handler, **self.SMTP_kwargs)


class PostgresServer:
    """A PostgreSQL server to make test databases in: TEST_POSTGRES_URL, else one answering on
    127.0.0.1:5432, else a throwaway cluster started in a temporary folder (TEST_POSTGRES_URL=start
    asks for the throwaway cluster even when a server is running)."""

    def __init__(self):
        self.cluster = None
        url = os.environ.get("TEST_POSTGRES_URL")
        if url and url != "start":
            self.admin_url = url
        elif not url and self._answers("postgresql://postgres@127.0.0.1:5432/postgres"):
            self.admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
        else:
            self.cluster = ThrowawayCluster()
            self.admin_url = self.cluster.url

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            psycopg2.connect(url, connect_timeout=2).close()
            return True
        except psycopg2.OperationalError:
            return False

    def create_database(self) -> str:
        name = f"portal_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._admin(f'CREATE DATABASE "{name}"')
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{name}"

    def drop_database(self, url: str) -> None:
        name = url.rpartition("/")[2]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        connection = psycopg2.connect(self.admin_url)
        connection.autocommit = True
        try:
            connection.cursor().execute(sql)
        finally:
            connection.close()

    def close(self):
        if self.cluster:
            self.cluster.close()


class ThrowawayCluster:
    """initdb + pg_ctl in a temporary folder, on a free port, trusting local connections.

    PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user that
    Debian's package creates."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        bindir = Path(found[-1]).parent if found else Path(shutil.which("initdb") or "initdb").parent
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.port = free_port()
        self.prefix = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.data = self.folder / "data"
        self._run([str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, command):
        subprocess.run(self.prefix + command, check=True, stdout=subprocess.DEVNULL, cwd=self.folder)

    def start(self):
        """Start (or start again, on the same port and data) and wait until it takes connections."""
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.folder / "log"),
                   "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])

    def stop(self, mode: str = "fast"):
        """"fast" ends every session the way an administrator's restart does; "immediate" is a crash."""
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop"])

    def close(self):
        subprocess.run(self.prefix + [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.folder)  # stopped already is fine
        shutil.rmtree(self.folder, ignore_errors=True)
