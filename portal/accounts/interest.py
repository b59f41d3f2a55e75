"""Interest in becoming a peer mentor: an inbox item for the team and a thank-you to the person."""
from portal.accounts import emails
from portal.core import inbox
from portal.core.db import database


def register_interest(form) -> None:
    with database.atomic():
        inbox.raise_item("interest", name=form.name.data, email=form.email.data,
                         details={"grade": form.grade.data, "specialty": form.specialty.data},
                         message=form.message.data or "")
        emails.send_interest_thanks(form.email.data)
