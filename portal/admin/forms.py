"""The team's forms: an invitation, a person's name and address, and acting on requests for people."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from portal.core.forms import choices, date_field, email_field, name_field, strip
from portal.core.roles import ADMIN, MENTOR


class InviteForm(FlaskForm):
    name = name_field("Their full name", whose="their")
    email = email_field("Their email address", whose="their")
    role = RadioField("Invite them as", choices=choices([(MENTOR, "A peer mentor"), (ADMIN, "A member of the admin team")]),
                      default=MENTOR, validators=[InputRequired("Choose whether to invite them as a peer mentor or "
                                                                "to the admin team")])


class PersonDetailsForm(FlaskForm):
    name = name_field("Full name", whose="their")
    email = email_field("Email address", whose="their", description="Used at once: check it with them first.")


def _agreed(what: str):
    return BooleanField(what, validators=[DataRequired("Tick to confirm they agreed")])


class ExtendForm(FlaskForm):
    until = date_field("New last day to answer", validators=[InputRequired("Enter the new last day, for example "
                                                                           "27 3 2027")],
                       description="The mentor can answer until the end of this day; their emailed link lasts as long.")


class PassOnForm(FlaskForm):
    mentor_email = email_field("Email address of the mentor to ask instead", whose="the mentor's")
    agreed = _agreed("The mentee has agreed to this mentor")


class MatchForm(FlaskForm):
    mentee_email = email_field("Mentee's email address", whose="the mentee's")
    mentor_email = email_field("Mentor's email address", whose="the mentor's")
    note = TextAreaField("Why, in a line", filters=[strip], validators=[DataRequired("Say briefly how this was agreed")],
                         description="For the record, for example: agreed with both by phone on 3 December. Nothing "
                                     "of what the mentee wants to talk about.")
    agreed = _agreed("Both the mentee and the mentor have agreed to this match")
