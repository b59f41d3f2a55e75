"""The audit log: every automatic action and every admin action, by who, what and when."""
import operator
from datetime import datetime, time, timedelta
from functools import reduce

from flask import current_app, url_for
from markupsafe import Markup
from peewee import JOIN, Value

from portal.admin import bp
from portal.admin.lists import Column, Filter, RecordList
from portal.core import clock
from portal.core.db import database
from portal.core.forms import DATE_FORMATS
from portal.models import (AuditEvent, InboxItem, MenteeProfile, MentoringSession, MentorProfile, MentorRequest,
                           Relationship, User, WaitlistEntry)
from portal.privacy.erasure import ERASED_NAME


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


def _one_person(kind, ids, model, user_column, name_column=User.name):
    """(kind, id, the person's id and name, two empty columns) for records of one person. An inbox item
    may come from someone with no login: its own name is the one it was sent with."""
    # Typed empties: PostgreSQL takes a UNION's column types from its first part.
    query = model.select(Value(kind), model.id, User.id, name_column, Value(None).cast("integer"),
                         Value(None).cast("text")).where(model.id.in_(ids))
    return query if model is User else query.join(User, JOIN.LEFT_OUTER, on=(user_column == User.id))


def _two_people(kind, ids, model):
    """(kind, id, the mentee's id and name, the mentor's) for records between a mentee and a mentor;
    a session's are its relationship's."""
    pair, mentee, mentor = Relationship if model is MentoringSession else model, User.alias(), User.alias()
    query = model.select(Value(kind), model.id, mentee.id, mentee.name, mentor.id, mentor.name)
    if pair is not model:
        query = query.join(pair, on=(model.relationship == pair.id))
    return (query.join(MenteeProfile, on=(pair.mentee == MenteeProfile.id))
            .join(mentee, on=(MenteeProfile.user == mentee.id))
            .switch(pair).join(MentorProfile, on=(pair.mentor == MentorProfile.id))
            .join(mentor, on=(MentorProfile.user == mentor.id)).where(model.id.in_(ids)))


# Each kind of record the log names: how to find its people, and how it reads ({0} the person, or the
# mentee; {1} the mentor). Any other kind (a text, say) shows as its kind and number.
RECORDS = {
    "user": (lambda ids: _one_person("user", ids, User, None), "{0}"),
    "menteeprofile": (lambda ids: _one_person("menteeprofile", ids, MenteeProfile, MenteeProfile.user), "{0} (mentee)"),
    "mentorprofile": (lambda ids: _one_person("mentorprofile", ids, MentorProfile, MentorProfile.user), "{0} (mentor)"),
    "mentorrequest": (lambda ids: _two_people("mentorrequest", ids, MentorRequest), "Request from {0} to {1}"),
    "relationship": (lambda ids: _two_people("relationship", ids, Relationship), "Mentoring of {0} with {1}"),
    "mentoringsession": (lambda ids: _two_people("mentoringsession", ids, MentoringSession),
                         "Session of {0} with {1}"),
    "waitlistentry": (lambda ids: _two_people("waitlistentry", ids, WaitlistEntry), "Waiting list: {0} for {1}"),
    "inboxitem": (lambda ids: _one_person("inboxitem", ids, InboxItem, InboxItem.user, InboxItem.name),
                  '<a href="{item}">Inbox item</a> from {0}'),
}


def _look_up_people(events) -> None:
    """The people of every record on the page, in one query (a UNION of a part for each kind of
    record there): each event's `people` is (id, name, id, name), or None for a kind not in RECORDS."""
    wanted = {}
    for event in events:
        if event.object_type in RECORDS and event.object_id is not None:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    parts = [RECORDS[kind][0](sorted(ids)) for kind, ids in sorted(wanted.items())]
    found = {(kind, object_id): people for kind, object_id, *people
             in (reduce(operator.add, parts).bind(database).tuples() if parts else [])}
    for event in events:
        event.people = found.get((event.object_type, event.object_id), (None, None, None, None)) \
            if event.object_type in RECORDS else None


def _person(user_id, name) -> Markup:
    if user_id is None:  # a sender with no login, or someone no longer held at all
        return Markup("{}").format(name or ERASED_NAME)
    return Markup('<a href="{}">{}</a>').format(url_for("admin.person", user_id=user_id), name)


def _record(event) -> Markup | str:
    if event.people is None:
        return f"{event.object_type.replace('profile', ' profile')} {event.object_id or ''}".strip()
    mentee_id, mentee_name, mentor_id, mentor_name = event.people
    item = url_for("admin.inbox_item", item_id=event.object_id) if event.object_type == "inboxitem" else ""
    return Markup(RECORDS[event.object_type][1]).format(_person(mentee_id, mentee_name),
                                                        _person(mentor_id, mentor_name), item=item)


def _log() -> RecordList:
    actor = User.alias()
    return RecordList(
        title="Audit log", endpoint="admin.audit_log", noun=("event", "events"), per_page=50,
        intro="Who did what to which record, and when. The portal's own actions show as 'the portal'. "
              "Nothing here records what anyone said.",
        rows=lambda: AuditEvent.select(AuditEvent, actor).join(actor, JOIN.LEFT_OUTER,
                                                               on=(AuditEvent.actor == actor.id)),
        look_up=_look_up_people,
        order=lambda query: query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
        filters=[Filter("who", "Who", _who, {"": "Anyone", "system": "The portal", "admins": "Admins",
                                             "people": "People (anyone signed in)"}),
                 Filter("action", "What", lambda q, v: q.where(AuditEvent.action == v), _actions()),
                 Filter("since", "From", _since, kind="date"),
                 Filter("until", "Until", _until, kind="date")],
        columns=[Column("When", lambda e: current_app.jinja_env.filters["date_time"](e.at)),
                 Column("Who", lambda e: e.actor.name if e.actor_id else "The portal",
                        lambda e: url_for("admin.person", user_id=e.actor_id) if e.actor_id else None),
                 Column("What", lambda e: e.action.replace("_", " ")),
                 Column("Record", _record),
                 Column("Detail", lambda e: e.detail)])


@bp.route("/audit")
def audit_log():
    return _log().render()
