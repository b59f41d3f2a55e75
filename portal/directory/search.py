"""The mentor directory: the one function that turns filter values into a page of mentors.

Who is offered: mentors who are open today (portal/rules/availability.py); full ones too when
SHOW_FULL_MENTORS is on (last, and marked). A signed-in mentee sees the best fit for them first
(portal/rules/matching.py, scored here in the same query), with the reasons on each card; anyone may
choose A to Z instead. The number of queries for a page does not depend on how many mentors there are.
"""
import operator
import threading
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from functools import reduce

from peewee import SQL, Case, NodeList, Value, fn

from portal.core import clock, reference
from portal.core.db import database
from portal.core.paging import Page, page_number, paginate
from portal.models import MenteeProfile, MentorOption, MentorProfile, User, available_on
from portal.register.profiles import choices_from_rows, locations_in
from portal.requests import responsiveness
from portal.rules import matching

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
    location: str = ""
    away: str = ""
    # The order, not a filter: "" is the default (best fit for a mentee, else A to Z), "name" is A to Z.
    sort: str = ""

    def as_args(self, **changes) -> dict:
        """The filters (and the order, if not the default) as URL parameters, leaving out empty ones."""
        return {k: v for k, v in vars(replace(self, **changes)).items() if v}

    def __bool__(self) -> bool:
        """Whether anything narrows the list (the order does not)."""
        return any(v for k, v in vars(self).items() if k != "sort")


FILTER_NAMES = [f.name for f in fields(Filters)]
# How a parameter is named in a note about it, where its own name would not read well.
NAMED_IN_NOTES = {"away": "kind of time away", "location": "place", "sort": "order"}
SORTS = {"": "Best fit for you", "name": "A to Z"}
# Parameters under the names they had before: addresses bookmarked or shared then still filter.
EARLIER_NAMES = {"location": "place"}


def known_values(trusts: list[str], locations: list[str]) -> dict[str, dict[str, str]]:
    """value -> label for each filter with a fixed set of values."""
    return {
        "grade": {g: g for g in reference.GRADES},
        "school": {s: s for s in reference.SCHOOLS},
        "trust": {t: t for t in trusts},
        "gender": {g: g for g in reference.GENDERS},
        "mode": reference.MEETING_MODES,
        "platform": reference.PLATFORMS,
        "day": reference.DAYS,
        "location": {p.lower(): p for p in locations},
        "away": reference.TIME_AWAY,
        "sort": {"name": SORTS["name"]},
    }


def seeker_for(mentee: MenteeProfile | None) -> matching.Seeker | None:
    """What the best-fit order knows of a mentee (None for anyone who is not one, such as an admin)."""
    if mentee is None:
        return None
    return matching.Seeker(tags=matching.tags_of(mentee.reason, mentee.away_tags), school=mentee.school,
                           specialty=matching.plain(mentee.specialty), grade=mentee.grade,
                           trust=matching.plain(mentee.trust),
                           locations=frozenset(location.lower()[:60] for location in locations_in(mentee.can_reach)),
                           mode=mentee.meet_mode, days=frozenset(mentee.usual_days))


def parse(args, known: dict[str, dict[str, str]]) -> tuple[Filters, int, list[str]]:
    """Filters and page number from URL parameters, and notes on anything ignored.

    A value repeated counts once; where several differ, the first recognised one is used; an
    unknown one is ignored and said so. Nothing a URL holds makes the directory fail."""
    values, notes = {}, []
    for name in FILTER_NAMES:
        given = [*args.getlist(name), *(args.getlist(EARLIER_NAMES[name]) if name in EARLIER_NAMES else [])]
        given = list(dict.fromkeys(v.strip() for v in given if v.strip()))
        if name == "q":
            values["q"] = " ".join(given[0].split())[:MAX_QUERY] if given else ""
            continue
        if name == "location":
            given = [v.lower() for v in given]
        recognised = [v for v in given if v in known[name]]
        values[name] = recognised[0] if recognised else ""
        named = NAMED_IN_NOTES.get(name, name)
        if len(recognised) < len(given):
            notes.append(f"We ignored {'an' if named[0] in 'aeiou' else 'a'} {named} we do not recognise.")
        elif len(recognised) > 1:
            notes.append(f"You can choose one {named} at a time: we used the first.")
    return Filters(**values), page_number(args), notes


def _has_option(kind: str, value: str | frozenset):
    """The mentor has this option (or, given several values, any of them)."""
    chosen = MentorOption.value.in_(sorted(value)) if isinstance(value, frozenset) else MentorOption.value == value
    return MentorProfile.id.in_(MentorOption.select(MentorOption.mentor).where((MentorOption.kind == kind) & chosen))


def _either(*conditions):
    given = [condition for condition in conditions if condition is not None]
    return reduce(operator.or_, given) if given else None


def fit_score(seeker: matching.Seeker):
    """matching.score as one SQL expression over MentorProfile: a CASE for each thing that counts."""
    counts = {
        "away": _has_option("away", seeker.tags) if seeker.tags else None,
        "school": MentorProfile.school == seeker.school if seeker.school else None,
        "specialty": fn.LOWER(fn.TRIM(MentorProfile.specialty)) == seeker.specialty if seeker.specialty else None,
        "grade": MentorProfile.grade.in_(matching.grades_ahead(seeker.grade)) if matching.grades_ahead(seeker.grade)
        else None,
        "location": _either(fn.LOWER(fn.TRIM(MentorProfile.trust)) == seeker.trust if seeker.trust else None,
                         MentorProfile.meets_in_person & _has_option("location", seeker.locations) if seeker.locations else None),
        "mode": {"in_person": MentorProfile.meets_in_person, "online": MentorProfile.meets_online}.get(seeker.mode),
        "day": _has_option("day", seeker.days) if seeker.days else None,
    }
    cases = [Case(None, [(condition, matching.WEIGHTS[key])], 0) for key, condition in counts.items()
             if condition is not None]
    return reduce(operator.add, cases) if cases else Value(0)


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
    for kind in ("platform", "day", "location", "away"):
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


def best_fit_first(seeker: matching.Seeker | None, filters: Filters) -> bool:
    return seeker is not None and filters.sort != "name"


def ordered(query, seeker: matching.Seeker | None, filters: Filters):
    """Full mentors last; then the best fit first, when that is the order; then A to Z."""
    full_last = Case(None, [(MentorProfile.places_taken >= MentorProfile.capacity, 1)], 0)
    fit = [fit_score(seeker).desc()] if best_fit_first(seeker, filters) else []
    return query.order_by(full_last, *fit, fn.LOWER(User.name), MentorProfile.id)


def search(filters: Filters, page: int, today: date, show_full: bool, version: tuple | None = None,
           seeker: matching.Seeker | None = None, now: datetime | None = None) -> Page:
    """A page of the mentors on offer that match, in order for `seeker` (a mentee) if given.
    page.extra holds each mentor's "options" (slots, platforms, kinds of time away, locations), their
    "reasons" (for a mentee) and the working days they "usually answer within", where known.

    Given the register's version, an answer already worked out is used again. The key holds the mentee's
    facts rather than who they are: the same mentee paging back, a filter taken off again, the back
    button, everyone using A to Z, and mentees with the same facts all find their page already made."""
    key = (version, filters, page, today, show_full, seeker if best_fit_first(seeker, filters) else None)
    found = _pages.get(key) if version is not None else None
    if found is None:
        found = paginate(ordered(offered_mentors(filters, today, show_full), seeker, filters), page, PER_PAGE)
        found.extra["options"] = options_for(found.rows)
        found.extra["answer_days"] = responsiveness.usual_answer_days([m.id for m in found.rows], now or clock.now())
        if version is not None:
            _pages.remember(key, found)
    # The reasons are the mentee's own, even on a page in A to Z order that everyone shares: worked out
    # for each answer (a few rows, no query), on a copy, as threads share what is kept.
    return replace(found, extra={**found.extra, "reasons": {
        mentor.id: matching.reasons(seeker, offer_of(mentor, found.extra["options"][mentor.id]))
        for mentor in found.rows} if seeker is not None else {}})


def offer_of(mentor: MentorProfile, options: dict) -> matching.Offer:
    """What a mentor published that the best-fit order reads, from their row and options_for."""
    return matching.Offer(tags=frozenset(options["time_away"]), school=mentor.school, specialty=mentor.specialty,
                          grade=mentor.grade, trust=mentor.trust, locations=frozenset(options["locations"]),
                          meets_in_person=mentor.meets_in_person, meets_online=mentor.meets_online,
                          slots=tuple(options["slots"]))


def options_for(mentors: list) -> dict[int, dict[str, list[str]]]:
    """Slots, platforms, kinds of time away and locations of a page of mentors, in one query."""
    rows = {m.id: [] for m in mentors}
    if rows:
        for option in MentorOption.select().where(MentorOption.mentor.in_(list(rows))
                                                   & MentorOption.kind.in_(["slot", "platform", "away", "location"])):
            rows[option.mentor_id].append(option)
    return {mentor_id: {**choices_from_rows(found), "locations": sorted(o.value for o in found if o.kind == "location")}
            for mentor_id, found in rows.items()}


def backup_choices(seeker: matching.Seeker | None, today: date, leaving_out: int, shown: int) -> list[MentorProfile]:
    """Mentors a mentee could name as backups when asking another (`leaving_out`): those on offer, the
    best fit first, at most `shown` of them."""
    query = offered_mentors(Filters(), today, show_full=True).where(MentorProfile.id != leaving_out)
    return list(ordered(query, seeker, Filters()).limit(shown))


def filter_choices(version: tuple | None = None) -> tuple[list[str], list[str]]:
    """The trusts and locations of the mentors on the register, for the filter lists (kept per
    register version, like search's answers)."""
    found = _choices.get(version) if version is not None else None
    if found is not None:
        return found
    trusts = [row.trust for row in MentorProfile.select(MentorProfile.trust)
              .where(MentorProfile.listed & (MentorProfile.trust != "")).distinct().order_by(MentorProfile.trust)]
    locations = [row.value.title() for row in MentorOption.select(MentorOption.value)
              .where(MentorOption.kind == "location").distinct().order_by(MentorOption.value)]
    return _choices.remember(version, (trusts, locations)) if version is not None else (trusts, locations)
