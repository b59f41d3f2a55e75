"""The forms of accounts: signing up (with the eligibility declaration), logging in, passwords, a person's
name and address, the agreement, joining as a mentee, and registering interest in mentoring."""
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from werkzeug.security import check_password_hash

from portal.core import clock, reference
from portal.core.forms import (MultiCheckboxField, PasswordChoice, agreement_version_field, choices, date_field,
                               email_field, name_field, new_password_fields, strip, whole_number)
from portal.rules import emails as email_rules
from portal.rules.eligibility import DECLARATIONS, REASONS, check_return_date, may_join
from portal.rules.matching import REASON_TAGS


class AccountFields(PasswordChoice):
    """Who is signing up: declared before MenteeDetailsForm so these fields come first on the page."""

    name = name_field()
    email = email_field(description="We will send you a link to confirm it.")
    password, password_confirm = new_password_fields()

    def owner_details(self):
        return self.email.data or "", self.name.data or ""


class MenteeDetailsForm(FlaskForm):
    """What a mentee declares to join: asked at sign-up, or of a mentor who wants a mentor too."""

    grade = SelectField("Grade", choices=choices(reference.GRADES, "Choose your grade"),
                        validators=[DataRequired("Choose your grade")])
    school = SelectField("School", choices=choices(reference.SCHOOLS, "Choose your school"),
                         validators=[DataRequired("Choose your school")])
    specialty = StringField("Specialty (optional)", filters=[strip], validators=[
        Optional(), Length(max=100, message="Your specialty must be 100 characters or fewer")])
    trust = StringField("Employing trust", filters=[strip], validators=[
        DataRequired("Enter the trust that employs you"),
        Length(max=100, message="The trust name must be 100 characters or fewer")])
    eligibility = RadioField("Which of these describes you?",
                             choices=choices(DECLARATIONS.items()),
                             validators=[InputRequired("Choose the statement that describes you")])
    reason = RadioField("Why are you out of training, or going out?", choices=choices(REASONS.items()),
                        validators=[InputRequired("Choose the reason you are out of training")])
    expected_return = date_field("Expected date of return to training", description="Your best estimate is fine.",
                                 validators=[InputRequired("Enter your expected return date, for example 27 3 2027")])
    agree = BooleanField("I have read the mentoring agreement and agree to it",
                         validators=[DataRequired("Tick to confirm you agree to the mentoring agreement")])
    # The version shown on the page, which is the one agreed to, even if a newer one is published meanwhile.
    agreement_version = agreement_version_field()

    def validate_eligibility(self, field):
        if not may_join(field.data):
            raise ValidationError(
                "The scheme is for trainees who are out of training now, or who are going out and have "
                "completed an absence planning form, so you cannot join just yet. Email the team at "
                f"{current_app.config['SCHEME_INBOX_EMAIL']} and they will talk through what is open to you.")

    def validate_expected_return(self, field):
        if field.data is None:
            return  # not a date at all: already explained
        problem = check_return_date(field.data, self.eligibility.data, clock.today_london())
        if problem:
            raise ValidationError(problem)


class SignupForm(AccountFields, MenteeDetailsForm):
    pass


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired("Enter your password")],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me logged in on this device")


class EmailOnlyForm(FlaskForm):
    email = email_field()


class ChangePasswordForm(PasswordChoice, FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")],
                                     render_kw={"autocomplete": "current-password"})
    password, password_confirm = new_password_fields()


class DetailsForm(FlaskForm):
    """Account → Your details: a name, and an address the person will be asked to confirm."""

    name = name_field()
    email = email_field(description="If you change it, we will send a link to the new address. Until you "
                                    "press the button on that link's page, we keep using the one you have now.")
    current_password = PasswordField("Your password (needed only to change your email address)",
                                     render_kw={"autocomplete": "current-password"})

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    @property
    def new_email(self) -> str | None:
        """The address asked for, when it is not the one in use."""
        return self.email.data if self.email.data and self.email.data != self.owner.email else None

    def validate_current_password(self, field):
        # Someone at a computer left logged in could otherwise move the account to an address of their own.
        if self.new_email and not check_password_hash(self.owner.password_hash or "", field.data or ""):
            raise ValidationError("Enter your password to change your email address" if not field.data
                                  else "Your password is not right")


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


def _hour(value):
    """The hour a form sent, or None when it is not one (so the field's own check gives the message)."""
    return value if isinstance(value, int) else whole_number(value, digits=2)


class EmailChoicesForm(FlaskForm):
    """Account → Emails: how news comes, when the daily summary does, and an admin's weekly copy."""

    news = RadioField("How would you like news that needs nothing from you?",
                      description="For example: a session confirmed, a waiting list closed, a reminder about the "
                                  "survey.",
                      choices=choices(email_rules.NEWS_CHOICES.items()), validate_choice=False)
    summary_hour = SelectField("Time of your daily summary",
                               description="UK time. Used when you choose a daily summary.",
                               choices=choices((hour, f"{hour:02d}:00") for hour in email_rules.SUMMARY_HOURS),
                               coerce=_hour, validate_choice=False)
    weekly_summary = BooleanField("Send me my own copy of the team's weekly summary, on Monday mornings")

    def validate_news(self, field):
        if field.data not in email_rules.NEWS_CHOICES:
            raise ValidationError("Choose how you would like your news")

    def validate_summary_hour(self, field):
        if field.data not in email_rules.SUMMARY_HOURS:
            raise ValidationError("Choose a time for your daily summary")


MEET_MODES = {"in_person": "Face to face", "online": "By video or phone", "": "Either suits me"}


class MatchingForm(FlaskForm):
    """What a mentee says suits them, for the directory's best-fit order: all optional. The kind of time
    away their sign-up reason names counts already, so it is not offered again."""

    time_away = MultiCheckboxField("Anything else that is part of your time away (optional)",
                                   description="Mentors who share one of these come first.")
    meet_mode = RadioField("How would you like to meet?", choices=choices(MEET_MODES.items()), default="",
                           validate_choice=False)
    usual_days = MultiCheckboxField("Days you are usually free (optional)", choices=choices(reference.DAYS.items()))
    can_reach = StringField("Places you could get to for a face-to-face meeting (optional)", filters=[strip],
                            description="Towns or cities, separated by commas: for example Leeds, Wakefield.",
                            validators=[Length(max=300, message="Places must be 300 characters or fewer")])

    def __init__(self, *args, reason: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        counted = REASON_TAGS.get(reason)
        self.time_away.choices = choices((key, label) for key, label in reference.TIME_AWAY.items() if key != counted)

    def validate_meet_mode(self, field):
        if (field.data or "") not in MEET_MODES:
            raise ValidationError("Choose how you would like to meet")
