"""The mentor directory: the one function that turns filter values into a page of mentors.

Who is offered: mentors who are open today (portal/rules/availability.py); full ones too when
SHOW_FULL_MENTORS is on (last, and marked). The number of queries for a page does not depend on
how many mentors there are.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from datetime import date

from peewee import SQL, Case, NodeList, fn

from portal.core import clock, reference
from portal.core.db import database
from portal.core.paging import Page, page_number, paginate
from portal.models import MentorOption, MentorProfile, User, available_on
from portal.register.profiles import choices_from_rows

PER_PAGE = 12
MAX_QUERY = 100
MAX_WORDS = 6


@dataclass(frozen=True)
class Filters:
    q: str = ""
    grade: str = ""
    school: str = ""
    trust: str = ""
    gender: str = ""
    mode: str = ""
    platform: str = ""
    day: str = ""
    place: str = ""

    def as_args(self, **changes) -> dict:
        """The filters as URL parameters, leaving out empty ones."""
        return {k: v for k, v in vars(replace(self, **changes)).items() if v}

    def __bool__(self) -> bool:
        return any(vars(self).values())


FILTER_NAMES = [f.name for f in fields(Filters)]


def known_values(trusts: list[str], places: list[str]) -> dict[str, dict[str, str]]:
    """value -> label for each filter with a fixed set of values."""
    return {
        "grade": {g: g for g in reference.GRADES},
        "school": {s: s for s in reference.SCHOOLS},
        "trust": {t: t for t in trusts},
        "gender": {g: g for g in reference.GENDERS},
        "mode": reference.MEETING_MODES,
        "platform": reference.PLATFORMS,
        "day": reference.DAYS,
        "place": {p.lower(): p for p in places},
    }


def parse(args, known: dict[str, dict[str, str]]) -> tuple[Filters, int, list[str]]:
    """Filters and page number from URL parameters, and notes on anything ignored.

    A value repeated counts once; where several differ, the first recognised one is used; an
    unknown one is ignored and said so. Nothing a URL holds makes the directory fail."""
    values, notes = {}, []
    for name in FILTER_NAMES:
        given = list(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
        if name == "q":
            values["q"] = " ".join(given[0].split())[:MAX_QUERY] if given else ""
            continue
        if name == "place":
            given = [v.lower() for v in given]
        recognised = [v for v in given if v in known[name]]
        values[name] = recognised[0] if recognised else ""
        if len(recognised) < len(given):
            notes.append(f"We ignored a {name} we do not recognise.")
        elif len(recognised) > 1:
            notes.append(f"You can choose one {name} at a time: we used the first.")
    return Filters(**values), page_number(args), notes


def _has_option(kind: str, value: str):
    return MentorProfile.id.in_(MentorOption.select(MentorOption.mentor).where(
        (MentorOption.kind == kind) & (MentorOption.value == value)))


def _contains(term: str):
    """search_text contains term, with LIKE's own wildcards in the term taken literally."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return NodeList((MentorProfile.search_text, SQL("LIKE"), f"%{escaped}%", SQL("ESCAPE '\\'")))


def offered_mentors(filters: Filters, today: date, show_full: bool):
    condition = available_on(today, full=show_full)
    for name in ("grade", "school", "trust", "gender"):
        if getattr(filters, name):
            condition &= getattr(MentorProfile, name) == getattr(filters, name)
    if filters.mode == "in_person":
        condition &= MentorProfile.meets_in_person
    elif filters.mode == "online":
        condition &= MentorProfile.meets_online
    for kind in ("platform", "day", "place"):
        if getattr(filters, kind):
            condition &= _has_option(kind, getattr(filters, kind))
    for word in filters.q.split()[:MAX_WORDS]:
        condition &= _contains(word)
    return MentorProfile.select(MentorProfile, User).join(User).where(condition)


REUSE_SECONDS = 10


def register_version() -> tuple:
    """Changes whenever anything a mentee could see in the directory does: every change to a mentor
    moves their updated_at (MentorProfile.update and .save), and mentors are never deleted (erasing
    someone scrubs their rows, which is a change too). One lookup at the end of an index.

    updated_at is written before a transaction commits, so a change committing after a later one
    could hide behind it; the version also turns over every REUSE_SECONDS, which bounds that."""
    newest = MentorProfile.select(fn.MAX(MentorProfile.updated_at)).scalar()
    return database.obj.database, newest, int(clock.now().timestamp() // REUSE_SECONDS)


class _Recent:
    """The last few answers, forgetting the oldest: kept per process (threads share it), so nothing
    to invalidate across servers, and keyed on register_version."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            return self.items.get(key)

    def remember(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_pages = _Recent(256)
_choices = _Recent(4)


def search(filters: Filters, page: int, today: date, show_full: bool, version: tuple | None = None) -> Page:
    """A page of the mentors on offer that match; page.extra["options"] holds each one's slots and
    platforms. Given the register's version, an answer already worked out is used again."""
    key = (version, filters, page, today, show_full)
    found = _pages.get(key) if version is not None else None
    if found is not None:
        return found
    full_last = Case(None, [(MentorProfile.places_taken >= MentorProfile.capacity, 1)], 0)
    query = offered_mentors(filters, today, show_full).order_by(full_last, fn.LOWER(User.name), MentorProfile.id)
    found = paginate(query, page, PER_PAGE)
    found.extra["options"] = options_for(found.rows)
    return _pages.remember(key, found) if version is not None else found


def options_for(mentors: list) -> dict[int, dict[str, list[str]]]:
    """Slots and platforms of a page of mentors, in one query."""
    rows = {m.id: [] for m in mentors}
    if rows:
        for option in MentorOption.select().where(MentorOption.mentor.in_(list(rows))
                                                   & MentorOption.kind.in_(["slot", "platform"])):
            rows[option.mentor_id].append(option)
    return {mentor_id: choices_from_rows(found) for mentor_id, found in rows.items()}


def filter_choices(version: tuple | None = None) -> tuple[list[str], list[str]]:
    """The trusts and places of the mentors on the register, for the filter lists (kept per
    register version, like search's answers)."""
    found = _choices.get(version) if version is not None else None
    if found is not None:
        return found
    trusts = [row.trust for row in MentorProfile.select(MentorProfile.trust)
              .where(MentorProfile.listed & (MentorProfile.trust != "")).distinct().order_by(MentorProfile.trust)]
    places = [row.value.title() for row in MentorOption.select(MentorOption.value)
              .where(MentorOption.kind == "place").distinct().order_by(MentorOption.value)]
    return _choices.remember(version, (trusts, places)) if version is not None else (trusts, places)
