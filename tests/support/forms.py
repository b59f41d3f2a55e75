"""What people fill in and upload, as the forms receive it: sign-up, a mentor's profile, the survey,
a register CSV."""
import csv
import io
from datetime import timedelta

from portal.core import clock
from portal.register.imports import COLUMNS, EXAMPLE
from tests.support.factories import MENTOR_VALUES


def signup_form(**overrides):
    form = {
        "name": "Jo Bloggs",
        "email": "Jo.Bloggs@Example.org",
        "password": "tulip orbit kettle",
        "password_confirm": "tulip orbit kettle",
        "grade": "ST3",
        "school": "Medicine",
        "specialty": "Respiratory medicine",
        "trust": "Leeds Teaching Hospitals NHS Trust",
        "eligibility": "out_now",
        "reason": "parental_leave",
        "expected_return": (clock.today_london() + timedelta(days=200)).isoformat(),
        "agree": "y",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


# The profile form as the factory's mentor would see it, with nothing changed yet.
PRIYA_FORM = {"name": "Priya Shah", **{field: "y" if value is True else value for field, value in MENTOR_VALUES.items()
                                       if value is not False}}

# Survey answers that are all valid.
GOOD = {"useful": "5", "choosing": "4", "sessions": "right", "met": "video", "recommend": "yes", "better": ""}


def csv_bytes(rows, columns=COLUMNS, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def row(n, **changes):
    return {**EXAMPLE, "email": f"mentor{n}@example.org", "name": f"Mentor Number{n}", **changes}
