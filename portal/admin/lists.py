"""One pattern for every list in the admin pages: filters in a plain GET form, a table, a pager.

A list is described by a RecordList (where its rows come from, which filters it offers and which
columns it shows) and rendered by templates/_partials/record_list.html: inside its page, or alone
as the answer to an htmx request when a filter changes.
"""
from dataclasses import dataclass, field
from typing import Callable

from flask import request, url_for
from markupsafe import Markup, escape

from portal.core import paging
from portal.core.htmx import render_htmx


@dataclass
class Column:
    label: str
    value: Callable  # row -> text
    link: Callable | None = None  # row -> url for the value, or None for none


@dataclass
class Filter:
    name: str
    label: str
    apply: Callable  # (query, value) -> query
    options: dict | None = None  # value -> label; None for a search box
    kind: str = "select"  # select, search or date


@dataclass
class RecordList:
    title: str
    endpoint: str
    rows: Callable  # () -> query
    columns: list[Column]
    filters: list[Filter] = field(default_factory=list)
    order: Callable = None  # query -> ordered query
    per_page: int = 25
    noun: tuple[str, str] = ("record", "records")
    intro: str = ""
    defaults: dict = field(default_factory=dict)  # filter values when the URL says nothing of them
    look_up: Callable | None = None  # the page's rows -> None: fetches what their cells need, for all at once

    def values(self, args) -> dict:
        """The filters' values from the URL: unknown options are ignored rather than failing."""
        found = {}
        for spec in self.filters:
            value = " ".join(args.get(spec.name, self.defaults.get(spec.name, "")).split())[:100]
            if spec.options is not None and value not in spec.options:
                value = ""
            found[spec.name] = value
        return found

    def render(self, **extra):
        values = self.values(request.args)
        query = self.rows()
        for spec in self.filters:
            if values[spec.name]:
                query = spec.apply(query, values[spec.name])
        if self.order:
            query = self.order(query)
        page = paging.paginate(query, paging.page_number(request.args), self.per_page)
        if self.look_up and page.rows:
            self.look_up(page.rows)
        cells = [[self._cell(column, row) for column in self.columns] for row in page.rows]
        # Every filter goes into the pager's links, an empty one too: it may differ from its default.
        context = {"spec": self, "page": page, "values": values, "cells": cells,
                   "args": {k: v for k, v in values.items() if v or k in self.defaults}, **extra}
        return render_htmx("admin/list.html", "_partials/record_list.html", **context)

    @staticmethod
    def _cell(column: Column, row) -> Markup:
        value = column.value(row)
        text = escape("" if value is None else value)
        url = column.link(row) if column.link else None
        if url:
            return Markup('<a href="{}">{}</a>').format(url, text)
        return text

    def url(self, **values) -> str:
        return url_for(self.endpoint, **{k: v for k, v in values.items() if v})
