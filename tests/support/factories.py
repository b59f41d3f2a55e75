"""People for tests, written straight to the database."""
from datetime import timedelta

from werkzeug.security import generate_password_hash

from portal.core import clock, content
from portal.core.db import refresh_statistics
from portal.models import MenteeProfile, MentorOption, MentorProfile, User
from portal.register import profiles

PASSWORD = "tulip orbit kettle"
# One cheap hash for every test person: scrypt's cost is for attackers, not for the test suite.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_user(email="person@example.org", name="Pat Person", *, admin=False, mentor=False, mentee=False,
              confirmed=True, password=True, **mentee_fields) -> User:
    user = User.create(email=email, name=name, password_hash=_HASH if password else None, is_admin=admin,
                       email_confirmed_at=clock.now() if confirmed else None)
    if mentor:
        MentorProfile.create(user=user)
    if mentee:
        make_mentee_profile(user, **mentee_fields)
    return User.get_by_id(user.id)


def make_mentee_profile(user, **fields) -> MenteeProfile:
    values = dict(grade="ST3", school="Medicine", specialty="Respiratory medicine", trust="Leeds Teaching Hospitals",
                  eligibility="out_now", reason="parental_leave",
                  expected_return=clock.today_london() + timedelta(days=365),
                  agreement_version=content.current("agreement").version, agreement_accepted_at=clock.now())
    values.update(fields)
    return MenteeProfile.create(user=user, **values)


MENTOR_VALUES = dict(
    grade="ST5", school="Paediatrics", specialty="Neonatology", trust="Leeds Teaching Hospitals NHS Trust",
    gender="Woman", pronouns="she/her", experience_rtt="Came back after parental leave.",
    experience_away="A year of parental leave.", why_mentor="I wish I had had someone to talk to.",
    slots=["mon-evening", "sat-morning"], availability_notes="", meets_online=True, platforms=["teams"],
    meets_in_person=True, locations="Leeds, York", interests="Fell walking", contact_details="07700 900999",
)


def make_mentor(email="mentor@example.org", name="Mo Mentor", *, capacity=2, password=True, **values) -> MentorProfile:
    """A mentor on the register with every field filled, set up and so in the directory."""
    admin = User.get_or_none(User.is_admin) or make_user("register@example.org", "Reg Admin", admin=True)
    mentor = profiles.create(admin, name=name, email=email, values={**MENTOR_VALUES, **values}, capacity=capacity)
    if password:
        User.update(password_hash=_HASH, email_confirmed_at=clock.now()).where(User.id == mentor.user_id).execute()
    return MentorProfile.get_by_id(mentor.id)


def bulk_mentors(count: int) -> None:
    """Many set-up mentors at once, for tests about scale."""
    users = [{"email": f"bulk{n}@example.org", "name": f"Bulk Mentor {n}", "password_hash": _HASH,
              "email_confirmed_at": clock.now(), "session_nonce": f"n{n}", "created_at": clock.now()}
             for n in range(count)]
    for chunk in range(0, count, 500):
        User.insert_many(users[chunk:chunk + 500]).execute()
    ids = [u.id for u in User.select(User.id).where(User.email.startswith("bulk")).order_by(User.id)]
    profiles = [{"user": user_id, "grade": "ST5", "school": "Medicine", "trust": "Leeds Teaching Hospitals NHS Trust",
                 "gender": "Woman", "why_mentor": "To help", "meets_online": True, "capacity": 2,
                 "search_text": f"bulk mentor {n} medicine", "created_at": clock.now(), "updated_at": clock.now()}
                for n, user_id in enumerate(ids)]
    for chunk in range(0, len(profiles), 500):
        MentorProfile.insert_many(profiles[chunk:chunk + 500]).execute()
    mentor_ids = [m.id for m in MentorProfile.select(MentorProfile.id).join(User).where(User.email.startswith("bulk"))]
    options = [{"mentor": m, "kind": kind, "value": value} for m in mentor_ids
               for kind, value in (("day", "mon"), ("slot", "mon-evening"), ("platform", "teams"))]
    for chunk in range(0, len(options), 900):
        MentorOption.insert_many(options[chunk:chunk + 900]).execute()
    refresh_statistics()
