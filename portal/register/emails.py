"""The register's emails to a mentor: back from leave, and the end of a pause they set until a day."""
from portal.core import links, mail
from portal.models import MentorProfile, User


def send_welcome_back(mentor: MentorProfile, user: User, visible: bool) -> None:
    """Their leave has ended; `visible`: mentees can find them again (not paused, not full)."""
    mail.send(user.email, "leave_ended", "Welcome back: mentees can find you again", user=user,
              name=user.first_name, visible=visible, url=links.external_url("register.availability"),
              dedupe_key=f"leave-ended:{mentor.id}:{mentor.leave_until}")


def send_pause_ended(mentor: MentorProfile, user: User, visible: bool) -> None:
    """The pause they set when answering a request has ended; `visible`: mentees can find them again."""
    mail.send(user.email, "pause_ended", "Your pause has ended: mentees can find you again" if visible
              else "Your pause has ended", user=user, name=user.first_name, visible=visible,
              url=links.external_url("register.availability"),
              dedupe_key=f"pause-ended:{mentor.id}:{mentor.paused_until}")
