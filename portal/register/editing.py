"""Saving a submitted profile or availability form: the same for a mentor and for an admin."""
from datetime import date

from portal.register import availability, profiles
from portal.register.forms import STALE_PAGE, UNKNOWN_VERSION
from portal.register.uploads import take_photo


def profile_form_data(mentor) -> dict:
    """A form's starting values from a saved profile."""
    return {"name": mentor.user.name, **{f: getattr(mentor, f) for f in profiles.BIO_FIELDS},
            **profiles.choices_of(mentor), "version": mentor.profile_version}


def save_profile(form, mentor, by) -> tuple[bool, dict]:
    """(saved, what changed); not saved while the form or its photo has mistakes, or when someone
    else saved the profile after the form was opened (form.changed_meanwhile then says what)."""
    if not form.is_submitted():
        return False, {}
    valid = form.validate()
    photo_key = take_photo(form)
    if form.version.errors:
        form.version.data = str(mentor.profile_version)  # so that saving again, once checked, works
    if not valid or form.photo.errors:
        return False, {}
    try:
        return True, profiles.update(mentor, by, values=form.values(), name=form.name.data, photo_key=photo_key,
                                    remove_photo=form.remove_photo.data and not photo_key,
                                    version=int(form.version.data))
    except profiles.ProfileChanged as changed:
        form.version.data = str(changed.version)
        if changed.changed is None:
            form.version.errors.append(UNKNOWN_VERSION)
        else:
            form.version.errors.append("Someone else saved this profile after you opened it. Check what they "
                                       "changed, then save again")
            form.changed_meanwhile = changed.changed
        return False, {}


def profile_status(form) -> int:
    """The status of a profile form shown again: a conflict when someone else saved first."""
    if form.changed_meanwhile is not None:
        return 409
    return 400 if form.version.errors else 200


def availability_status(form) -> int:
    """The status of an availability form shown again: 400 when what the page showed could not be read."""
    return 400 if form.shown.errors else 200


def _as_shown(capacity, paused, leave_from, leave_until) -> str:
    return ";".join((str(capacity), "1" if paused else "0", leave_from.isoformat() if leave_from else "",
                     leave_until.isoformat() if leave_until else ""))


def _what_was_shown(form) -> dict | None:
    """The settings as the page showed them, from its `shown` field; None if that cannot be read."""
    try:
        capacity, paused, leave_from, leave_until = form.shown.data.split(";")
        return {"capacity": int(capacity), "paused": paused == "1",
                "leave": (date.fromisoformat(leave_from) if leave_from else None,
                          date.fromisoformat(leave_until) if leave_until else None)}
    except ValueError:
        return None


def save_availability(form, mentor, by) -> bool:
    """Saves what the person changed on the page, and only that: a pause or leave set by someone else
    after the page was opened stays. The two leave dates go together, so they are never half-changed."""
    current = _as_shown(mentor.capacity, mentor.paused, mentor.leave_from, mentor.leave_until)
    if not form.is_submitted():
        form.shown.data = current
        return False
    valid = form.validate()
    shown = _what_was_shown(form) if not form.shown.errors else None
    if shown is None:
        if not form.shown.errors:
            form.shown.errors.append(STALE_PAGE)
        form.shown.data = current  # so that saving again, once checked, works
        return False
    if not valid:
        return False
    problems = availability.availability_problems(form.capacity.data, form.leave_from.data, form.leave_until.data,
                                             mentor.places_taken)
    for name, message in problems.items():
        form[name].errors.append(message)
    if problems:
        return False
    changed = {}
    if form.capacity.data != shown["capacity"]:
        changed["capacity"] = form.capacity.data
    if form.paused.data != shown["paused"]:
        changed["paused"] = form.paused.data
    if (form.leave_from.data, form.leave_until.data) != shown["leave"]:
        changed.update(leave_from=form.leave_from.data, leave_until=form.leave_until.data)
    if not changed:
        return True
    saved = availability.set_availability(mentor, by, **changed)
    if saved is None:
        form.capacity.errors.append("A mentee has just taken one of your places, so the number cannot be that "
                                    "low: check it and save again")
        return False
    return True
