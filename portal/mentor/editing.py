"""Saving a submitted profile or availability form: the same for a mentor and for an admin."""
from .. import mentors
from .forms import UNKNOWN_VERSION
from .uploads import take_photo


def profile_form_data(mentor) -> dict:
    """A form's starting values from a saved profile."""
    return {"name": mentor.user.name, **{f: getattr(mentor, f) for f in mentors.BIO_FIELDS},
            **mentors.choices_of(mentor), "version": mentor.profile_version}


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
        return True, mentors.update(mentor, by, values=form.values(), name=form.name.data, photo_key=photo_key,
                                    version=int(form.version.data))
    except mentors.ProfileChanged as changed:
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


def save_availability(form, mentor, by) -> bool:
    if not form.validate_on_submit():
        return False
    problems = mentors.availability_problems(form.capacity.data, form.leave_from.data, form.leave_until.data,
                                             mentor.places_taken)
    for name, message in problems.items():
        form[name].errors.append(message)
    if problems:
        return False
    saved = mentors.set_availability(mentor, by, capacity=form.capacity.data, paused=form.paused.data,
                                     leave_from=form.leave_from.data, leave_until=form.leave_until.data)
    if saved is None:
        form.capacity.errors.append("A mentee has just taken one of your places, so the number cannot be that "
                                    "low: check it and save again")
        return False
    return True
