"""The tables a page drew with ui.tables (real HTML), read back as DataFrames
for AppTest: the header texts as columns, each cell's text (tags dropped); and
the links each table holds."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self.links: list[list[dict[str, str]]] = []
        self._link: dict[str, str] | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
            self.links.append([])
        elif tag == "a":
            self._link = {**{name: value or "" for name, value in attrs}, "text": ""}
            self.links[-1].append(self._link)
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            header, rows = self.tables[-1]
            if self._in_head:
                header.extend(self._row)
            else:
                rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link["text"] += data


def _read(at) -> _TableReader:
    reader = _TableReader()
    for element in at.get("html"):
        if "app-table" in element.proto.body and "<table" in element.proto.body:
            reader.feed(element.proto.body)
    return reader


def html_tables(at) -> list[pd.DataFrame]:
    """Every ui.tables table on the page, in order."""
    return [pd.DataFrame(rows, columns=header) for header, rows in _read(at).tables]


def table_links(at) -> list[list[dict[str, str]]]:
    """The links of every ui.tables table on the page, in order: each link's
    attributes (href, target, ...) and its text."""
    return _read(at).links
