"""Tables as real HTML (styled by assets/app.css): text wraps between words,
numbers stay on one line at the right, the table is as tall as its rows (the
page scrolls, not a box inside it), and where the columns cannot fit it
scrolls sideways inside its own focusable region instead of being cut. A list
of records (``cards``) turns into one card per record on a narrow screen.

Streamlit's data grid draws on a canvas: at 1280 px it cut the measures list
at the right with empty space below, cut the budget tables' headers, and on a
phone showed only the first two columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from ui.badges import esc
from ui.links import page_link


@dataclass(frozen=True)
class Column:
    """A column: its header, ``number`` (right-aligned, one line), ``html`` (the
    cells are HTML already made safe, e.g. a badge or a link), ``lead`` (in a card,
    one of the cells on top, without the column's name) and ``nowrap``."""

    label: str
    number: bool = False
    html: bool = False
    lead: bool = False
    nowrap: bool = False
    css: str = ""


def html_table(
    rows: Sequence[Sequence],
    columns: Sequence[Column],
    caption: str,
    *,
    cards: bool = False,
    row_classes: Sequence[str] | None = None,
    row_header: bool = True,
) -> str:
    """The table's HTML; the first column heads its row unless ``row_header`` is false.
    ``caption`` names the table for screen readers; ``row_classes`` (e.g.
    "subtotal", "total") style whole rows."""
    head = "".join(
        f'<th scope="col" role="columnheader"{_class(column, header=True)}>{esc(column.label)}</th>'
        for column in columns
    )
    body = []
    for index, row in enumerate(rows):
        cells = []
        for position, (column, value) in enumerate(zip(columns, row, strict=True)):
            content = ("" if value is None else str(value)) if column.html else esc(value)
            label = "" if column.lead else f' data-label="{esc(column.label)}"'
            if position == 0 and row_header:
                cells.append(f'<th scope="row" role="rowheader"{_class(column)}{label}>{content}</th>')
            else:
                cells.append(f'<td role="cell"{_class(column)}{label}>{content}</td>')
        css = f' class="{esc(row_classes[index])}"' if row_classes and row_classes[index] else ""
        body.append(f'<tr role="row"{css}>{"".join(cells)}</tr>')
    kind = "app-table cards" if cards else "app-table"
    return (
        f'<div class="app-table-wrap" role="region" tabindex="0" aria-label="{esc(caption)}">'
        f'<table class="{kind}" role="table"><caption>{esc(caption)}</caption>'
        f'<thead><tr role="row">{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def _class(column: Column, *, header: bool = False) -> str:
    names = [
        *(["num"] if column.number else []),
        *(["nowrap"] if column.nowrap else []),
        *(["lead"] if column.lead and not header else []),
        *([column.css] if column.css and not header else []),
    ]
    return f' class="{" ".join(names)}"' if names else ""


def table(rows, columns, caption: str, **options) -> None:
    """Draw ``html_table``."""
    st.html(html_table(rows, columns, caption, **options))


def measure_link(programme_id: int, code: str, text: str | None = None) -> str:
    """A link to a measure's page (HTML, escaped)."""
    href = esc(page_link("measure", programme=programme_id, code=code))
    return f'<a href="{href}" target="_self">{esc(code if text is None else text)}</a>'


def progress_cell(progress: int, text: str) -> str:
    """A small bar (decoration) and the share in words."""
    width = max(0, min(100, int(progress)))
    return (
        f'<span class="progress"><span class="progress-bar" aria-hidden="true"><span style="width:{width}%">'
        f"</span></span>{esc(text)}</span>"
    )
