"""Reports for a date range: sign-ups, request outcomes, time to answer, the time it takes to find a
mentor, sessions per relationship, survey results. Every figure is of a group; a group smaller than
SMALLEST_GROUP is shown only as "fewer than", so no one can be picked out of a report."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from peewee import Case, fn

from portal.core import clock
from portal.models import MenteeProfile, MentoringSession, MentorRequest, Relationship
from portal.rules import measures, workdays
from portal.rules.requests import FINISHED, RequestStatus
from portal.rules.sessions import SessionStatus
from portal.survey import evaluation


@dataclass
class Report:
    key: str
    title: str
    bars: list[dict]  # {"label", "count" (None when suppressed), "hidden"}
    note: str = ""

    @property
    def total(self) -> int:
        return sum(bar["raw"] for bar in self.bars)


@dataclass
class Timing:
    """Working days from one step to the next, by the month the second step was taken."""
    key: str
    title: str
    rows: list[dict]  # {"label", "spread": measures.Spread}
    note: str = ""

    @property
    def total(self) -> int:
        return sum(row["spread"].people for row in self.rows)


def _bars(counts: list[tuple[str, int]], smallest: int) -> list[dict]:
    return [{"label": label, "raw": count, "count": count if count >= smallest else None,
             "hidden": 0 < count < smallest} for label, count in counts]


def span(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC times from the start of `start` to the end of `end`, London days."""
    return (clock.from_london(datetime.combine(start, time())),
            clock.from_london(datetime.combine(end + timedelta(days=1), time())))


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def build(start: date, end: date) -> list[Report]:
    smallest = current_app.config["SMALLEST_GROUP"]
    since, until = span(start, end)
    reports = []

    signed_up = {}
    for (joined,) in MenteeProfile.select(MenteeProfile.created_at).where(
            (MenteeProfile.created_at >= since) & (MenteeProfile.created_at < until)).tuples():
        local = clock.to_london(joined)
        signed_up[(local.year, local.month)] = signed_up.get((local.year, local.month), 0) + 1
    reports.append(Report("signups", "Mentees signing up, by month", _bars(
        [(date(y, m, 1).strftime("%B %Y"), signed_up.get((y, m), 0)) for y, m in _months(start, end)], smallest)))

    in_range = (MentorRequest.created_at >= since) & (MentorRequest.created_at < until)
    outcomes = dict(MentorRequest.select(MentorRequest.status, fn.COUNT(MentorRequest.id)).where(in_range)
                    .group_by(MentorRequest.status).tuples())
    reports.append(Report("outcomes", "What happened to requests", _bars(
        [("Waiting for an answer", outcomes.get(RequestStatus.PENDING, 0))]
        + [(FINISHED[status].capitalize(), outcomes.get(status, 0)) for status in FINISHED], smallest)))

    buckets = {label: 0 for label in ("The same day", "1 working day", "2 working days", "3 working days",
                                      "4 working days", "5 working days or more")}
    answered = MentorRequest.select(MentorRequest.created_at, MentorRequest.decided_at).where(
        in_range & MentorRequest.status.in_([RequestStatus.ACCEPTED, RequestStatus.DECLINED])).tuples()
    for asked, decided in answered:
        days = workdays.working_days_left(asked, decided)
        buckets[list(buckets)[min(days, 5)]] += 1
    reports.append(Report("answer_time", "How long mentors took to answer", _bars(list(buckets.items()), smallest),
                          "Counting working days from the day of asking to the day of the answer."))

    held = (MentoringSession.select(fn.COUNT(MentoringSession.id)).where(
        (MentoringSession.relationship == Relationship.id) & (MentoringSession.status == SessionStatus.HELD)))
    per_relationship = {}
    for (count,) in Relationship.select(held).where(
            Relationship.closed_at.is_null(False) & (Relationship.closed_at >= since)
            & (Relationship.closed_at < until)).tuples():
        band = "4 or more" if count >= 4 else str(count)
        per_relationship[band] = per_relationship.get(band, 0) + 1
    reports.append(Report("sessions", "Sessions held per relationship that ended", _bars(
        [(band, per_relationship.get(band, 0)) for band in ("0", "1", "2", "3", "4 or more")], smallest)))

    first, backup = matches_by_choice(since, until)
    reports.append(Report("choices", "Matches by choice", _bars(
        [("The mentor asked first", first), ("A backup", backup)], smallest),
        "By the day the mentor accepted."))
    return reports


def timings(start: date, end: date) -> list[Timing]:
    """How long it takes to find a mentor: from signing up to asking one, and from asking to a match
    (whichever backup it came through), each by the month the second step was taken. One query, however
    many mentees."""
    smallest = current_app.config["SMALLEST_GROUP"]
    since, until = span(start, end)
    waits = {"to_first_request": defaultdict(list), "to_match": defaultdict(list)}

    def measure(key: str, began: datetime, ended: datetime | None) -> None:
        if ended is not None and since <= ended < until:
            local = clock.to_london(ended)
            waits[key][(local.year, local.month)].append(
                workdays.working_days_between(clock.to_london(began).date(), local.date()))

    for joined, asked, matched in MenteeProfile.select(
            MenteeProfile.created_at, MenteeProfile.first_requested_at, MenteeProfile.matched_at).where(
            ((MenteeProfile.first_requested_at >= since) & (MenteeProfile.first_requested_at < until))
            | ((MenteeProfile.matched_at >= since) & (MenteeProfile.matched_at < until))).tuples():
        measure("to_first_request", joined, asked)
        if asked is not None:
            measure("to_match", asked, matched)
    return [Timing(key, title, [{"label": date(y, m, 1).strftime("%B %Y"),
                                 "spread": measures.spread(waits[key].get((y, m), []), smallest)}
                                for y, m in _months(start, end)], note)
            for key, title, note in (
                ("to_first_request", "Working days from signing up to asking a first mentor",
                 "By the month they first asked."),
                ("to_match", "Working days from asking a first mentor to being matched",
                 "By the month they were matched, whether by the mentor they asked first or by a backup."))]


def matched_between(since: datetime, until: datetime):
    """The requests accepted in a span: the matches it made."""
    return (MentorRequest.status == RequestStatus.ACCEPTED) & (MentorRequest.decided_at >= since) & (MentorRequest.decided_at < until)


def matches_by_choice(since: datetime, until: datetime) -> tuple[int, int]:
    """Matches made in a span: (from the mentor asked first, from a backup)."""
    first = fn.SUM(Case(None, [(MentorRequest.choice == 1, 1)], 0))
    backup = fn.SUM(Case(None, [(MentorRequest.choice > 1, 1)], 0))
    counts = MentorRequest.select(first, backup).where(matched_between(since, until)).tuples().get()
    return int(counts[0] or 0), int(counts[1] or 0)


def survey_results(start: date, end: date) -> dict:
    """Survey answers from mentoring that closed in the quarters the range touches."""
    quarters = {f"{y} Q{(m - 1) // 3 + 1}" for y, m in _months(start, end)}
    return evaluation.results(cohorts=quarters)


def _figure(bar: dict, smallest: int) -> str:
    if bar["count"] is not None:
        return str(bar["count"])
    return f"fewer than {smallest}" if bar["hidden"] else "0"


def _timing_rows(timing: Timing, smallest: int) -> list[list[str]]:
    """A row of people for each month, and for a month with enough of them, a row each for the median and
    the 90th percentile (in working days): a small month shows only that it was small."""
    rows = []
    for row in timing.rows:
        spread = row["spread"]
        rows.append([f"{timing.title}: people", row["label"], f"fewer than {smallest}" if spread.hidden
                     else str(spread.people)])
        if spread.median is not None:
            rows += [[f"{timing.title}: median", row["label"], measures.shown(spread.median)],
                     [f"{timing.title}: 90th percentile", row["label"], measures.shown(spread.p90)]]
    return rows


def csv_rows(reports: list[Report], results: dict, smallest: int, waits: list[Timing] = ()) -> list[list[str]]:
    """The same figures as the page, suppressed the same way: the value is a number of people, except
    where the report says it is a median or a percentile of working days."""
    rows = [["report", "group", "value"]]
    for report in reports:
        rows += [[report.title, bar["label"], _figure(bar, smallest)] for bar in report.bars]
    for timing in waits:
        rows += _timing_rows(timing, smallest)
    if results["shown"]:
        for item in results["questions"]:
            rows += [[f"Survey: {item['question']['text']}", bar["label"], _figure(bar, smallest)]
                     for bar in item.get("counts", [])]
    return rows
