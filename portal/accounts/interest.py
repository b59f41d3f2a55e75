"""Interest in becoming a peer mentor: an inbox item for the team and a thank-you to the person."""
from portal.core import clock, inbox, mail
from portal.core.db import database


def register_interest(form) -> None:
    with database.atomic():
        inbox.raise_item("interest", name=form.name.data, email=form.email.data,
                         details={"grade": form.grade.data, "specialty": form.specialty.data},
                         message=form.message.data or "")
        # Anyone can fill the form in with anyone's address: one thank-you a day per address, whatever
        # is typed, and none of what was typed (not even the name) in it, so it cannot carry a message.
        mail.send(form.email.data, "interest_received", "Thank you for your interest in peer mentoring",
                  dedupe_key=f"interest:{form.email.data}:{clock.today_london()}")
