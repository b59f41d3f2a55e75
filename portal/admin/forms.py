"""The team's forms: an invitation, a person's name and address."""
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from portal.core.forms import choices, email_field, name_field
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
