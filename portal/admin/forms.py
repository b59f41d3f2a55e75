from flask_wtf import FlaskForm
from wtforms import RadioField

from ..forms import choices, email_field, name_field


class InviteForm(FlaskForm):
    name = name_field("Their full name")
    email = email_field("Their email address", message="Enter their email address")
    role = RadioField("Invite them as", choices=choices([("mentor", "A peer mentor"), ("admin", "A member of the admin team")]),
                      default="mentor")
