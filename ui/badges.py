"""HTML the pages draw: user text escaped, the status as a badge (icon and
word, never colour alone), and lists of measures linked with their badges."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from tracker import i18n
from tracker.status import COLOURS, ICONS, TEXT_ON
from ui.links import page_link
from ui.text import lang


def esc(text) -> str:
    """User-typed text as inert HTML."""
    return html.escape("" if text is None else str(text), quote=True)


def status_badge(code: str) -> str:
    """The status as a coloured badge carrying its icon and word (never colour alone)."""
    label = i18n.status_label(code, lang())
    return (
        f'<span class="status-badge" style="background:{COLOURS[code]};color:{TEXT_ON[code]};'
        f'padding:0.1em 0.5em;border-radius:0.6em;white-space:nowrap;font-size:0.9em">'
        f'<span aria-hidden="true">{ICONS[code]}</span> {esc(label)}</span>'
    )


def status_text(code: str) -> str:
    """Icon and word, for tables and charts."""
    return f"{ICONS[code]} {i18n.status_label(code, lang())}"


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
