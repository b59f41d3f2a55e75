"""Reading the directory's filters from a URL: nothing in a URL makes the directory fail."""
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from portal.core.formatting import availability_summary
from portal.directory import search
from portal.register.availability import availability_problems
from portal.register.profiles import locations_in

KNOWN = search.known_values(["Leeds Teaching Hospitals NHS Trust"], ["Leeds", "York"])


def parse(**args):
    return search.parse(MultiDict(args), KNOWN)


@pytest.mark.parametrize("args, expected, notes", [
    ({}, {}, []),
    ({"grade": "ST5"}, {"grade": "ST5"}, []),
    ({"grade": "Consultant"}, {}, ["We ignored a grade we do not recognise."]),
    ({"grade": ["ST5", "ST5"]}, {"grade": "ST5"}, []),
    ({"grade": ["ST5", "ST3"]}, {"grade": "ST5"}, ["You can choose one grade at a time: we used the first."]),
    ({"grade": ["nonsense", "ST3"]}, {"grade": "ST3"}, ["We ignored a grade we do not recognise."]),
    ({"day": "funday"}, {}, ["We ignored a day we do not recognise."]),
    ({"location": "YORK"}, {"location": "york"}, []),
    ({"location": "Atlantis"}, {}, ["We ignored a place we do not recognise."]),
    ({"trust": "Leeds Teaching Hospitals NHS Trust"}, {"trust": "Leeds Teaching Hospitals NHS Trust"}, []),
    ({"mode": "telepathy"}, {}, ["We ignored a mode we do not recognise."]),
    ({"q": "  fell   walking "}, {"q": "fell walking"}, []),
    ({"q": "x" * 500}, {"q": "x" * 100}, []),
    ({"q": "'; DROP TABLE user; --"}, {"q": "'; DROP TABLE user; --"}, []),
    ({"colour": "blue"}, {}, []),
])
def test_filters_from_a_url(args, expected, notes):
    multi = MultiDict([(k, v) for k, vs in args.items() for v in (vs if isinstance(vs, list) else [vs])])
    filters, page, found = search.parse(multi, KNOWN)
    assert filters.as_args() == expected
    assert found == notes
    assert page == 1


@pytest.mark.parametrize("raw, page", [("2", 2), ("0", 1), ("-3", 1), ("two", 1), ("99999999999", 1), ("", 1)])
def test_page_numbers(raw, page):
    assert parse(page=raw)[1] == page


@pytest.mark.parametrize("slots, summary", [
    ([f"{d}-evening" for d in ("mon", "tue", "wed", "thu", "fri")], "Weekday evenings"),
    (["sat-morning", "sun-morning"], "Weekend mornings"),
    (["mon-morning", "wed-morning", "mon-evening"], "Monday mornings and evenings, Wednesday mornings"),
    (["sat-morning", "mon-evening"], "Monday evenings, Saturday mornings"),  # in week order
    (["tue-morning", "thu-morning", "mon-evening", "wed-evening"],
     "Monday and Wednesday evenings, Tuesday and Thursday mornings"),
    (["tue-afternoon"], "Tuesday afternoons"),
    ([], ""),
])
def test_availability_in_words(slots, summary):
    assert availability_summary(slots) == summary


@pytest.mark.parametrize("typed, found", [
    ("leeds, York; harrogate", ["Leeds", "York", "Harrogate"]),
    ("Leeds,leeds , LEEDS", ["Leeds"]),
    (" ;, ", []),
    ("st  helens", ["St helens"]),
])
def test_locations_from_what_a_mentor_typed(typed, found):
    assert locations_in(typed) == found


@pytest.mark.parametrize("capacity, start, end, taken, problems", [
    (2, None, None, 0, {}),
    (0, None, None, 0, {}),
    (1, None, None, 2, {"capacity": "cannot be lower than 2"}),
    (2, date(2027, 1, 10), date(2027, 1, 9), 0, {"leave_until": "same as or after the first day"}),
    (2, date(2027, 1, 10), date(2027, 1, 10), 0, {}),
    (2, date(2027, 1, 10), None, 0, {"leave_until": "both the first and the last day"}),
    (2, None, date(2027, 1, 10), 0, {"leave_from": "both the first and the last day"}),
])
def test_availability_rules(capacity, start, end, taken, problems):
    found = availability_problems(capacity, start, end, taken)
    assert set(found) == set(problems)
    for field, words in problems.items():
        assert words in found[field]
