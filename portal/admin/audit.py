"""The audit log: every automatic action and every admin action, by who, what and when."""
from datetime import datetime, time, timedelta

from flask import current_app, url_for
from peewee import JOIN

from portal.admin import bp
from portal.admin.lists import Column, Filter, RecordList
from portal.core import clock
from portal.core.forms import DATE_FORMATS
from portal.models import AuditEvent, User


def _day(value: str):
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _since(query, value):
    day = _day(value)
    return query.where(AuditEvent.at >= clock.from_london(datetime.combine(day, time()))) if day else query


def _until(query, value):
    day = _day(value)
    return query.where(AuditEvent.at < clock.from_london(datetime.combine(day + timedelta(days=1), time()))) \
        if day else query


def _who(query, value):
    if value == "system":
        return query.where(AuditEvent.actor.is_null())
    if value == "admins":
        return query.where(AuditEvent.actor.in_(User.select(User.id).where(User.is_admin)))
    return query.where(AuditEvent.actor.is_null(False))


def _actions() -> dict:
    found = AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return {"": "Anything", **{row.action: row.action.replace("_", " ") for row in found}}


def _log() -> RecordList:
    actor = User.alias()
    return RecordList(
        title="Audit log", endpoint="admin.audit_log", noun=("event", "events"), per_page=50,
        intro="Who did what to which record, and when. The portal's own actions show as 'the portal'. "
              "Nothing here records what anyone said.",
        rows=lambda: AuditEvent.select(AuditEvent, actor).join(actor, JOIN.LEFT_OUTER,
                                                               on=(AuditEvent.actor == actor.id)),
        order=lambda query: query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
        filters=[Filter("who", "Who", _who, {"": "Anyone", "system": "The portal", "admins": "Admins",
                                             "people": "People (anyone signed in)"}),
                 Filter("action", "What", lambda q, v: q.where(AuditEvent.action == v), _actions()),
                 Filter("since", "From", _since, kind="date"),
                 Filter("until", "Until", _until, kind="date")],
        columns=[Column("When", lambda e: current_app.jinja_env.filters["date_time"](e.at)),
                 Column("Who", lambda e: e.actor.name if e.actor_id else "The portal",
                        lambda e: url_for("admin.person", user_id=e.actor_id) if e.actor_id else "#"),
                 Column("What", lambda e: e.action.replace("_", " ")),
                 Column("Record", lambda e: f"{e.object_type.replace('profile', ' profile')} {e.object_id or ''}"),
                 Column("Detail", lambda e: e.detail)])


@bp.route("/audit")
def audit_log():
    return _log().render()
