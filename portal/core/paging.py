"""Paged lists: every list in the portal pages the same way, and renders its pager with
_partials/pager.html (plain links, so paging works without JavaScript)."""
from dataclasses import dataclass, field

from peewee import SQL, fn


@dataclass
class Page:
    rows: list
    total: int
    number: int
    pages: int
    per_page: int
    extra: dict = field(default_factory=dict)

    @property
    def first_row(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.number * self.per_page, self.total)


def paginate(query, requested: int, per_page: int) -> Page:
    """One page of a query (the last one when `requested` is past the end), with the total.

    The total comes with the rows, as a window count, so the matching rows are found once."""
    number = max(requested, 1)
    rows = list(query.select_extend(fn.COUNT(SQL("*")).over().alias("total_rows")).paginate(number, per_page))
    if rows:
        total = rows[0].total_rows
    else:
        total = query.count()
        if total and number > 1:
            return paginate(query, -(-total // per_page), per_page)
    return Page(rows=rows, total=total, number=number, pages=max(1, -(-total // per_page)), per_page=per_page)


def page_number(args) -> int:
    """?page= as a number; anything else is page 1."""
    raw = args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 and int(raw) > 0 else 1
