"""The forms of requests: asking a mentor (with a note and up to two backups), answering one (with a
pause, or a question first), and the mentee's reply to that question."""
import re

from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional, ValidationError

from portal.core import clock
from portal.core.forms import date_field, strip
from portal.rules import availability
from portal.rules import requests as rules

NOT_FROM_THE_LIST = "Choose a backup from the list"
SAME_NOTE = "Leave it empty to send them the note you wrote for your request."

# Made before the backup fields, so a form's fields (and its error summary) keep the page's order.
REQUEST_NOTE = TextAreaField("What would you like to talk about?", filters=[strip],
                             description=f"A few lines for the mentor, up to {rules.NOTE_LIMIT:,} characters. Only "
                                         "they and the scheme's team will read it.")


def _note(label: str, description: str):
    return TextAreaField(label, filters=[strip], description=description)


class BackupFields:
    """Up to MAX_BACKUPS backups, each a mentor from the list and a note of its own (optional: without
    one, the request's note goes to them). Which mentors may be backups is the request rules' to say
    (mentor_requests.backup_problems); this only reads what was sent."""

    backup_1 = SelectField("First backup (optional)", choices=[], validate_choice=False)
    backup_1_note = _note("A note for your first backup (optional)", SAME_NOTE)
    backup_2 = SelectField("Second backup (optional)", choices=[], validate_choice=False)
    backup_2_note = _note("A note for your second backup (optional)", SAME_NOTE)

    def backup_slots(self) -> list[tuple]:
        return [(self[f"backup_{n}"], self[f"backup_{n}_note"]) for n in range(1, rules.MAX_BACKUPS + 1)]

    def offer_backups(self, mentors: list) -> None:
        """The mentors to choose from, best fit first; a full one is asked only if they have room by then."""
        options = [("", "No backup")] + [
            (str(m.id), f"{m.user.name}, {m.grade}{', ' + (m.specialty or m.school) if m.specialty or m.school else ''}"
                        f"{' (no free place now)' if m.is_full else ''}") for m in mentors]
        for field, _ in self.backup_slots():
            field.choices = options

    def backups(self) -> list[tuple]:
        """(field, mentor id, note) for each backup named, in order."""
        return [(field, int(field.data), note.data or "") for field, note in self.backup_slots() if field.data]

    def validate_backup_1(self, field):
        self._check_backup(field)

    def validate_backup_2(self, field):
        self._check_backup(field)
        # More backups than the form offers, or one slot sent twice: a changed form, not a choice.
        names = [key for key in request.form if re.fullmatch(r"backup_\d+", key)]
        if any(int(name.split("_")[1]) > rules.MAX_BACKUPS or len(request.form.getlist(name)) > 1 for name in names):
            raise ValidationError(f"You can name up to {rules.MAX_BACKUPS} backups")

    def validate_backup_1_note(self, field):
        self._check_note(field)

    def validate_backup_2_note(self, field):
        self._check_note(field)

    @staticmethod
    def _check_backup(field):
        if field.data and not (field.data.isascii() and field.data.isdigit() and len(field.data) < 10):
            raise ValidationError(NOT_FROM_THE_LIST)

    @staticmethod
    def _check_note(field):
        problem = rules.check_note(field.data) if field.data else None
        if problem:
            raise ValidationError(problem)


class RequestForm(BackupFields, FlaskForm):
    note = REQUEST_NOTE

    def validate_note(self, field):
        problem = rules.check_note(field.data or "")
        if problem:
            raise ValidationError(problem)


class BackupsForm(BackupFields, FlaskForm):
    """Changing or dropping the backups of a request waiting for an answer."""


class AnswerForm(FlaskForm):
    """A mentor's answer (accept or decline, with a message and perhaps a pause), or instead their one
    question to the mentee first."""

    action = HiddenField(validators=[AnyOf(["accept", "decline", "question"], "Choose accept or decline")])
    message = TextAreaField("A message for the mentee (optional)", filters=[strip],
                            description="For example, a word of welcome, or why now is not a good time. It is "
                                        "sent with your answer, whether you accept or decline.",
                            validators=[Length(max=rules.DECLINE_MESSAGE_LIMIT,
                                               message=f"The message must be {rules.DECLINE_MESSAGE_LIMIT} "
                                                       "characters or fewer")])
    pause_until = date_field("Stop new requests until (optional)", validators=[Optional()],
                             description="Whichever you answer, you can take no new requests for a while: mentees "
                                         "will not find you until the day after this date. Your mentees and "
                                         "waiting list stay as they are. For example 27 3 2027.")
    question = TextAreaField("Your question", filters=[strip],
                             description=f"One short question, up to {rules.QUESTION_LIMIT} characters. We send it "
                                         "to them through the portal: neither of you sees the other's contact "
                                         "details, and the deadline stays the same.")

    def validate_pause_until(self, field):
        problem = availability.check_pause_until(field.data, clock.today_london()) if field.data else None
        if problem and self.action.data != "question":
            raise ValidationError(problem)

    def validate_question(self, field):
        problem = rules.check_question(field.data or "") if self.action.data == "question" else None
        if problem:
            raise ValidationError(problem)


class ReplyForm(FlaskForm):
    reply = TextAreaField("Your answer", filters=[strip],
                          description=f"Up to {rules.REPLY_LIMIT:,} characters, for the mentor's eyes only.")

    def validate_reply(self, field):
        problem = rules.check_reply(field.data or "")
        if problem:
            raise ValidationError(problem)
