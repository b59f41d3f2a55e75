"""`make run`: the whole portal on one machine, stopped together by Ctrl-C.

Applies migrations, loads the demo people into an empty database, starts Redis when none
answers at REDIS_URL, then runs the processes of the Procfile, as production runs them: the RQ
worker (with its scheduler), the cron scheduler for the sweeps and the web server (gunicorn).
"""
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from redis import Redis
from redis.exceptions import RedisError

from portal.core import db
from portal.dev import demo

PROCFILE = Path(__file__).resolve().parents[2] / "Procfile"


def procfile(path: Path = PROCFILE) -> dict[str, list[str]]:
    """The processes production runs, by name, as the Procfile's lines give them."""
    lines = [line.partition(":") for line in path.read_text().splitlines() if line.strip()]
    return {name.strip(): shlex.split(command) for name, _, command in lines}


def path_with_these_programs() -> str:
    """PATH with this virtual environment's programs first: the Procfile names them bare."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def _redis_answers(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1).ping())
    except (RedisError, OSError):
        return False


def _start_redis(url: str, folder: Path) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if not binary:
        raise SystemExit("redis-server is not installed: run `make run`, which installs it.")
    folder.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(url)
    # Redis only carries work here (the database holds the truth), so it keeps nothing on disk.
    process = subprocess.Popen([binary, "--bind", parts.hostname or "127.0.0.1", "--port", str(parts.port or 6379),
                                "--save", "", "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL)
    for _ in range(50):
        if _redis_answers(url):
            return process
        time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"Redis did not start on {url}.")


def main(app) -> int:
    with app.app_context():
        applied = db.upgrade()
        if applied:
            print("Database migrated:", ", ".join(applied))
        if demo.load():
            print("Demo data loaded.")
        demo.print_logins()

    children: list[subprocess.Popen] = []
    redis_url = app.config["REDIS_URL"]
    if not _redis_answers(redis_url):
        print(f"Starting Redis at {redis_url}")
        children.append(_start_redis(redis_url, Path(app.instance_path) / "redis"))

    port = os.environ.get("PORT", "5000")
    env = {"BASE_URL": f"http://127.0.0.1:{port}", **os.environ, "PORTAL_ENV": app.config["PORTAL_ENV"],
           "PATH": path_with_these_programs(), "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}"}
    processes = procfile()
    # The sweeps run every minute: a line for each would bury the web server's.
    for command in (processes["worker"] + ["--log-level", "WARNING"], processes["cron"], processes["web"]):
        children.append(subprocess.Popen(command, env=env, cwd=PROCFILE.parent))
    print(f"\nThe portal is at http://127.0.0.1:{port}  (emails: http://127.0.0.1:{port}/dev/mail)"
          "\nPress Ctrl-C to stop.\n", flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for child in reversed(children):
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    print("Stopped.")
    return 0
