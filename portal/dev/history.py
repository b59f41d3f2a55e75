"""A year of the scheme for `make run`: about 150 mentees and 19 more mentors, with the requests they made
(backups among them), the declines, the answers that never came, the matches, the sessions and the survey
answers that followed. So the dashboard, the reports and the survey results have real figures to show.

Made by walking through the year, one mentee after another, as the portal's own rules would have it
(five working days to answer, a place held while a request waits, backups asked in turn, four sessions,
deactivation after three months without a mentor), then written in bulk: a few seconds, the same every
time (a seeded random), and nothing left due that would set the sweeps off on the first minute. No email
is written for the past: the outbox holds only what happens from now on.
"""
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from portal.core import clock, content, reference
from portal.core.db import database
from portal.models import (MenteeProfile, MentoringSession, MentorProfile, MentorRequest, Relationship, SurveyInvite,
                           SurveyResponse, User)
from portal.register import profiles
from portal.rules import allowance, eligibility
from portal.rules import requests as request_rules
from portal.rules import workdays
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus
from portal.rules.sessions import SessionStatus
from portal.rules.survey import QUESTIONS

SEED = 14
MENTEES = 150
MORE_MENTORS = 19  # beside the six named ones
DAYS = 365
FIRST_NAMES = ["Aisha", "Ben", "Chloe", "Dev", "Ella", "Femi", "Georgia", "Harry", "Imran", "Jess", "Kofi", "Lucy",
               "Mo", "Nina", "Owen", "Priti", "Rosa", "Sanjay", "Tara", "Umar", "Violet", "Will", "Yusuf", "Zara"]
LAST_NAMES = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Jones", "Khan",
              "Lee", "Moore", "Nowak", "Okafor", "Patel", "Quinn", "Reid", "Singh", "Taylor", "Walsh", "Young"]
NOTES = ["I am coming back after parental leave and would like to talk about confidence on the wards.",
         "Returning after sick leave: I would like help planning a phased return.",
         "Back from time out of programme and worried about my exams and rota.",
         "Going less than full time on return and not sure how to make it work.",
         "I would like to talk through how to ask for reasonable adjustments."]
REASONS = ["parental_leave"] * 5 + ["sick_leave"] * 3 + ["out_of_programme"] * 3 + ["suspension", "other", "other"]
TOWNS = ["Leeds", "York", "Sheffield", "Hull", "Bradford", "Wakefield", "Harrogate", "Doncaster", "Huddersfield"]
LONG_AGO = datetime(2000, 1, 1)


@dataclass
class Busy:
    """When a mentor's places were taken: each (from, until) a request waited or a mentoring ran."""
    capacity: int
    spans: list = field(default_factory=list)

    def free_at(self, moment: datetime) -> bool:
        return sum(1 for begun, ended in self.spans if begun <= moment < ended) < self.capacity


def _mentor_values(rng: random.Random) -> dict:
    school = rng.choice([s for s in reference.SCHOOLS if s != "Other"])
    in_person = rng.random() < 0.6
    slots = sorted(rng.sample(reference.SLOTS, rng.randint(2, 6)), key=reference.SLOTS.index)
    return {
        "grade": "DCT3" if school == "Dentistry" else rng.choice(["ST3", "ST4", "ST5", "ST6", "ST7", "CT3"]),
        "school": school, "specialty": "", "trust": rng.choice(reference.TRUSTS[:-1]),
        "gender": rng.choice(reference.GENDERS), "pronouns": "",
        "experience_rtt": "Came back through the return to training scheme, with a supervised start.",
        "experience_away": "Time away that taught me a lot about asking for help.",
        "why_mentor": "Someone who had been through it helped me come back; I would like to do the same.",
        "slots": slots, "availability_notes": "", "meets_online": True,
        "platforms": rng.sample(sorted(reference.PLATFORMS), 2), "meets_in_person": in_person,
        "locations": ", ".join(rng.sample(TOWNS, 2)) if in_person else "", "interests": "",
        "contact_details": "Through the portal, please.",
        "time_away": sorted(rng.sample(list(reference.TIME_AWAY), rng.randint(1, 2)), key=list(reference.TIME_AWAY).index),
    }


def _mentors(rng: random.Random, admin: User, password_hash: str, now: datetime, count: int) -> list[MentorProfile]:
    made = []
    for n in range(count):
        name = f"{FIRST_NAMES[(n * 5) % len(FIRST_NAMES)]} {LAST_NAMES[(n * 7 + 3) % len(LAST_NAMES)]}"
        email = f"{name.lower().replace(' ', '.')}.mentor@example.org"
        mentor = profiles.create(admin, name=name, email=email, values=_mentor_values(rng),
                                 capacity=rng.choice([1, 2, 2, 3]))
        User.update(password_hash=password_hash, email_confirmed_at=now - timedelta(days=DAYS + 30),
                    created_at=now - timedelta(days=DAYS + 30)).where(User.id == mentor.user_id).execute()
        made.append(MentorProfile.get_by_id(mentor.id))
    return made


def _answered_after(rng: random.Random, asked: datetime) -> datetime:
    """When a mentor who answers does: the same day to four working days later, in the working day."""
    day = workdays.add_working_days(clock.to_london(asked).date(), rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4]))
    return max(asked + timedelta(minutes=30),
               clock.from_london(datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(8, 20))))


class Year:
    """The walk through the year: rows to write, and each mentor's places as they were taken."""

    def __init__(self, rng: random.Random, now: datetime, mentors: list[MentorProfile], settled: set[int]):
        self.rng, self.now, self.mentors, self.settled = rng, now, mentors, settled
        self.busy = {m.id: Busy(m.capacity) for m in mentors}
        self.requests, self.relationships, self.sessions, self.invites, self.responses = [], [], [], [], []

    def free(self, mentor: MentorProfile, moment: datetime) -> bool:
        """A place at `moment`, and still now (a place taken then may be held yet). The six named mentors
        only have mentees long enough ago that it is all over, so their places are theirs for the demo."""
        if mentor.id in self.settled and moment > self.now - relativedelta(months=8):
            return False
        busy = self.busy[mentor.id]
        return busy.free_at(moment) and busy.free_at(self.now)

    def ask(self, mentee: dict, at: datetime) -> datetime | None:
        """A mentee's request, perhaps with one or two backups, answered in turn; when it came to nothing
        (None: it is still waiting, or it ended in a match)."""
        rng = self.rng
        open_now = [m for m in self.mentors if self.free(m, at)]
        if not open_now:
            return at
        first = rng.choice(open_now)
        chain = [first] + rng.sample([m for m in self.mentors if m is not first], rng.choice([0, 0, 0, 1, 1, 2]))
        note = rng.choice(NOTES)
        for choice, mentor in enumerate(chain, start=1):
            row = {"mentee": mentee, "mentor": mentor.id, "note": note, "choice": choice, "created_at": at,
                   "deadline": workdays.deadline(at, 5), "decided_at": at, "decided_by": request_rules.SYSTEM}
            self.requests.append(row)
            if not self.free(mentor, at):
                row["status"] = RequestStatus.SKIPPED  # a backup with no room when its turn came
                continue
            roll = rng.random()
            answered = row["deadline"] if roll < 0.15 else _answered_after(rng, at)
            if answered > self.now:
                row.update(status=RequestStatus.PENDING, decided_at=None, decided_by=None)
                reminders = [t for t in workdays.reminder_times(row["deadline"], [2, 0], 9) if t > self.now]
                row["next_reminder_at"] = reminders[0] if reminders else None
                row["reminders_sent"] = 2 - len(reminders)
                self.busy[mentor.id].spans.append((at, datetime.max))
                for later, backup in enumerate(chain[choice:], start=choice + 1):
                    self.requests.append({**row, "mentor": backup.id, "choice": later, "status": RequestStatus.BACKUP,
                                          "next_reminder_at": None, "reminders_sent": 0})
                return None
            row["decided_at"] = answered
            if roll < 0.15:
                row["status"] = RequestStatus.EXPIRED
            elif roll < 0.45:
                row.update(status=RequestStatus.DECLINED, decided_by=request_rules.MENTOR)
            else:
                row.update(status=RequestStatus.ACCEPTED, decided_by=request_rules.MENTOR)
                self.busy[mentor.id].spans.append((at, answered))
                self.match(mentee, mentor, row, answered)
                for later, backup in enumerate(chain[choice:], start=choice + 1):
                    self.requests.append({**row, "mentor": backup.id, "choice": later, "status": RequestStatus.DROPPED,
                                          "decided_by": request_rules.SYSTEM})
                return None
            self.busy[mentor.id].spans.append((at, answered))
            at = answered
        return at

    def match(self, mentee: dict, mentor: MentorProfile, request_row: dict, opened: datetime) -> None:
        rng = self.rng
        mentee["matched_at"] = mentee["matched_at"] or opened
        relationship = {"mentee": mentee, "mentor": mentor.id, "request": request_row, "opened_at": opened,
                        "status": RelationshipStatus.ACTIVE, "closed_at": None, "close_reason": "",
                        "contracting_done_at": opened + timedelta(days=10), "window_nudged_at": None}
        held, moment = 0, opened + timedelta(days=rng.randint(5, 14))
        while held < 4 and moment < self.now - timedelta(days=1):
            status = SessionStatus.HELD if rng.random() < 0.9 else SessionStatus.CANCELLED
            face_to_face = rng.random() < 0.3
            self.sessions.append({"relationship": relationship, "starts_at": moment.replace(minute=0, second=0,
                                                                                              microsecond=0),
                                  "length_minutes": 60, "mode": "in_person" if face_to_face else "video",
                                  "platform": "" if face_to_face else "teams",
                                  "location": "A quiet room at the central library" if face_to_face else "",
                                  "status": status, "proposed_by": "mentee",
                                  "proposed_at": moment - timedelta(days=7),
                                  "confirmed_at": moment - timedelta(days=6),
                                  "cancelled_at": moment - timedelta(days=1) if status != SessionStatus.HELD else None,
                                  "cancelled_by": "mentor" if status != SessionStatus.HELD else None,
                                  "outcome_by": "mentor" if status == SessionStatus.HELD else None,
                                  "reminded_at": moment - timedelta(days=1),
                                  "outcome_asked_at": moment + timedelta(hours=1)})
            held += status == SessionStatus.HELD
            moment += timedelta(days=rng.randint(14, 30))
        ends = None
        if held >= 4:  # closed a few days after the last session, as the sweep would
            ends, relationship["close_reason"] = min(moment - timedelta(days=rng.randint(8, 14)),
                                                     self.now - timedelta(hours=1)), "allowance used"
        elif opened + relativedelta(months=7) < self.now:
            ends, relationship["close_reason"] = opened + relativedelta(months=7), "agreed"
        if ends is not None and ends < self.now:
            relationship.update(status=RelationshipStatus.CLOSED, closed_at=ends)
            self.invites.append({"relationship": relationship, "created_at": ends, "sent_at": ends,
                                 "reminded_at": ends + timedelta(days=7), "answered": rng.random() < 0.7})
            if self.invites[-1]["answered"]:
                self.responses.append({"cohort": allowance.cohort(ends), "sessions_band": allowance.sessions_band(held),
                                       "answers": self._answers()})
        if opened + relativedelta(months=5) <= self.now:
            relationship["window_nudged_at"] = opened + relativedelta(months=5)
        self.busy[mentor.id].spans.append((opened, relationship["closed_at"] or datetime.max))
        self.relationships.append(relationship)

    def _answers(self) -> dict:
        rng, answers = self.rng, {}
        for question in QUESTIONS:
            if not question.get("free_text"):
                options = [option for option, _ in question["options"]]
                # Mostly glad of it: the top of a scale, or the first of a list (yes, about right, by video).
                weights = range(1, len(options) + 1) if options[0].isdigit() else range(len(options), 0, -1)
                answers[question["key"]] = rng.choices(options, weights=[w * w for w in weights])[0]
        return answers


def load(admin: User, password_hash: str, named: list[MentorProfile]) -> int:
    """Write the year; returns how many mentees it made."""
    rng, now = random.Random(SEED), clock.now().replace(microsecond=0)
    agreement = content.current("agreement").version
    with database.atomic():
        mentors = named + _mentors(rng, admin, password_hash, now, MORE_MENTORS)
        year = Year(rng, now, mentors, {m.id for m in named})
        mentees = []
        for n in range(MENTEES):
            joined = now - timedelta(days=DAYS) + timedelta(minutes=rng.randint(0, DAYS * 24 * 60 - 600))
            mentee = {"n": n, "joined": joined, "first": None, "matched_at": None, "waited": timedelta(0),
                      "reason": rng.choice(REASONS), "school": rng.choice(reference.SCHOOLS[:-1]),
                      "grade": rng.choice(["F2", "CT1", "CT2", "ST1", "ST2", "ST3", "ST4"])}
            mentees.append(mentee)
            at = joined + timedelta(days=rng.choice([0, 1, 2, 4, 7, 10, 15, 21, 30]), hours=rng.randint(0, 8))
            for _ in range(3 if rng.random() < 0.85 else 0):  # one in seven never asks anyone
                if at >= now:
                    break
                mentee["first"] = mentee["first"] or at
                ended = year.ask(mentee, at)
                if ended is None:
                    break
                mentee["waited"] += ended - at
                at = ended + timedelta(days=rng.randint(2, 20))
        _write(year, mentees, agreement, password_hash, now)
    return len(mentees)


def _write(year: Year, mentees: list[dict], agreement: int, password_hash: str, now: datetime) -> None:
    users = [{"email": f"mentee{m['n']:03}@example.org",
              "name": f"{FIRST_NAMES[m['n'] % len(FIRST_NAMES)]} {LAST_NAMES[(m['n'] * 3) % len(LAST_NAMES)]}",
              "password_hash": password_hash, "email_confirmed_at": m["joined"], "created_at": m["joined"],
              "session_nonce": f"demo{m['n']:012}"} for m in mentees]
    User.insert_many(users).execute()
    user_ids = {u.email: u.id for u in User.select(User.id, User.email).where(
        User.email.in_([user["email"] for user in users]))}
    rows = []
    for m, user in zip(mentees, users):
        period = m["joined"] + m["waited"]
        due = eligibility.deactivation_due(period, 3)
        idle = m["matched_at"] is None and not any(r["mentee"] is m and r["status"] == RequestStatus.PENDING
                                                   for r in year.requests)
        rows.append({"user": user_ids[user["email"]], "grade": m["grade"], "school": m["school"], "specialty": "",
                     "trust": year.rng.choice(reference.TRUSTS[:-1]), "eligibility": "out_now", "reason": m["reason"],
                     "expected_return": (m["joined"] + timedelta(days=300)).date(), "agreement_version": agreement,
                     "agreement_accepted_at": m["joined"], "period_started_at": period, "matched_at": m["matched_at"],
                     "first_requested_at": m["first"], "created_at": m["joined"],
                     "deactivation_warnings": len([t for t in eligibility.warning_times(due, [14, 2]) if t <= now])
                     if idle else 0,
                     "deactivated_at": due if idle and due <= now else None})
    MenteeProfile.insert_many(rows).execute()
    for m, row in zip(mentees, MenteeProfile.select(MenteeProfile.id).where(
            MenteeProfile.user.in_(list(user_ids.values()))).order_by(MenteeProfile.user)):
        m["id"] = row.id
    for r in year.requests:
        r["created"] = MentorRequest.insert(
            mentee=r["mentee"]["id"], mentor=r["mentor"], note=r["note"], status=r["status"], choice=r["choice"],
            created_at=r["created_at"], deadline=r["deadline"], decided_at=r["decided_at"], decided_by=r["decided_by"],
            next_reminder_at=r.get("next_reminder_at"), reminders_sent=r.get("reminders_sent", 2)).execute()
    for rel in year.relationships:
        rel["id"] = Relationship.insert(
            mentor_request=rel["request"]["created"], mentee=rel["mentee"]["id"], mentor=rel["mentor"],
            status=rel["status"], opened_at=rel["opened_at"], closed_at=rel["closed_at"],
            close_reason=rel["close_reason"], contracting_done_at=rel["contracting_done_at"],
            window_nudged_at=rel["window_nudged_at"]).execute()
    MentoringSession.insert_many([{**{k: v for k, v in s.items() if k != "relationship"},
                                   "relationship": s["relationship"]["id"]} for s in year.sessions]).execute()
    if year.invites:
        SurveyInvite.insert_many([{**{k: v for k, v in i.items() if k != "relationship"},
                                   "relationship": i["relationship"]["id"]} for i in year.invites]).execute()
    if year.responses:
        SurveyResponse.insert_many(year.responses).execute()
    for mentor_id, busy in year.busy.items():
        taken = sum(1 for begun, ended in busy.spans if begun <= now < ended)
        MentorProfile.update(places_taken=MentorProfile.places_taken + taken).where(
            MentorProfile.id == mentor_id).execute()
