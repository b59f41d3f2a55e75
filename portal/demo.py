"""Demonstration people for `make run`: an admin, a mentee and six mentors, loaded into an empty database."""
from datetime import timedelta

from . import accounts, clock, content
from .db import database
from .models import MenteeProfile, MentorProfile, User

PASSWORD = "demo pass phrase"

ADMIN = ("admin@example.org", "Alex Admin")
MENTEE = ("mentee@example.org", "Morgan Mentee")
MENTORS = [
    ("priya.shah@example.org", "Priya Shah"),
    ("tom.oconnell@example.org", "Tom O'Connell"),
    ("grace.adeyemi@example.org", "Grace Adeyemi"),
    ("daniel.lewis@example.org", "Daniel Lewis"),
    ("hannah.kowalski@example.org", "Hannah Kowalski"),
    ("sam.whitaker@example.org", "Sam Whitaker"),
]


def load() -> bool:
    """Create the demo people; False (and nothing changed) when anyone exists already."""
    if User.select().exists():
        return False
    now = clock.now()
    password = accounts.hash_password(PASSWORD)
    with database.atomic():
        User.create(email=ADMIN[0], name=ADMIN[1], password_hash=password, is_admin=True, email_confirmed_at=now)
        mentee = User.create(email=MENTEE[0], name=MENTEE[1], password_hash=password, email_confirmed_at=now)
        MenteeProfile.create(
            user=mentee, grade="ST3", school="Paediatrics", specialty="Paediatrics", trust="Leeds Teaching Hospitals",
            eligibility="out_now", reason="parental_leave", expected_return=(now + timedelta(days=120)).date(),
            agreement_version=content.current("agreement").version, agreement_accepted_at=now)
        for email, name in MENTORS:
            mentor = User.create(email=email, name=name, password_hash=password, email_confirmed_at=now)
            MentorProfile.create(user=mentor)
    return True


def print_logins() -> None:
    if not User.select().where(User.email == ADMIN[0]).exists():
        return
    print(f"\nDemo logins (password for each: {PASSWORD!r}):")
    print(f"  admin   {ADMIN[0]}")
    print(f"  mentee  {MENTEE[0]}")
    print(f"  mentors {', '.join(email for email, _ in MENTORS[:2])} ... ({len(MENTORS)} in all)")
