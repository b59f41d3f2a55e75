import pytest

from portal.rules import passwords


@pytest.mark.parametrize("password, email, name, expected", [
    ("tulip orbit kettle", "", "", None),
    ("short", "", "", "at least 10 characters"),
    ("x" * 129, "", "", "128 characters or fewer"),
    ("password123", "", "", "too easy to guess"),
    ("aaaaaaaaaaaa", "", "", "too easy to guess"),
    ("ababababab", "", "", "too easy to guess"),
    ("pat pat pat", "", "", "too easy to guess"),
    ("abcdabcdabcd", "", "", "too easy to guess"),
    ("abcdeabcdeabcde", "", "", None),
    ("jo.bloggs-rocks", "jo.bloggs@example.org", "", "must not contain your name or email"),
    ("kowalski2026!", "", "Hannah Kowalski", "must not contain your name or email"),
    ("abc-defg-hijk", "", "Jo Li", None),  # parts shorter than four letters are not checked
])
def test_password_rules(password, email, name, expected):
    found = passwords.problems(password, email=email, name=name)
    if expected is None:
        assert found == []
    else:
        assert any(expected in problem for problem in found), found
