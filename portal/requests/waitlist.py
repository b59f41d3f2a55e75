"""Places with a mentor, and the waiting list for a full one.

A mentor's places_taken counts active relationships, requests waiting for an answer and places
held for someone on the waiting list. A place is taken and given back by conditional updates,
so two people can never take the same last place. When a place frees and people are waiting,
the first in line is offered it and the place is held for them for a few working days; if they
do not take it, the next in line is asked.
"""
from collections import Counter
from datetime import datetime

from flask import current_app
from peewee import Case, IntegrityError, fn

from portal.core import audit, clock, db
from portal.core.db import database
from portal.core.refused import Refused
from portal.models import (MenteeProfile, MentorProfile, MentorRequest, Relationship, User, WaitlistEntry,
                           WaitlistStatus, mentor_state)
from portal.requests import emails
from portal.rules import workdays
from portal.rules.availability import MentorState
from portal.rules.mentoring import RelationshipStatus
from portal.rules.requests import RequestStatus

OPEN = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistProblem(Refused):
    """Why someone cannot join a waiting list, in words for them."""


def take_place(mentor_id: int) -> bool:
    """Take one of the mentor's free places; False when there is none."""
    return bool(MentorProfile.update(places_taken=MentorProfile.places_taken + 1)
                .where((MentorProfile.id == mentor_id) & (MentorProfile.places_taken < MentorProfile.capacity))
                .execute())


def release_place(mentor_id: int, now: datetime | None = None) -> None:
    """Give a place back, and offer it to whoever waits longest for this mentor."""
    release_places([mentor_id], now)


def release_places(mentor_ids: list[int], now: datetime | None = None) -> None:
    """Give back a place for each time a mentor is named (a sweep ending several requests to one mentor
    gives back several), a statement for all those giving back as many; then offer them to the waiting
    lists of the mentors who have one."""
    counts = Counter(mentor_ids)
    for given_back in sorted(set(counts.values())):
        MentorProfile.update(places_taken=Case(None, [(MentorProfile.places_taken >= given_back,
                                                       MentorProfile.places_taken - given_back)], 0)).where(
            MentorProfile.id.in_([m for m, n in counts.items() if n == given_back])).execute()
    for entry in (WaitlistEntry.select(WaitlistEntry.mentor).distinct()
                  .where(WaitlistEntry.mentor.in_(list(counts)) & (WaitlistEntry.status == WaitlistStatus.WAITING))):
        offer_free_places(entry.mentor_id, now)


def hold_places(mentor_ids) -> None:
    """Lock these mentors' rows, in id order, before a sweep changes the places of many at once: two
    sweeps, or a sweep and someone asking, then take their turns rather than each waiting for the other.
    (SQLite's transactions take turns anyway.)"""
    if mentor_ids and db.is_postgres():
        list(MentorProfile.select(MentorProfile.id).where(MentorProfile.id.in_(sorted(set(mentor_ids))))
             .order_by(MentorProfile.id).for_update())


def open_entry(mentee: MenteeProfile, mentor: MentorProfile) -> WaitlistEntry | None:
    return WaitlistEntry.get_or_none((WaitlistEntry.mentee == mentee) & (WaitlistEntry.mentor == mentor)
                                     & WaitlistEntry.status.in_(OPEN))


def position(entry: WaitlistEntry) -> int:
    """1 for the first in line."""
    return WaitlistEntry.select().where(
        (WaitlistEntry.mentor == entry.mentor_id) & (WaitlistEntry.status == WaitlistStatus.WAITING)
        & (WaitlistEntry.id <= entry.id)).count()


def lists_of(mentee: MenteeProfile) -> list[WaitlistEntry]:
    """The waiting lists the mentee is on, each with its mentor and, as `place`, where they are in line
    (1 for the first; 0 once a place is held for them): one query, whatever the number of lists."""
    ahead = WaitlistEntry.alias()
    place = (ahead.select(fn.COUNT(ahead.id)).where((ahead.mentor == WaitlistEntry.mentor)
                                                  & (ahead.status == WaitlistStatus.WAITING)
                                                  & (ahead.id <= WaitlistEntry.id)))
    return list(WaitlistEntry.select(WaitlistEntry, MentorProfile, User, place.alias("place"))
                .join(MentorProfile).join(User)
                .where((WaitlistEntry.mentee == mentee) & WaitlistEntry.status.in_(OPEN)).order_by(WaitlistEntry.id))


def queue_of(mentor: MentorProfile) -> list[WaitlistEntry]:
    """Everyone on the mentor's waiting list, with their logins, first in line first (one held a place
    is offered to comes before those still waiting)."""
    return list(WaitlistEntry.select(WaitlistEntry, MenteeProfile, User).join(MenteeProfile).join(User)
                .where((WaitlistEntry.mentor == mentor) & WaitlistEntry.status.in_(OPEN))
                .order_by(WaitlistEntry.status, WaitlistEntry.id))  # "offered" before "waiting"


def join(mentee: MenteeProfile, mentor: MentorProfile) -> WaitlistEntry:
    """Wait for a full mentor: for a mentee who may ask a mentor, of a mentor who is only full."""
    if mentor.user_id == mentee.user_id:
        raise WaitlistProblem("You cannot join your own waiting list")
    if mentee.deactivated_at:
        raise WaitlistProblem("Your mentee account is paused: ask the team to restart it")
    if Relationship.select().where((Relationship.mentee == mentee)
                                   & (Relationship.status == RelationshipStatus.ACTIVE)).exists():
        raise WaitlistProblem("You already have a mentor")
    fresh = MentorProfile.get_by_id(mentor.id)
    standing = mentor_state(fresh, clock.today_london())
    if standing == MentorState.OPEN:
        raise WaitlistProblem("This mentor has a free place, so you can ask them now")
    if standing != MentorState.FULL:
        raise WaitlistProblem("This mentor is not taking mentees just now")
    try:
        with database.atomic():
            entry = WaitlistEntry.create(mentor=mentor, mentee=mentee)
            audit.record(mentee.user, "joined_waitlist", entry)
    except IntegrityError:
        raise WaitlistProblem("You are already on this mentor's waiting list") from None
    return entry


def leave_all(mentee_id: int, by) -> list[WaitlistEntry]:
    """Leave every waiting list (a mentee matched, or paused): held places go to the next in line.
    The entries left, with their mentors."""
    entries = (WaitlistEntry.select(WaitlistEntry, MentorProfile, User).join(MentorProfile).join(User)
               .where((WaitlistEntry.mentee == mentee_id) & WaitlistEntry.status.in_(OPEN)).order_by(WaitlistEntry.id))
    return [entry for entry in entries if leave(entry, by)]


def leave(entry: WaitlistEntry, by: User) -> bool:
    """False when the entry had already closed."""
    with database.atomic():
        # By the status it has now, not as it was read: an offer made meanwhile holds a place to give back.
        held = _close_entry(entry.id, WaitlistStatus.OFFERED)
        if held:
            release_place(entry.mentor_id)
        left = held or _close_entry(entry.id, WaitlistStatus.WAITING)
        if left:
            audit.record(by, "left_waitlist", entry)
    return bool(left)


def _close_entry(entry_id: int, status: str) -> int:
    return WaitlistEntry.update(status=WaitlistStatus.LEFT, closed_at=clock.now()).where(
        (WaitlistEntry.id == entry_id) & (WaitlistEntry.status == status)).execute()


def close_list(mentor: MentorProfile) -> int:
    """A mentor leaving the scheme (their data erased): everyone waiting for them is told to choose
    again, without the mentor's name."""
    closed = 0
    for entry in WaitlistEntry.select().where((WaitlistEntry.mentor == mentor.id) & WaitlistEntry.status.in_(OPEN)):
        if not WaitlistEntry.update(status=WaitlistStatus.LEFT, closed_at=clock.now()).where(
                (WaitlistEntry.id == entry.id) & WaitlistEntry.status.in_(OPEN)).execute():
            continue
        emails.send_waitlist_closed(entry)
        audit.record(None, "closed_waitlist_entry", entry)
        closed += 1
    return closed


def offer_free_places(mentor_id: int, now: datetime | None = None) -> int:
    """Offer each free place of an available mentor to the next in line; returns how many were offered."""
    now = now or clock.now()
    offered = 0
    if not WaitlistEntry.select().where((WaitlistEntry.mentor == mentor_id)
                                        & (WaitlistEntry.status == WaitlistStatus.WAITING)).exists():
        return offered
    while True:
        with database.atomic():
            mentor = MentorProfile.get_by_id(mentor_id)
            if mentor_state(mentor, clock.to_london(now).date()) != MentorState.OPEN:
                return offered
            # One waiting for another mentor's answer could not use a place held for them: they keep their
            # turn, and the place goes to the next in line.
            asking = MentorRequest.select(MentorRequest.mentee).where(MentorRequest.status == RequestStatus.PENDING)
            waiting = list(WaitlistEntry.select().where(
                (WaitlistEntry.mentor == mentor_id) & (WaitlistEntry.status == WaitlistStatus.WAITING)
                & WaitlistEntry.mentee.not_in(asking)).order_by(WaitlistEntry.id).limit(5))
            if not waiting or not take_place(mentor_id):
                return offered
            for entry in waiting:
                expires = workdays.deadline(now, current_app.config["WAITLIST_OFFER_WORKING_DAYS"])
                if WaitlistEntry.update(status=WaitlistStatus.OFFERED, offered_at=now, offer_expires_at=expires).where(
                        (WaitlistEntry.id == entry.id) & (WaitlistEntry.status == WaitlistStatus.WAITING)).execute():
                    _tell_offered(entry, mentor, expires)
                    offered += 1
                    break
            else:
                # Everyone we looked at was offered a place by someone else meanwhile.
                MentorProfile.update(places_taken=MentorProfile.places_taken - 1).where(
                    MentorProfile.id == mentor_id).execute()
                return offered


def _tell_offered(entry: WaitlistEntry, mentor: MentorProfile, expires: datetime) -> None:
    emails.send_waitlist_offer(entry, expires)
    audit.record(None, "offered_waitlist_place", entry)


def take_offer(mentee: MenteeProfile, mentor: MentorProfile) -> bool:
    """The mentee uses the place held for them; True when they held one."""
    return bool(WaitlistEntry.update(status=WaitlistStatus.TAKEN, closed_at=clock.now()).where(
        (WaitlistEntry.mentee == mentee) & (WaitlistEntry.mentor == mentor)
        & (WaitlistEntry.status == WaitlistStatus.OFFERED)).execute())


def lapse_offers(now: datetime) -> int:
    """Offers not taken in time lapse; their places go to the next in line."""
    due = list(WaitlistEntry.select(WaitlistEntry.id, WaitlistEntry.mentor).where(
        (WaitlistEntry.status == WaitlistStatus.OFFERED) & (WaitlistEntry.offer_expires_at <= now)).limit(500))
    lapsed = 0
    for entry in due:
        with database.atomic():
            if WaitlistEntry.update(status=WaitlistStatus.LAPSED, closed_at=now).where(
                    (WaitlistEntry.id == entry.id) & (WaitlistEntry.status == WaitlistStatus.OFFERED)).execute():
                audit.record(None, "waitlist_offer_lapsed", entry)
                release_place(entry.mentor_id, now)
                lapsed += 1
    return lapsed
