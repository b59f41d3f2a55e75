"""The register's email to a mentor: back from leave."""
from portal.core import links, mail
from portal.models import MentorProfile, User


def send_welcome_back(mentor: MentorProfile, user: User, visible: bool) -> None:
    """Their leave has ended; `visible`: mentees can find them again (not paused, not full)."""
    mail.send(user.email, "leave_ended", "Welcome back: mentees can find you again", user=user,
              name=user.first_name, visible=visible, url=links.external_url("register.availability"),
              dedupe_key=f"leave-ended:{mentor.id}:{mentor.leave_until}")
