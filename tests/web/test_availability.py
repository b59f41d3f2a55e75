"""The availability rule as a query picks out the same mentors as the rule in Python, over every
combination of what it looks at."""
from datetime import timedelta
from itertools import product

from portal.core import clock
from portal.models import MentorProfile, User, available_on, away_on, mentor_state, on_leave, on_leave_on
from portal.rules import availability
from portal.rules.availability import MentorState

HASH = "a password hash"  # never checked here
LOGINS = {"set up": dict(is_active=True, password_hash=HASH), "invited": dict(is_active=True, password_hash=None),
          "erased": dict(is_active=False, password_hash=None),
          "switched off": dict(is_active=False, password_hash=HASH)}


def test_the_query_and_the_rule_agree(app):
    today = clock.today_london()
    day = timedelta(days=1)
    leaves = [(None, None), (today, today), (today - day, today + day), (today + day, today + 9 * day),
              (today - 9 * day, today - day), (today - day, today), (today, today + day)]
    cases = list(product(LOGINS, [True, False], [False, True], leaves, [0, 1, 2], [0, 1, 2]))
    User.insert_many([dict(email=f"m{n}@example.org", name=f"Mentor {n}", session_nonce=f"n{n}",
                           created_at=clock.now(), **LOGINS[login])
                      for n, (login, *_) in enumerate(cases)]).execute()
    ids = {u.email: u.id for u in User.select(User.id, User.email)}
    MentorProfile.insert_many([dict(user=ids[f"m{n}@example.org"], listed=listed, paused=paused, leave_from=leave[0],
                                    leave_until=leave[1], capacity=capacity, places_taken=taken)
                               for n, (_, listed, paused, leave, capacity, taken) in enumerate(cases)]).execute()
    everyone = list(MentorProfile.select(MentorProfile, User).join(User))
    assert len(everyone) == len(cases)
    states = {m.id: mentor_state(m, today) for m in everyone}
    assert set(states.values()) == set(availability.OFFERED + availability.AWAY)

    def chosen(condition) -> set[int]:
        return {m.id for m in MentorProfile.select(MentorProfile.id).join(User).where(condition)}

    assert chosen(available_on(today)) == {i for i, s in states.items() if s in availability.OFFERED}
    assert chosen(available_on(today, full=False)) == {i for i, s in states.items() if s == MentorState.OPEN}
    assert chosen(away_on(today)) == {i for i, s in states.items() if s in availability.AWAY}
    assert chosen(on_leave_on(today)) == {m.id for m in everyone if on_leave(m, today)}
