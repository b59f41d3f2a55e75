"""The pages a person sees most, on a portal loaded with the demo data (portal/dev/demo.py), for
weighing them (tests/faults/test_page_weight.py) and auditing them with Lighthouse (`make audit`):
the home page, the directory and a profile as a mentee, the page a mentor's emailed link opens, and
the admin dashboard."""
import re

from portal.dev import demo
from portal.models import Email, MentorProfile
from tests.support.processes import Visitor


def load_demo(app) -> None:
    with app.app_context():
        assert demo.load(), "the demo people go into an empty database"


def demo_pages(app, port: int) -> dict[str, tuple[str, dict]]:
    """name -> (path, request headers) of each page, once load_demo has been called."""
    def cookie(email: str) -> dict:
        visitor = Visitor(port).login(email, demo.PASSWORD)
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in visitor.cookies.items())}

    with app.app_context():
        mentor = MentorProfile.select().where(MentorProfile.listed).order_by(MentorProfile.id).first()
        asked = Email.select().where(Email.text_body.contains("/respond/")).order_by(Email.id).first()
        answer = re.search(r"(/respond/\S+)", asked.text_body).group(1)
    mentee = cookie(demo.MENTEE[0])
    return {"home": ("/", {}), "directory": ("/mentors/", mentee), "profile": (f"/mentors/{mentor.id}", mentee),
            "email answer": (answer, {}), "dashboard": ("/admin/", cookie(demo.ADMIN[0]))}
