"""The mentor profile form, used by mentors for their own profile, by admins creating one from a
bio, and (without CSRF) to check each row of a CSV import: one set of rules for all three."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from portal.core import reference
from portal.core.forms import MultiCheckboxField, choices, date_field, email_field, name_field, strip

TEXT_LIMIT = 1500


def _text(label, limit, description="", required=None):
    validators = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, filters=[strip], description=description, validators=validators + [
        Length(max=limit, message=f"{label.split(' (')[0]} must be {limit:,} characters or fewer")])


def _capacity(label, description=""):
    return IntegerField(label, default=2, description=description,
                        invalid_value_message="Enter a whole number from 0 to 10, like 2",
                        validators=[InputRequired("Enter how many mentees at once"),
                                    NumberRange(0, 10, "Enter a whole number from 0 to 10, like 2")])


class MentorProfileForm(FlaskForm):
    name = name_field()
    grade = SelectField("Grade", choices=choices(reference.GRADES, "Choose a grade"),
                        validators=[DataRequired("Choose a grade")])
    school = SelectField("School", choices=choices(reference.SCHOOLS, "Choose a school"),
                         validators=[DataRequired("Choose a school")])
    specialty = StringField("Specialty (optional)", filters=[strip], validators=[
        Optional(), Length(max=100, message="The specialty must be 100 characters or fewer")])
    trust = StringField("Trust", filters=[strip], validators=[
        DataRequired("Enter the trust"), Length(max=100, message="The trust must be 100 characters or fewer")])
    gender = SelectField("Gender", choices=choices(reference.GENDERS, "Choose one"),
                         validators=[DataRequired("Choose a gender, or 'Prefer not to say'")])
    pronouns = StringField("Pronouns (optional)", filters=[strip], description="For example she/her or they/them.",
                           validators=[Optional(), Length(max=30, message="Pronouns must be 30 characters or fewer")])
    experience_rtt = _text("Experience of returning to training (optional)", TEXT_LIMIT,
                           "Your own return, and any support you used.")
    experience_away = _text("Experience of time away from training (optional)", TEXT_LIMIT,
                            "Parental leave, time out of programme, illness: whatever you are happy to share.")
    time_away = MultiCheckboxField("Kinds of time away you are happy for mentees to find you by (optional)",
                                   choices=choices(reference.TIME_AWAY.items()),
                                   description="Mentees can filter by these, and a mentee who shares one sees it "
                                               "on your card. Tick only what you are happy to share.")
    why_mentor = _text("Why you became a peer mentor", 1000, required="Say why you became a peer mentor")
    slots = MultiCheckboxField("When you are usually free", choices=choices((s, s) for s in reference.SLOTS),
                               validate_choice=True)
    availability_notes = StringField("Anything else about when you can meet (optional)", filters=[strip],
                                     description="For example: not during school holidays.",
                                     validators=[Optional(), Length(max=300, message="This must be 300 characters "
                                                                                     "or fewer")])
    meets_online = BooleanField("By video or phone")
    platforms = MultiCheckboxField("Platforms you will use", choices=choices(reference.PLATFORMS.items()))
    meets_in_person = BooleanField("Face to face")
    locations = StringField("Where you could meet face to face", filters=[strip],
                            description="Towns or cities, separated by commas: for example Leeds, York.",
                            validators=[Length(max=300, message="Places must be 300 characters or fewer")])
    interests = _text("Interests or hobbies you are happy to share (optional)", 500)
    contact_details = _text("How your mentees can contact you", 500,
                            "Only mentees you accept will see this: for example a phone number or email address.",
                            required="Say how your mentees can contact you")
    photo = FileField("Headshot photo (optional)",
                      description="A JPEG, PNG or WebP photo of your face, up to 5 MB. We remove its location "
                                  "and camera details.")
    photo_pending = HiddenField()

    def validate_platforms(self, field):
        if self.meets_online.data and not field.data:
            raise ValidationError("Choose at least one platform, or untick 'By video or phone'")

    def validate_locations(self, field):
        if self.meets_in_person.data and not field.data:
            raise ValidationError("Say where you could meet face to face, or untick 'Face to face'")

    def validate_meets_online(self, field):
        if not field.data and not self.meets_in_person.data:
            raise ValidationError("Choose at least one way to meet")

    def validate_slots(self, field):
        if not field.data and not self.availability_notes.data:
            raise ValidationError("Tick when you are usually free, or describe it below")

    def values(self) -> dict:
        """The profile fields as the register stores them."""
        names = ["grade", "school", "specialty", "trust", "gender", "pronouns", "experience_rtt", "experience_away",
                 "why_mentor", "availability_notes", "meets_in_person", "meets_online", "interests",
                 "contact_details", "slots", "platforms", "time_away"]
        values = {name: self[name].data for name in names}
        values["specialty"] = values["specialty"] or ""
        values["locations"] = self.locations.data if self.meets_in_person.data else ""
        values["platforms"] = self.platforms.data if self.meets_online.data else []
        return values


UNKNOWN_VERSION = "We could not tell when this form was opened. Check the details below and save again"
STALE_PAGE = "We could not tell what this page showed when it was opened. Check the details below and save again"


class ProfileEditForm(MentorProfileForm):
    """Editing a saved profile: the form carries the profile's version when it was opened, so a save
    on top of someone else's is noticed (mentors.update)."""

    version = HiddenField(validators=[InputRequired(UNKNOWN_VERSION), Regexp(r"^[0-9]{1,9}$", message=UNKNOWN_VERSION)])
    remove_photo = BooleanField("Remove the photo", description="Mentees then see your initials instead.")
    changed_meanwhile = None  # (label, value now) for each field someone else saved after it was opened


class NewMentorForm(MentorProfileForm):
    """An admin creating a mentor from the bio they sent in."""

    email = email_field("Email address", whose="their")
    capacity = _capacity("How many mentees at once")
    send_invitation = BooleanField("Email them an invitation to set their password now", default=True)


class AvailabilityForm(FlaskForm):
    """`shown` carries the settings as the page showed them, so a save writes only what the person
    changed, and a pause or leave someone else set meanwhile is not undone (editing.save_availability)."""

    capacity = _capacity("How many mentees can you take at once?",
                         "0 means you are not taking new mentees for now.")
    paused = BooleanField("Pause: hide me from the directory until I unpause")
    leave_from = date_field("First day of leave", validators=[Optional()])
    leave_until = date_field("Last day of leave", validators=[Optional()])
    shown = HiddenField(validators=[InputRequired(STALE_PAGE), Regexp(r"^[0-9]{1,2};[01];[0-9-]{0,10};[0-9-]{0,10}$",
                                                                      message=STALE_PAGE)])


class ImportRowForm(NewMentorForm):
    """One row of a CSV import, checked like the form an admin fills in (no photo, no CSRF)."""

    class Meta:
        csrf = False

    photo = None
    photo_pending = None
    send_invitation = None


class TrainingForm(FlaskForm):
    """What the admin team records of a mentor's preparation and support."""

    course_part1_on = date_field("Mentoring course, part 1: date completed (optional)", validators=[Optional()])
    course_part2_on = date_field("Mentoring course, part 2: date completed (optional)", validators=[Optional()])
    last_supervision_on = date_field("Most recent supervision session (optional)", validators=[Optional()])

    def validate_course_part2_on(self, field):
        if field.data and self.course_part1_on.data and field.data < self.course_part1_on.data:
            raise ValidationError("Part 2 cannot come before part 1")
