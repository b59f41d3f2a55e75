"""Saving a submitted profile or availability form: the same for a mentor and for an admin."""
from .. import mentors
from .uploads import take_photo


def profile_form_data(mentor) -> dict:
    """A form's starting values from a saved profile."""
    return {"name": mentor.user.name, **{f: getattr(mentor, f) for f in mentors.BIO_FIELDS},
            **mentors.choices_of(mentor)}


def save_profile(form, mentor, by) -> tuple[bool, dict]:
    """(saved, what changed); not saved while the form or its photo has mistakes."""
    if not form.is_submitted():
        return False, {}
    valid = form.validate()
    photo_key = take_photo(form)
    if not valid or form.photo.errors:
        return False, {}
    return True, mentors.update(mentor, by, values=form.values(), name=form.name.data, photo_key=photo_key)


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
