from datetime import date

import pytest

from portal.rules import eligibility

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("declaration, may_join", [
    ("out_now", True),
    ("planning", True),
    ("planning_no_form", False),
    ("neither", False),
    ("", False),
    ("something else", False),
])
def test_who_may_join(declaration, may_join):
    assert eligibility.may_join(declaration) is may_join


@pytest.mark.parametrize("expected, declaration, problem", [
    (date(2027, 3, 1), "out_now", None),
    (TODAY, "out_now", None),
    (TODAY, "planning", "must be after today"),
    (date(2026, 11, 24), "out_now", "today or in the future"),
    (date(2031, 11, 25), "planning", None),
    (date(2031, 11, 27), "out_now", "within 5 years"),
    (date(2126, 1, 1), "out_now", "within 5 years"),
])
def test_expected_return_date_must_make_sense(expected, declaration, problem):
    found = eligibility.check_return_date(expected, declaration, TODAY)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize("deactivated, waiting, in_mentoring, refused", [
    (False, False, False, None),
    (True, False, False, "already deactivated"),
    (False, True, False, "waiting for a mentor's answer"),
    (False, False, True, "end the mentoring first"),
    (False, True, True, "end the mentoring first"),
])
def test_when_the_team_may_close_a_mentees_account(deactivated, waiting, in_mentoring, refused):
    why = eligibility.why_not_deactivate(deactivated=deactivated, waiting_for_answer=waiting, in_mentoring=in_mentoring)
    assert why is None if refused is None else refused in why
