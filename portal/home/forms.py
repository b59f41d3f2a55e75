"""Raising a concern with the admin team: open to anyone, signed in or not."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal.core.forms import email_field, name_field, strip


class ConcernForm(FlaskForm):
    """Raising a concern with the admin team: open to anyone, signed in or not."""

    name = name_field()
    email = email_field(message="Enter an email address so the team can reply")
    message = TextAreaField("What is your concern?", filters=[strip],
                            description="It goes to the scheme's admin team only. If someone is in danger now, "
                                        "call 999.",
                            validators=[DataRequired("Say what your concern is"),
                                        Length(max=3000, message="Your message must be 3,000 characters or fewer")])
