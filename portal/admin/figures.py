"""Reports for a date range: sign-ups, request outcomes, time to answer, sessions per relationship,
survey results. Every figure is a count of a group; a group smaller than SMALLEST_GROUP is
shown only as "fewer than", so no one can be picked out of a report."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from peewee import fn

from portal.core import clock
from portal.models import MenteeProfile, MentoringSession, MentorRequest, Relationship
from portal.rules import workdays
from portal.rules.requests import FINISHED
from portal.rules.sessions import HELD
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


def _bars(counts: list[tuple[str, int]], smallest: int) -> list[dict]:
    return [{"label": label, "raw": count, "count": count if count >= smallest else None,
             "hidden": 0 < count < smallest} for label, count in counts]


def _span(start: date, end: date) -> tuple[datetime, datetime]:
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
    since, until = _span(start, end)
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
        [("Waiting for an answer", outcomes.get("pending", 0))]
        + [(FINISHED[status].capitalize(), outcomes.get(status, 0)) for status in FINISHED], smallest)))

    buckets = {label: 0 for label in ("The same day", "1 working day", "2 working days", "3 working days",
                                      "4 working days", "5 working days or more")}
    answered = MentorRequest.select(MentorRequest.created_at, MentorRequest.decided_at).where(
        in_range & MentorRequest.status.in_(["accepted", "declined"])).tuples()
    for asked, decided in answered:
        days = workdays.working_days_left(asked, decided)
        buckets[list(buckets)[min(days, 5)]] += 1
    reports.append(Report("answer_time", "How long mentors took to answer", _bars(list(buckets.items()), smallest),
                          "Counting working days from the day of asking to the day of the answer."))

    held = (MentoringSession.select(fn.COUNT(MentoringSession.id)).where(
        (MentoringSession.relationship == Relationship.id) & (MentoringSession.status == HELD)))
    per_relationship = {}
    for (count,) in Relationship.select(held).where(
            Relationship.closed_at.is_null(False) & (Relationship.closed_at >= since)
            & (Relationship.closed_at < until)).tuples():
        band = "4 or more" if count >= 4 else str(count)
        per_relationship[band] = per_relationship.get(band, 0) + 1
    reports.append(Report("sessions", "Sessions held per relationship that ended", _bars(
        [(band, per_relationship.get(band, 0)) for band in ("0", "1", "2", "3", "4 or more")], smallest)))
    return reports


def survey_results(start: date, end: date) -> dict:
    """Survey answers from mentoring that closed in the quarters the range touches."""
    quarters = {f"{y} Q{(m - 1) // 3 + 1}" for y, m in _months(start, end)}
    return evaluation.results(cohorts=quarters)


def _figure(bar: dict, smallest: int) -> str:
    if bar["count"] is not None:
        return str(bar["count"])
    return f"fewer than {smallest}" if bar["hidden"] else "0"


def csv_rows(reports: list[Report], results: dict, smallest: int) -> list[list[str]]:
    """The same figures as the page, suppressed the same way."""
    rows = [["report", "group", "people"]]
    for report in reports:
        rows += [[report.title, bar["label"], _figure(bar, smallest)] for bar in report.bars]
    if results["shown"]:
        for item in results["questions"]:
            rows += [[f"Survey: {item['question']['text']}", bar["label"], _figure(bar, smallest)]
                     for bar in item.get("counts", [])]
    return rows
