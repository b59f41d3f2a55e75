from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import agreement_version_field, choices, email_field, name_field, strip
from .. import reference


class InterestForm(FlaskForm):
    """Registering interest in becoming a peer mentor: open to anyone, lands in the admin inbox."""

    name = name_field()
    email = email_field()
    grade = SelectField("Grade", choices=choices(reference.GRADES, "Choose your grade"),
                        validators=[DataRequired("Choose your grade")])
    specialty = StringField("School or specialty", filters=[strip], validators=[
        DataRequired("Enter your school or specialty"),
        Length(max=100, message="Your school or specialty must be 100 characters or fewer")])
    message = TextAreaField("Anything you would like the team to know (optional)", filters=[strip],
                            description="For example, when you could do the mentoring course. Up to 1,000 characters.",
                            validators=[Length(max=1000, message="Your message must be 1,000 characters or fewer")])


class AcceptAgreementForm(FlaskForm):
    agree = BooleanField("I have read this version of the mentoring agreement and agree to it",
                         validators=[DataRequired("Tick to confirm you agree to the new version")])
    version = agreement_version_field()


class ConcernForm(FlaskForm):
    """Raising a concern with the admin team: open to anyone, signed in or not."""

    name = name_field()
    email = email_field(message="Enter an email address so the team can reply")
    message = TextAreaField("What is your concern?", filters=[strip],
                            description="It goes to the scheme's admin team only. If someone is in danger now, "
                                        "call 999.",
                            validators=[DataRequired("Say what your concern is"),
                                        Length(max=3000, message="Your message must be 3,000 characters or fewer")])
