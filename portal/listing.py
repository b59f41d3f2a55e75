"""Paged lists: every list in the portal pages the same way, and renders its pager with
_partials/pager.html (plain links, so paging works without JavaScript)."""
from dataclasses import dataclass, field


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
    """One page of a query (the last one when `requested` is past the end), with the total."""
    total = query.count()
    pages = max(1, -(-total // per_page))
    number = min(max(requested, 1), pages)
    return Page(rows=list(query.paginate(number, per_page)), total=total, number=number, pages=pages,
                per_page=per_page)


def page_number(args) -> int:
    """?page= as a number; anything else is page 1."""
    raw = args.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 and int(raw) > 0 else 1
