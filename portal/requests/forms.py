"""The forms of requests: asking a mentor (with a note) and answering one."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, Length, ValidationError

from portal.core.forms import strip
from portal.rules import requests as rules


class RequestForm(FlaskForm):
    note = TextAreaField("What would you like to talk about?", filters=[strip],
                         description=f"A few lines for the mentor, up to {rules.NOTE_LIMIT:,} characters. Only they "
                                     "and the scheme's team will read it.")

    def validate_note(self, field):
        problem = rules.check_note(field.data or "")
        if problem:
            raise ValidationError(problem)


class AnswerForm(FlaskForm):
    action = HiddenField(validators=[AnyOf(["accept", "decline"], "Choose accept or decline")])
    message = TextAreaField("A message for the mentee (optional)", filters=[strip],
                            description="For example, a word of welcome, or why now is not a good time. It is "
                                        "sent with your answer, whether you accept or decline.",
                            validators=[Length(max=rules.DECLINE_MESSAGE_LIMIT,
                                               message=f"The message must be {rules.DECLINE_MESSAGE_LIMIT} "
                                                       "characters or fewer")])
