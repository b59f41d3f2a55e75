"""A mentor's availability as they and the team set it: how many mentees at once, a pause, leave, and
whether they are on the register. A mentor going away closes the requests waiting for them in the same
transaction, so no one can accept one in between; a freed place goes to their waiting list."""
from datetime import date, datetime

from portal.core import audit, clock, inbox
from portal.core.db import database
from portal.models import MentorProfile, ProfileChange, User, mentor_state
from portal.register import emails, profiles
from portal.requests import mentor_requests, waitlist
from portal.rules import availability
from portal.rules.availability import MentorState


def availability_problems(capacity: int, leave_from: date | None, leave_until: date | None,
                          places_taken: int) -> dict[str, str]:
    """Field -> why the availability settings cannot be saved."""
    problems = {}
    if capacity < places_taken:
        problems["capacity"] = (f"You have {places_taken} {'mentee' if places_taken == 1 else 'mentees'} or "
                                f"{'request' if places_taken == 1 else 'requests'} now, so the number cannot be "
                                f"lower than {places_taken}")
    if bool(leave_from) != bool(leave_until):
        problems["leave_until" if leave_from else "leave_from"] = "Enter both the first and the last day of leave"
    elif leave_from and leave_until < leave_from:
        problems["leave_until"] = "The last day of leave must be the same as or after the first day"
    return problems


AVAILABILITY = ("capacity", "paused", "leave_from", "leave_until")


def set_availability(mentor: MentorProfile, by: User, **fields) -> dict | None:
    """Any of capacity, paused, leave_from and leave_until, as checked by availability_problems; only
    those given are written. Returns what changed, or None when a mentee took a place meanwhile and
    the capacity would now be below the places taken."""
    if not fields or not set(fields) <= set(AVAILABILITY):
        raise TypeError(f"set_availability takes some of {AVAILABILITY}, not {sorted(fields)}")
    if fields.get("paused") is False:
        fields["paused_until"] = None  # unpausing ends a pause set until a day, too
    with database.atomic():
        current = MentorProfile.get_by_id(mentor.id)
        changes = {f: [profiles.as_history(getattr(current, f)), profiles.as_history(v)] for f, v in fields.items() if getattr(current, f) != v}
        if not changes:
            return {}
        allowed = MentorProfile.id == mentor.id
        if "capacity" in fields:
            allowed &= MentorProfile.places_taken <= fields["capacity"]
        if not MentorProfile.update(**fields).where(allowed).execute():
            return None
        ProfileChange.create(mentor=mentor, changed_by=by, changes=changes)
        # In the same transaction: nobody can answer a request between the mentor going away and it closing.
        mentor_requests.close_requests_if_away(mentor.id)
    waitlist.offer_free_places(mentor.id)
    return changes


def end_leave(mentor: MentorProfile, by: User) -> dict | None:
    """Back early, or not going after all: the leave is cleared, so the mentor is in the directory
    again from today (its dates stay in the profile's history)."""
    return set_availability(mentor, by, leave_from=None, leave_until=None)


def set_listed(mentor: MentorProfile, by: User, listed: bool, leaving: bool = False) -> None:
    """`leaving`: off the register because their data is being erased; the mentees whose requests
    close are not told their name."""
    with database.atomic():
        if MentorProfile.update(listed=listed).where(
                (MentorProfile.id == mentor.id) & (MentorProfile.listed != listed)).execute():
            ProfileChange.create(mentor=mentor, changed_by=by, changes={"listed": [not listed, listed]})
            audit.record(by, "listed_mentor" if listed else "unlisted_mentor", mentor)
            if listed:
                inbox.close_for("profile_ready", mentor.user_id, by)
        # in the same transaction, as in set_availability
        if leaving:
            mentor_requests.close_requests_to(mentor, leaving=True)
        else:
            mentor_requests.close_requests_if_away(mentor.id)
    waitlist.offer_free_places(mentor.id)


STATES = {
    MentorState.NOT_SET_UP: "Login not set up yet",
    MentorState.UNLISTED: "Off the register",
    MentorState.PAUSED: "Paused",
    MentorState.ON_LEAVE: "On leave",
    MentorState.CLOSED: "Not taking mentees",
    MentorState.FULL: "Full",
    MentorState.OPEN: "Taking mentees",
}


def return_from_leave(now: datetime) -> int:
    """Mentors whose leave has ended are back in the directory (it reads the dates); tell them so,
    once, and offer their free places to anyone waiting."""
    today = clock.to_london(now).date()
    ended = list(MentorProfile.select(MentorProfile.id, MentorProfile.leave_until)
                 .where(MentorProfile.leave_until < today).limit(500))
    returned = 0
    for mentor in ended:
        with database.atomic():
            if not MentorProfile.update(leave_from=None, leave_until=None).where(
                    (MentorProfile.id == mentor.id) & (MentorProfile.leave_until == mentor.leave_until)).execute():
                continue
            profile = MentorProfile.get_by_id(mentor.id)
            user = User.get_by_id(profile.user_id)
            emails.send_welcome_back(mentor, user, visible=mentor_state(profile, today) in availability.OFFERED)
            audit.record(None, "returned_from_leave", profile)
            returned += 1
        waitlist.offer_free_places(mentor.id, now)
    return returned


def end_pauses(now: datetime) -> int:
    """A pause a mentor set until a day they chose (when answering a request) ends after that day: they
    are told, once, and their free places are offered to anyone waiting."""
    today = clock.to_london(now).date()
    ended = list(MentorProfile.select(MentorProfile.id, MentorProfile.paused_until)
                 .where(MentorProfile.paused_until < today).limit(500))
    lifted = 0
    for mentor in ended:
        with database.atomic():
            if not MentorProfile.update(paused=False, paused_until=None).where(
                    (MentorProfile.id == mentor.id) & (MentorProfile.paused_until == mentor.paused_until)).execute():
                continue
            ProfileChange.create(mentor=mentor.id, changes={
                "paused": [True, False], "paused_until": [mentor.paused_until.isoformat(), None]})
            profile = MentorProfile.get_by_id(mentor.id)
            emails.send_pause_ended(mentor, User.get_by_id(profile.user_id),
                                    visible=mentor_state(profile, today) in availability.OFFERED)
            audit.record(None, "pause_ended", profile)
            lifted += 1
        waitlist.offer_free_places(mentor.id, now)
    return lifted
