"""The mentor register: creating mentors from their bios, editing profiles (with a history the
admin team can read), headshots, and a mentor's own availability: capacity, pause and leave."""
from datetime import date

from portal.core import audit, inbox, reference
from portal.core.db import database
from portal.models import MentorOption, MentorProfile, ProfileChange, StoredPhoto, User
from portal.register.photos import Photo

# The bio fields of SCHEME.md's mentor profile, as stored on MentorProfile.
BIO_FIELDS = ["grade", "school", "specialty", "trust", "gender", "pronouns", "experience_rtt", "experience_away",
              "why_mentor", "availability_notes", "meets_in_person", "meets_online", "locations", "interests",
              "contact_details"]


# Choices kept as MentorOption rows; "day" rows are derived from the slots, "location" rows from the locations.
CHOICE_FIELDS = ["slots", "platforms", "time_away"]


LABELS = {
    "name": "Name", "grade": "Grade", "school": "School", "specialty": "Specialty", "trust": "Trust",
    "gender": "Gender", "pronouns": "Pronouns", "experience_rtt": "Experience of returning to training",
    "experience_away": "Experience of time away", "why_mentor": "Why they mentor",
    "availability_notes": "Restrictions on availability", "meets_in_person": "Meets face to face",
    "meets_online": "Meets by video or phone", "locations": "Places to meet", "interests": "Interests",
    "contact_details": "Contact details", "slots": "Availability", "platforms": "Platforms", "photo": "Photo",
    "time_away": "Time away", "paused_until": "Paused until",
    "capacity": "Capacity", "paused": "Paused", "leave_from": "Leave from", "leave_until": "Leave until",
    "listed": "On the register", "course_part1_on": "Course part 1", "course_part2_on": "Course part 2",
    "last_supervision_on": "Last supervision",
}


def locations_in(text: str) -> list[str]:
    """The locations a mentor meets in, from what they typed: "leeds, York; harrogate" -> Leeds, York, Harrogate."""
    seen = {}
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name.lower(), name[0].upper() + name[1:])
    return list(seen.values())


def choices_of(mentor: MentorProfile) -> dict[str, list[str]]:
    """The mentor's slots, platforms and kinds of time away, in reference order."""
    rows = MentorOption.select(MentorOption.kind, MentorOption.value).where(MentorOption.mentor == mentor)
    return choices_from_rows(rows)


def choices_from_rows(rows) -> dict[str, list[str]]:
    found = {"slot": set(), "platform": set(), "away": set()}
    for row in rows:
        if row.kind in found:
            found[row.kind].add(row.value)
    return {"slots": [s for s in reference.SLOTS if s in found["slot"]],
            "platforms": [p for p in reference.PLATFORMS if p in found["platform"]],
            "time_away": [t for t in reference.TIME_AWAY if t in found["away"]]}


def option_rows(mentor_values: dict) -> set[tuple[str, str]]:
    slots = mentor_values.get("slots", [])
    rows = {("slot", slot) for slot in slots}
    rows |= {("day", slot.split("-")[0]) for slot in slots}
    rows |= {("platform", platform) for platform in mentor_values.get("platforms", [])}
    rows |= {("away", tag) for tag in mentor_values.get("time_away", [])}
    rows |= {("location", location.lower()[:60]) for location in locations_in(mentor_values.get("locations", ""))}
    return rows


def _replace_options(mentor: MentorProfile, values: dict) -> None:
    MentorOption.delete().where(MentorOption.mentor == mentor).execute()
    rows = [{"mentor": mentor, "kind": kind, "value": value} for kind, value in sorted(option_rows(values))]
    if rows:
        MentorOption.insert_many(rows).execute()


SEARCHED = ["specialty", "school", "trust", "locations", "experience_rtt", "experience_away", "why_mentor",
            "interests"]


def search_text_for(name: str, values: dict) -> str:
    """What the directory's search box looks through: the name, training, locations, experience, interests."""
    return " ".join([name, *(values.get(f, "") for f in SEARCHED)]).lower()


def keep_photo(photo: Photo) -> str:
    """Store a processed headshot; its key names it on a profile and in its URL."""
    StoredPhoto.insert(key=photo.key, card=photo.card, profile=photo.profile).on_conflict_ignore().execute()
    return photo.key


def create(by: User, *, name: str, email: str, values: dict, photo_key: str | None = None,
           capacity: int = 2) -> MentorProfile:
    """A mentor from their bio. An existing login (a mentee, say) gains the mentor role."""
    with database.atomic():
        user = User.get_or_none(User.email == email)
        if user is None:
            user = User.create(email=email, name=name)
        mentor = MentorProfile.create(user=user, **{f: values[f] for f in BIO_FIELDS if f in values},
                                      photo=photo_key, capacity=capacity, search_text=search_text_for(name, values))
        _replace_options(mentor, values)
        audit.record(by, "created_mentor", mentor)
    return mentor


class ProfileChanged(Exception):
    """A profile form opened before someone else saved the profile. `changed` holds (label, value now)
    for each field they changed, or is None when the form's version is not one the profile has had."""

    def __init__(self, version: int, changed: list[tuple[str, object]] | None):
        super().__init__("The profile was saved by someone else after the form was opened")
        self.version = version
        self.changed = changed


def _form_values(mentor: MentorProfile, user: User) -> dict:
    return {f: getattr(mentor, f) for f in BIO_FIELDS} | choices_of(mentor) | {"name": user.name}


def _changed_since(mentor_id: int, version: int) -> ProfileChanged:
    current = MentorProfile.get_by_id(mentor_id)
    if not 1 <= version < current.profile_version:
        return ProfileChanged(current.profile_version, None)
    now = _form_values(current, User.get_by_id(current.user_id)) | {"photo": "changed"}
    fields = {}
    for change in ProfileChange.select().where((ProfileChange.mentor == mentor_id) & (ProfileChange.version > version)
                                               ).order_by(ProfileChange.id):
        fields.update(dict.fromkeys(change.changes))
    return ProfileChanged(current.profile_version, [(LABELS.get(f, f), now.get(f)) for f in fields])


def is_new(mentor: MentorProfile) -> bool:
    """Invited, and their profile not yet filled in (the profile form asks for a grade): the team lists
    them once it is."""
    return not mentor.listed and not mentor.grade


def update(mentor: MentorProfile, by: User, *, values: dict, name: str | None = None,
           photo_key: str | None = None, remove_photo: bool = False, version: int | None = None) -> dict:
    """Save what a profile form holds (name, bio, choices, photo); returns what changed (field ->
    [before, after]), also kept as a ProfileChange. Only those columns are written: places, capacity,
    pause, leave and listing move by their own conditional updates, which a save must never undo.
    With `version` (the profile_version the form was opened at), a profile someone else saved since
    is left as it is, and ProfileChanged says what they changed."""
    with database.atomic():
        same = MentorProfile.id == mentor.id
        if version is not None:
            same &= MentorProfile.profile_version == version
        # Changes nothing, but holds the row to the end of the transaction, so what is read next is
        # what this save applies to (updated_at is kept: nothing a mentee sees has changed yet).
        if not MentorProfile.update(profile_version=MentorProfile.profile_version,
                                    updated_at=MentorProfile.updated_at).where(same).execute():
            raise _changed_since(mentor.id, version)
        current = MentorProfile.get_by_id(mentor.id)
        before = _form_values(current, User.get_by_id(current.user_id))
        after = before | {f: values[f] for f in BIO_FIELDS + CHOICE_FIELDS if f in values}
        if name is not None:
            after["name"] = name
        changes = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
        columns = {f: after[f] for f in BIO_FIELDS}
        replaced = None
        if photo_key is not None and photo_key != current.photo:
            changes["photo"] = ["changed", "changed"]
            replaced, columns["photo"] = current.photo, photo_key
        elif remove_photo and current.photo:
            changes["photo"] = ["changed", "removed"]
            replaced, columns["photo"] = current.photo, None
        if not changes:
            return {}
        if "name" in changes:
            User.update(name=after["name"]).where(User.id == current.user_id).execute()
        MentorProfile.update(**columns, search_text=search_text_for(after["name"], after),
                             profile_version=current.profile_version + 1).where(
            MentorProfile.id == mentor.id).execute()
        _replace_options(current, after)
        ProfileChange.create(mentor=mentor.id, changed_by=by, changes=changes, version=current.profile_version + 1)
        if is_new(current) and after["grade"]:
            # An invited mentor has filled in their profile for the first time: the team lists them.
            user = User.get_by_id(current.user_id)
            inbox.raise_item("profile_ready", name=user.name, email=user.email, user=user)
        if replaced:
            drop_photo(replaced)
    return changes


def drop_photo(key: str) -> None:
    """A headshot taken off a profile stops being served at once, unless another profile shows the same picture."""
    StoredPhoto.delete().where((StoredPhoto.key == key) & StoredPhoto.key.not_in(
        MentorProfile.select(MentorProfile.photo).where(MentorProfile.photo.is_null(False)))).execute()


def set_training(mentor: MentorProfile, by: User, **dates) -> dict:
    """The mentoring course (both parts) and supervision dates; returns what changed."""
    with database.atomic():
        current = MentorProfile.get_by_id(mentor.id)
        changes = {f: [as_history(getattr(current, f)), as_history(v)] for f, v in dates.items() if getattr(current, f) != v}
        if changes:
            MentorProfile.update(**dates).where(MentorProfile.id == mentor.id).execute()
            ProfileChange.create(mentor=mentor, changed_by=by, changes=changes)
            audit.record(by, "recorded_training", mentor)
    return changes


def as_history(value):
    """A value as it is kept in the change history (JSON)."""
    return value.isoformat() if isinstance(value, date) else value
