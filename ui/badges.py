"""HTML the pages draw: user text escaped, the status as a badge (icon and
word, never colour alone), and lists of measures linked with their badges."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.present import public_html
from tracker.present.public_html import esc
from ui.links import page_link
from ui.text import lang

__all__ = ["esc", "measure_list", "status_badge", "status_text"]


def status_badge(code: str) -> str:
    """The status as a coloured badge carrying its icon and word (never colour alone)."""
    return public_html.status_badge(code, lang())


def status_text(code: str) -> str:
    """Icon and word, for tables and charts."""
    return public_html.status_text(code, lang())


def measure_list(rows: pd.DataFrame, programme_id: int, detail=None, *, item_gap: str = "0.3em") -> None:
    """Measures as a list of links to their pages, each with its status badge and an
    optional detail text (``detail(row) -> str``)."""
    items = []
    for row in rows.itertuples():
        link = esc(page_link("measure", programme=programme_id, code=row.code))
        extra = f' <span style="opacity:0.75">· {esc(detail(row))}</span>' if detail else ""
        items.append(
            f'<li style="margin-bottom:{item_gap}">{status_badge(row.status)} '
            f'<a href="{link}" target="_self">{esc(row.code)} {esc(row.title)}</a>{extra}</li>'
        )
    # st.html: HTML only, never read as markdown around the escaped text.
    st.html('<ul style="list-style:none;padding-left:0;margin:0">' + "".join(items) + "</ul>")
