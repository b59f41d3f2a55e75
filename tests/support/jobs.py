"""Running queued jobs with a real RQ worker, in burst mode."""
import logging
from datetime import datetime

import pytest
from rq import SimpleWorker

from portal.core.queue import enqueue


def work(app, failures: int = 0) -> None:
    """Work `app`'s queue until it is empty, inside `app`'s context (so with its settings);
    fails the test if any job failed, beyond the `failures` it expects."""
    from portal.core.queue import queue

    with app.app_context():
        q = queue()
        SimpleWorker([q], connection=q.connection).work(burst=True, logging_level=logging.WARNING)
        failed = q.failed_job_registry
        if failed.count != failures:
            if not failed.count:
                pytest.fail(f"expected {failures} failed job(s), none failed")
            job = q.fetch_job(failed.get_job_ids()[0])
            pytest.fail(f"{failed.count} job(s) failed; first: {job.func_name}\n{job.latest_result().exc_string}")


def sweep(app, job, *moments):
    """Queue a sweep at each moment (in the app's context, outside any request), then work the queue."""
    with app.app_context():
        for moment in moments:
            enqueue(job, datetime.fromisoformat(moment) if isinstance(moment, str) else moment)
    work(app)
