"""The team's forms: an invitation, a person's name and address."""
from flask_wtf import FlaskForm
from wtforms import RadioField

from portal.core.forms import choices, email_field, name_field
from portal.core.roles import ADMIN, MENTOR


class InviteForm(FlaskForm):
    name = name_field("Their full name")
    email = email_field("Their email address", message="Enter their email address")
    role = RadioField("Invite them as", choices=choices([(MENTOR, "A peer mentor"), (ADMIN, "A member of the admin team")]),
                      default=MENTOR)


class PersonDetailsForm(FlaskForm):
    name = name_field("Full name")
    email = email_field("Email address", message="Enter their email address",
                        description="Used at once: check it with them first.")
