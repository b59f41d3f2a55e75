"""The forms of mentoring: a session (when, how long, how and where), its outcome, the mentor's notes."""
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.core import reference
from portal.core.forms import choices, date_field, strip
from portal.rules import sessions as rules

LENGTHS = [30, 45, 60, 75, 90, 105, 120]


class SessionForm(FlaskForm):
    date = date_field("Date", validators=[InputRequired("Enter the date of the session, for example 27 3 2027")])
    start = TimeField("Start time", format=["%H:%M", "%H.%M"],
                      description="In UK time, on the 24-hour clock: for example 18:30.",
                      invalid_value_message="Enter a real time, for example 18:30",
                      validators=[InputRequired("Enter the time the session starts, for example 18:30")])
    length = IntegerField("Length in minutes", default=60,
                          description=f"From {rules.MIN_MINUTES} to {rules.MAX_MINUTES} minutes.",
                          invalid_value_message=f"Enter a length from {rules.MIN_MINUTES} to {rules.MAX_MINUTES}"
                                                " minutes",
                          validators=[InputRequired("Enter how long the session will last"),
                                      NumberRange(rules.MIN_MINUTES, rules.MAX_MINUTES,
                                                  f"A session lasts from {rules.MIN_MINUTES} to {rules.MAX_MINUTES}"
                                                  " minutes")])
    mode = RadioField("How will you meet?", choices=choices([("video", "By video or phone"),
                                                             ("in_person", "Face to face")]),
                      validators=[InputRequired("Choose how you will meet")])
    platform = SelectField("Platform", validate_choice=False, validators=[Optional()])
    joining_link = URLField("Joining link (optional)", filters=[strip],
                            description="The meeting link, if you have one already.",
                            validators=[Optional(), Length(max=500, message="The link must be 500 characters "
                                                                            "or fewer")])
    location = StringField("Where you will meet", filters=[strip],
                        description="Somewhere private enough for a confidential conversation, away from your "
                                    "workplace, and not a social venue such as a café or bar.",
                        validators=[Length(max=200, message="The place must be 200 characters or fewer")])

    def __init__(self, *args, platforms: list[str], **kwargs):
        """`platforms`: those the mentor listed, the only ones offered (with "Other"), in their order."""
        super().__init__(*args, **kwargs)
        self.platform.choices = choices([(key, reference.PLATFORMS[key]) for key in platforms if key in reference.PLATFORMS]
                                        + [(reference.OTHER_PLATFORM, "Other")], "Choose a platform")

    def validate_platform(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose one of the platforms listed, or Other")

    def validate_joining_link(self, field):
        parts = urlsplit(field.data or "")
        if field.data and (parts.scheme not in ("https", "http") or not parts.netloc):
            raise ValidationError("Enter the full link, starting https://")


class NotesForm(FlaskForm):
    text = TextAreaField("Your notes", filters=[strip],
                         description="Only you can read these: not your mentee, not the team. They are deleted "
                                     "when the mentoring ends. Keep them brief and free of anything that identifies "
                                     "anyone.",
                         validators=[Length(max=5000, message="Notes must be 5,000 characters or fewer")])


class OutcomeForm(FlaskForm):
    held = RadioField("Did the session take place?", choices=choices([("yes", "Yes"), ("no", "No")]),
                      validators=[InputRequired("Say whether the session took place")])


class WithdrawalForm(FlaskForm):
    reason = TextAreaField("Anything the team should know (optional)", filters=[strip],
                           description="Only the admin team will see this.",
                           validators=[Length(max=1000, message="This must be 1,000 characters or fewer")])
