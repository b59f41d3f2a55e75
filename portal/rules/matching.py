"""Best fit for a mentee: which mentors may suit them, and why, as a score anyone can follow.

Each thing a mentee and a mentor have in common counts, the most telling first: a shared kind of time
away, then the same school, the same specialty, a grade one to three steps ahead, a location the mentee
can reach (their own trust, or a town they listed), the way they like to meet, and a usual day in
common. Every fact on the mentor's side is one they chose to publish on their profile; gender and
anything else protected is never part of it (a mentee who wants a particular gender uses the filter).

This module says what counts and puts it in words; portal/directory/search.py writes the same score as
one SQL expression, and tests/web/test_best_fit.py holds the two to agreeing.
"""
from dataclasses import dataclass

from portal.core import reference

# What counts, in order, and how much: each counts for more than the one after it, and a shared
# experience of time away for more than anything else on its own.
WEIGHTS = {"away": 7, "school": 6, "specialty": 5, "grade": 4, "location": 3, "mode": 2, "day": 1}
REASONS_SHOWN = 3

# A mentee's reason for being out of training (rules/eligibility.REASONS) as a kind of time away.
REASON_TAGS = {"parental_leave": "parental_leave", "sick_leave": "sick_leave",
               "out_of_programme": "out_of_programme", "suspension": "suspension"}

# How far into training each grade is, so "one to three steps ahead" means the same in medicine and
# dentistry; a grade without a level (Other) is never ahead or behind.
GRADE_LEVELS = {"F1": 1, "F2": 2, "DFT": 2, "CT1": 3, "ST1": 3, "DCT1": 3, "CT2": 4, "ST2": 4, "DCT2": 4,
                "CT3": 5, "ST3": 5, "DCT3": 5, "ST4": 6, "StR (dental)": 6, "ST5": 7, "ST6": 8, "ST7": 9, "ST8": 10}
STEPS_AHEAD = range(1, 4)

# "Also ..." for each kind of time away a mentee and mentor share.
ALSO = {
    "parental_leave": "Also took parental leave",
    "sick_leave": "Also had sick leave or a health condition",
    "out_of_programme": "Also spent time out of programme",
    "suspension": "Also came back after a suspension or a GMC or GDC process",
    "caring": "Also had caring responsibilities",
    "ltft": "Also returned less than full time",
    "phased_return": "Also had a phased return",
    "adjustments": "Also returned with reasonable adjustments",
}
MODES = {"in_person": "Meets face to face", "online": "Meets by video or phone"}


def tags_of(reason: str, added: list[str]) -> frozenset[str]:
    """A mentee's kinds of time away: the reason they gave at sign-up and any they added since."""
    tags = {tag for tag in added if tag in reference.TIME_AWAY}
    if reason in REASON_TAGS:
        tags.add(REASON_TAGS[reason])
    return frozenset(tags)


def grades_ahead(grade: str) -> list[str]:
    """The grades one to three steps ahead of `grade`, in reference order."""
    level = GRADE_LEVELS.get(grade)
    if level is None:
        return []
    return [g for g in reference.GRADES if g in GRADE_LEVELS and GRADE_LEVELS[g] - level in STEPS_AHEAD]


def plain(text: str) -> str:
    """Free text compared as the database compares it (LOWER(TRIM(...))): trimmed, in lower case."""
    return (text or "").strip().lower()


@dataclass(frozen=True)
class Seeker:
    """What the best-fit order knows of a mentee: their training and time away, and what they said
    suits them. Free text is plain(); the same facts give the same order, so it can key a cache."""

    tags: frozenset = frozenset()
    school: str = ""
    specialty: str = ""
    grade: str = ""
    trust: str = ""
    locations: frozenset = frozenset()
    mode: str = ""  # "in_person", "online", or "" for either
    days: frozenset = frozenset()


@dataclass(frozen=True)
class Offer:
    """What a mentor published that the best-fit order reads."""

    tags: frozenset
    school: str
    specialty: str
    grade: str
    trust: str
    locations: frozenset  # as MentorOption keeps them: lower case
    meets_in_person: bool
    meets_online: bool
    slots: tuple  # in reference order


def fits(seeker: Seeker, offer: Offer) -> list[str]:
    """The keys of WEIGHTS that apply, most telling first."""
    found = []
    if seeker.tags & offer.tags:
        found.append("away")
    if seeker.school and seeker.school == offer.school:
        found.append("school")
    if seeker.specialty and seeker.specialty == plain(offer.specialty):
        found.append("specialty")
    if offer.grade in grades_ahead(seeker.grade):
        found.append("grade")
    if (seeker.trust and seeker.trust == plain(offer.trust)) or (offer.meets_in_person and seeker.locations & offer.locations):
        found.append("location")
    if (seeker.mode == "in_person" and offer.meets_in_person) or (seeker.mode == "online" and offer.meets_online):
        found.append("mode")
    if seeker.days & {slot.split("-")[0] for slot in offer.slots}:
        found.append("day")
    return found


def score(seeker: Seeker, offer: Offer) -> int:
    return sum(WEIGHTS[key] for key in fits(seeker, offer))


def reasons(seeker: Seeker, offer: Offer, shown: int = REASONS_SHOWN) -> list[str]:
    """The most telling few things the mentee and mentor have in common, in words for the card."""
    return [_words(key, seeker, offer) for key in fits(seeker, offer)[:shown]]


def _words(key: str, seeker: Seeker, offer: Offer) -> str:
    if key == "away":
        return ALSO[next(tag for tag in reference.TIME_AWAY if tag in seeker.tags & offer.tags)]
    if key == "school":
        return offer.school
    if key == "specialty":
        return offer.specialty
    if key == "grade":
        steps = GRADE_LEVELS[offer.grade] - GRADE_LEVELS[seeker.grade]
        return f"{offer.grade}: {steps} {'step' if steps == 1 else 'steps'} ahead of you"
    if key == "location":
        if seeker.trust and seeker.trust == plain(offer.trust):
            return "Works at your trust"
        return f"Meets face to face in {min(seeker.locations & offer.locations).title()}"
    if key == "mode":
        return MODES[seeker.mode]
    day = next(d for d in reference.DAYS if d in seeker.days and any(s.startswith(f"{d}-") for s in offer.slots))
    parts = [reference.PARTS_OF_DAY[s.split("-")[1]] for s in offer.slots if s.startswith(f"{day}-")]
    joined = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"Meets on {reference.DAYS[day]} {joined}"
