"""The middle and the long end of a group of waits, kept back for a small group."""
import pytest

from portal.rules import measures


@pytest.mark.parametrize("days, smallest, people, median, p90", [
    ([], 5, 0, None, None),
    ([3, 1, 2], 5, 3, None, None),  # too few to show
    ([1, 2, 3, 4, 5], 5, 5, 3, 4.6),
    ([0, 0, 0, 0, 0, 10], 5, 6, 0, 5),
    ([2, 4, 6, 8, 10, 12, 14, 16, 18, 20], 5, 10, 11, 18.2),
    ([7], 1, 1, 7, 7),
])
def test_a_spread_of_waits(days, smallest, people, median, p90):
    found = measures.spread(days, smallest)
    assert (found.people, found.median, found.p90) == (people, median, p90)
    assert found.hidden == (0 < people < smallest)


@pytest.mark.parametrize("value, shown", [(None, ""), (3.0, "3"), (2.5, "2.5"), (0, "0"), (18.2, "18.2")])
def test_a_figure_as_shown(value, shown):
    assert measures.shown(value) == shown
