"""`make audit`: Lighthouse on a simulated phone (its default: a mid-range phone on a slow 4G line)
against the portal as production serves it (the Procfile's gunicorn, compression on), loaded with the
demo data. Prints the four scores for each page of tests/support/demo_pages.py, what kept any score
below 100, and each page's weight over the wire. Slow (a minute or so a page on two cores), so it is
not part of `make test`.

Lighthouse drives Debian's chromium, never a browser of its own. The htmx CDN is out of reach here,
so the pinned npm copy (the same file: the SRI hash must match it) is served from a second port."""
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from portal.config import HTMX_CDN_SRI
from tests.support.demo_pages import demo_pages, load_demo, weigh, weights_table
from tests.support.portal import portal_here, production_environ
from tests.support.processes import Processes
from tests.support.servers import RedisServer

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
HTMX = HERE.parent / "tests" / "browser" / "vendor" / "node_modules" / "htmx.org" / "dist"
CHROMIUM = "/usr/bin/chromium"
NHS_FONTS = "https://assets.nhs.uk/*"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions"]


class CrossOrigin(SimpleHTTPRequestHandler):
    """A CDN's answer: the page loads htmx with crossorigin="anonymous", for its SRI check."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args):
        pass


def serve_htmx() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CrossOrigin, directory=str(HTMX)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(url: str, headers: dict, report: Path) -> dict:
    extra = report.with_suffix(".headers.json")
    extra.write_text(json.dumps(headers))
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
                    # The NHS font host is out of reach from here. Blocked, the page falls back to its other
                    # fonts as it would offline, and Lighthouse does not count the failed fetches as page errors.
                    f"--blocked-url-patterns={NHS_FONTS}",
                    *([f"--extra-headers={extra}"] if headers else [])],
                   check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return json.loads(report.read_text())


def shortfalls(result: dict) -> list[str]:
    """The audits that cost points, with their weight in their category."""
    found = []
    for category in result["categories"].values():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{category['id']}: {audit['id']} ({audit['score']:.2f}) {audit.get('displayValue', '')}")
    return found


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make audit`, which installs it.")
    folder = Path(tempfile.mkdtemp(prefix="portal-audit-"))
    redis, htmx = RedisServer(), serve_htmx()
    processes = Processes(folder)
    try:
        environ = production_environ(f"sqlite:///{folder}/portal.db", redis.url, "smtp://127.0.0.1:9",
                                     HTMX_URL=f"http://127.0.0.1:{htmx.server_port}/htmx.min.js", HTMX_SRI=HTMX_CDN_SRI)
        processes.environ.update(environ)
        app = portal_here(environ)
        load_demo(app)
        port = processes.web()
        print(f"{'page':<14}" + "".join(f"{name:>16}" for name in CATEGORIES))
        notes, pages = [], demo_pages(app, port)
        for name, (path, headers) in pages.items():
            result = lighthouse(f"http://127.0.0.1:{port}{path}", headers, folder / f"{name.replace(' ', '-')}.json")
            scores = [round(result["categories"][category]["score"] * 100) for category in CATEGORIES]
            print(f"{name:<14}" + "".join(f"{score:>16}" for score in scores), flush=True)
            notes += [f"{name}: {shortfall}" for shortfall in shortfalls(result)]
        print("\n".join(["", "Below 100 because of:", *notes]) if notes else "\nNothing cost a point.")
        print("\nCompressed, as sent:")
        print(weights_table({name: weigh(port, path, headers) for name, (path, headers) in pages.items()}))
        print(f"Lighthouse's reports: {folder}/*.json")
    finally:
        processes.stop()
        htmx.shutdown()
        redis.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
