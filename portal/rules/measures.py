"""How long things take, reported without exposing anyone: the middle and the long end of a group of
waits, shown only for a group of at least the smallest size the scheme reports."""
from dataclasses import dataclass
from statistics import median, quantiles


@dataclass(frozen=True)
class Spread:
    """A group of waits (in working days): how many, the median and the 90th percentile; the two
    figures are None when the group is too small to show (`hidden` then says there were some)."""

    people: int
    median: float | None = None
    p90: float | None = None

    @property
    def hidden(self) -> bool:
        return self.people > 0 and self.median is None


def spread(days: list[int], smallest: int) -> Spread:
    """The 90th percentile is interpolated between the two nearest waits (Excel's PERCENTILE.INC), so
    it never lies outside the waits measured."""
    if not days or len(days) < smallest:
        return Spread(len(days))
    p90 = quantiles(days, n=10, method="inclusive")[-1] if len(days) > 1 else days[0]
    return Spread(len(days), round(median(days), 1), round(p90, 1))


def shown(value: float | None) -> str:
    """2, 2.5: a figure as a report shows it."""
    if value is None:
        return ""
    return f"{value:g}"
