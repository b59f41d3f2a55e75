"""Pieces shared by the forms: fields with the messages a person needs to put things right."""
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, PasswordField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.rules import passwords


class MultiCheckboxField(SelectMultipleField):
    """Several choices, as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip(value):
    """Trimmed, with line breaks as browsers count them (one character each), so a limit a textarea
    allowed is a limit the server allows."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def one_line(value):
    """A single line: any run of spaces, tabs or line breaks becomes one space."""
    return " ".join(value.split()) if isinstance(value, str) else value


def lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def whole_number(raw: str | None, digits: int = 9) -> int | None:
    """A number sent by a browser (a form, a cookie), or None when it is not plain digits 0-9 or is
    longer than `digits`: str.isdigit accepts "²", which int() refuses, and twenty digits overflow
    the database's integers."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= digits:
        return int(raw)
    return None


def agreement_version_field():
    """The version of the agreement the page showed, sent back hidden, so the one agreed to is recorded."""
    def plain_number(form, field):
        if field.data and whole_number(field.data) is None:
            raise ValidationError("This page was out of date: read the agreement again and tick to agree")
    return HiddenField(validators=[plain_number])


# People type dates the British way, in the NHS pattern's three boxes (day, month, year); a form
# sent by a script or an older page may send the whole date in one value, which is read as well.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d.%m.%Y"]
DATE_PARTS = ("day", "month", "year")


class DayMonthYearField(DateField):
    """A date in three boxes named x[day], x[month] and x[year], as the NHS.UK date input pattern asks."""

    def process_formdata(self, valuelist):
        if not valuelist and self._parts is not None and any(self._parts):
            valuelist = self.raw_data = [" ".join(self._parts)]  # seen by InputRequired and Optional
        super().process_formdata(valuelist)
        if self.data and self.data.year < 1900:  # "%Y" reads "27" as the year 27
            self.data = None
            raise ValueError("Enter the year in full, for example 2027")

    def process(self, formdata, data=None, extra_filters=None):
        self._parts = None
        if formdata is not None and self.name not in formdata:
            keys = [f"{self.name}[{part}]" for part in DATE_PARTS]
            if any(key in formdata for key in keys):
                self._parts = tuple(formdata.get(key, "").strip() for key in keys)
        super().process(formdata, data, extra_filters)

    def parts(self) -> dict[str, str]:
        """What each box shows: what was typed, or the date held."""
        if self._parts is not None:
            return dict(zip(DATE_PARTS, self._parts))
        if self.data:
            return {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        typed = self.raw_data[0] if self.raw_data else ""
        return {"day": typed, "month": "", "year": ""} if typed else {}


def date_field(label, validators, **kwargs):
    return DayMonthYearField(label, format=DATE_FORMATS, invalid_value_message="Enter a real date, for example 27 3 2027",
                             validators=validators, **kwargs)


def choices(pairs, prompt: str | None = None) -> list[SelectChoice]:
    """Options for a select or radios from (value, label) pairs or plain values; a prompt comes first."""
    options = [SelectChoice(*pair) if isinstance(pair, tuple) else SelectChoice(pair) for pair in pairs]
    return ([SelectChoice("", prompt)] if prompt else []) + options


# `whose` is "your" on a person's own forms and "their" where the team types in someone else's details,
# so each message speaks of the right person.

def name_field(label="Full name", *, whose="your", **kwargs):
    return StringField(label, filters=[one_line], validators=[
        DataRequired(f"Enter {whose} full name"),
        Length(max=100, message=f"{whose.capitalize()} name must be 100 characters or fewer"),
    ], render_kw={"autocomplete": "name", "spellcheck": "false"}, **kwargs)


def email_field(label="Email address", message=None, *, whose="your", **kwargs):
    return EmailField(label, filters=[lower], validators=[
        DataRequired(message or f"Enter {whose} email address"),
        Length(max=254, message=f"{whose.capitalize()} email address must be 254 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.nhs.uk",
              check_deliverability=False),
    ], render_kw={"autocomplete": "email", "spellcheck": "false"}, **kwargs)


def new_password_fields():
    """The pair of fields for choosing a password, declared in a form as `password, password_confirm = ...`."""
    return (
        PasswordField("Create a password", description=(
            f"At least {passwords.MIN_LENGTH} characters, and not your name, your email address or a "
            "well-known password. Three random words make a strong password that is easy to remember."), validators=[DataRequired("Enter a password")],
            render_kw={"autocomplete": "new-password"}),
        PasswordField("Type your password again", validators=[
            DataRequired("Type your password again"),
            EqualTo("password", "The passwords do not match: type the same password twice"),
        ], render_kw={"autocomplete": "new-password"}),
    )


class PasswordChoice:
    """For a form with new_password_fields(): refuses weak passwords and ones made of the person's details."""

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner  # the user choosing the password, when they already exist

    def owner_details(self) -> tuple[str, str]:
        return (self.owner.email, self.owner.name) if self.owner else ("", "")

    def validate_password(self, field):
        email, name = self.owner_details()
        found = passwords.problems(field.data or "", email=email, name=name)
        if found:
            raise ValidationError(found[0])


class NewPasswordForm(PasswordChoice, FlaskForm):
    password, password_confirm = new_password_fields()
