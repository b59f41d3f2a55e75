"""Jobs health: is work flowing? Queue length, failed jobs, the oldest email still waiting, when each
sweep last ran; and retrying emails that failed."""
from flask import flash, redirect, render_template, url_for
from peewee import fn
from redis.exceptions import RedisError

from portal.admin import bp
from portal.core import audit, clock, mail
from portal.core.access import me
from portal.core.queue import queue
from portal.models import Email, EmailStatus, SweepRun


def _queue_figures() -> dict:
    try:
        q = queue()
        return {"reachable": True, "queued": q.count, "failed": q.failed_job_registry.count,
                "scheduled": q.scheduled_job_registry.count}
    except (RedisError, OSError) as error:
        return {"reachable": False, "error": str(error)}


@bp.route("/health")
def health():
    waiting = Email.select(fn.COUNT(Email.id), fn.MIN(Email.created_at)).where(
        Email.status.in_([EmailStatus.QUEUED, EmailStatus.SENDING])).tuples().get()
    failed = list(Email.select().where(Email.status == EmailStatus.FAILED).order_by(Email.created_at.desc()).limit(50))
    return render_template("admin/health.html", queue=_queue_figures(), waiting=waiting[0], oldest=waiting[1],
                           failed=failed, sweeps=list(SweepRun.select().order_by(SweepRun.name)), now=clock.now())


@bp.route("/health/retry", methods=["POST"])
def retry_failed_emails():
    """Give every failed email a fresh set of tries, now."""
    now = clock.now()
    ids = [e.id for e in Email.select(Email.id).where(Email.status == EmailStatus.FAILED)]
    Email.update(status=EmailStatus.QUEUED, attempts=0, next_attempt_at=now, last_error=None).where(
        Email.id.in_(ids)).execute()
    for email_id in ids:
        mail.queue_delivery(email_id)
    audit.record(me(), "retried_emails", detail=f"{len(ids)} emails")
    flash(f"{len(ids)} {'email is' if len(ids) == 1 else 'emails are'} being tried again.", "success")
    return redirect(url_for("admin.health"))
