"""People for tests, written straight to the database."""
from datetime import timedelta

from werkzeug.security import generate_password_hash

from portal import clock, content
from portal.models import MenteeProfile, MentorProfile, User

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
