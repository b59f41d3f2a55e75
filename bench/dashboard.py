"""The admin dashboard on the national data (PostgreSQL; bench/national.py), served by gunicorn.

Prints how many SQL queries a dashboard request makes (counted in-process) when it makes the page and
when the page is kept (each web server keeps it for 30 seconds), and the slowest of them; then req/s and
p50/p95/p99 for /admin/ with 1 admin and with 4 admins at once (wrk, one connection and one session each), beside /health. Target: p95
under 100 ms with 4 admins at once.
"""
import os
import re

from flask import g

from bench import national, portal_calls
from bench.harness import PASSWORD, compare, gunicorn, log_in, pinning, portal_app, redis, table

TARGET_MS = 100
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))


def count_queries(app) -> tuple[list, list]:
    """SQL statements of a dashboard request that makes the page (the first after logging in, which is a
    change of the admin's: see portal/admin/dashboard.py), slowest first; and of the next, given the page kept."""
    from tests.support.web import Web
    web = Web(app.test_client())
    web.login(national.admin_email(1), PASSWORD)
    found = []
    for _ in ("made", "kept"):
        # The test client reuses the app context this runs in, and flask-login's user in its g with it.
        g.pop("_login_user", None)
        with portal_calls.counting_queries() as seen:
            response = web.get("/admin/")
            assert response.status_code == 200, response.status_code
        found.append(sorted(seen, key=lambda event: -event.duration))
    return found[0], found[1]


def short(sql: str) -> str:
    """A query, recognisably: what it selects from and on what condition, without quotes or join conditions."""
    sql = re.sub(r" ON \(\S+ = \S+\)", "", " ".join(sql.split()).replace('"', ""))
    start = sql.find(" FROM ")
    if start > 100:  # a long list of columns
        sql = "SELECT ..." + sql[start:]
    return sql[:160]


def main() -> None:
    from tests.support.servers import PostgresServer
    print("\nDashboard on the national data (PostgreSQL): gunicorn 2 workers x 4 threads; wrk with 1 and with 4 "
          "admins "
          f"at once (a connection and a session each), 3 rounds of {SECONDS:g} s, median round shown; {pinning()}")
    server = PostgresServer()
    try:
        with redis() as redis_url, national.national_database(server, redis_url) as url:
            with portal_app(url, redis_url) as app:
                slowest, kept = count_queries(app)
            total = sum(e.duration for e in slowest) * 1000
            print(f"  a dashboard request making the page asks {len(slowest)} SQL queries ({total:.0f} ms in all, "
                  f"in-process), one given the page kept {len(kept)}; the slowest:")
            for event in slowest[:5]:
                print(f"  {event.duration * 1000:>7.1f} ms  {short(event.sql)}")
            with gunicorn(url, redis_url) as (port, _):
                cookies = [log_in(port, national.admin_email(n)).cookie for n in range(1, 5)]
                found = compare({"/health": (port, "/health", cookies[:1]),
                                 "/admin/, 1 admin": (port, "/admin/", cookies[:1]),
                                 "/health, 4 at once": (port, "/health", cookies),
                                 "/admin/, 4 admins at once": (port, "/admin/", cookies)},
                                seconds=SECONDS)
    finally:
        server.close()
    print(table([[route, f"{f['rps']:.1f}", f"{f['p50']:.1f}", f"{f['p95']:.1f}", f"{f['p99']:.1f}", f["errors"]]
                 for route, f in found.items()], ["route", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"]))
    for route in ("/admin/, 1 admin", "/admin/, 4 admins at once"):
        p95 = found[route]["p95"]
        print(f"  {route}: p95 {p95:.1f} ms, {'meets' if p95 < TARGET_MS else 'misses'} the target (< {TARGET_MS} ms "
              "with 4 admins at once)")


if __name__ == "__main__":
    main()
