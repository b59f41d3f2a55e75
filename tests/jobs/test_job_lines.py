"""Each job and each sweep writes one line in the form of a request's: its id, what it is, how it
ended, its result, the time it took, and the request that queued it. (tests/faults/test_logs.py reads
what a real `flask worker` writes.)"""
import re

from jobs.sweeps import expire_requests
from tests.support.forms import signup_form
from tests.support.jobs import sweep
from tests.support.logs import written_lines

JOB_LINE = re.compile(r"INFO jobs request_id=(?P<id>\S+) route=(?P<route>\S+) status=ok result=(?P<result>\S+) "
                      r"duration_ms=\d+\.\d( queued_by=(?P<queued_by>\S+))?$")


def test_a_job_writes_one_line_naming_the_request_that_queued_it(app, web, run_jobs, mailbox):
    with written_lines() as lines:
        signed_up = web.submit("/signup", signup_form())
        run_jobs()
    [job] = [JOB_LINE.search(line) for line in lines() if " jobs " in line]
    assert job and (job["route"], job["result"]) == ("job:deliver", "sent")
    assert job["queued_by"] == signed_up.headers["X-Request-ID"] != job["id"]
    ours = [line for line in lines() if " mail.log " not in line]  # aiosmtpd's, the test's SMTP server
    assert not [line for line in ours if "bloggs" in line.lower()]
    assert mailbox.wait_for("jo.bloggs@example.org", "Confirm your email address")


def test_a_sweep_writes_its_result(app):
    with written_lines() as lines:
        sweep(app, expire_requests, "2026-11-02T10:00")
    [line] = [JOB_LINE.search(line) for line in lines() if " jobs " in line]
    assert line and (line["route"], line["result"], line["queued_by"]) == ("sweep:expire_requests", "0", None)
