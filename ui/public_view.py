"""The public view's look (public.py and accessibility.py): AA-contrast notes and
links, focus outlines, the page's language for screen readers, language links
inside the page (embedded there is no sidebar), and real HTML tables."""

from __future__ import annotations

import json

import streamlit as st

from ui.badges import esc
from ui.links import public_link
from ui.text import LANGUAGE_NAMES, lang, tr

PUBLIC_STYLE = """<style>
.public-languages ul, .public-measures, .public-timeline {list-style: none; padding-left: 0; margin: 0}
.public-languages li {display: inline-block; margin-right: 1em}
.public-measures li {margin: 0 0 0.45em 0; overflow-wrap: anywhere}
.public-timeline li {margin: 0 0 0.8em 0; overflow-wrap: anywhere}
.public-table {overflow-x: auto; max-width: 100%; margin-bottom: 1em}
.public-table table {border-collapse: collapse; font-size: 0.9rem}
.public-table caption {text-align: left; font-weight: 600; padding-bottom: 0.3em}
.public-table th, .public-table td {border-bottom: 1px solid #8a8a8a; padding: 0.25em 0.5em; text-align: left}
.public-table td.number, .public-table th.number {text-align: right; white-space: nowrap}
.stApp a:focus-visible, .public-table:focus-visible {outline: 3px solid #0072B2; outline-offset: 2px}
.stApp a {color: #005a8c}
/* Streamlit's st.caption is drawn below AA contrast on white (axe: color-contrast) */
.public-facts {margin: 0 0 1em 0}
.public-facts dt {font-weight: 600}
.public-facts dd {margin: 0 0 0.4em 0}
.public-note {color: #505050; font-size: 0.875rem; margin: 0 0 0.5em 0}
</style>"""


def public_style() -> None:
    """Focus outlines, AA-contrast captions and links, narrow-width lists and tables."""
    st.html(PUBLIC_STYLE)


def public_note(text: str) -> None:
    """A small note in AA contrast (instead of st.caption)."""
    st.html(f'<p class="public-note">{esc(text)}</p>')


def set_document_language() -> None:
    """Streamlit's page says <html lang="en">; screen readers need the reader's language."""
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(lang())};</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def language_links(path: str, **params) -> None:
    """The language choice inside the page (embedded, there is no sidebar): one link per language."""
    items = []
    for code, name in LANGUAGE_NAMES.items():
        if code == lang():
            items.append(f'<li><span lang="{code}" aria-current="true"><strong>{esc(name)}</strong></span></li>')
        else:
            url = public_link(path, language=code, **params)
            items.append(
                f'<li><a href="{esc(url)}" target="_self" lang="{code}" hreflang="{code}">{esc(name)}</a></li>'
            )
    st.html(
        f'<nav aria-label="{esc(tr("public.language_nav"))}" class="public-languages"><ul>{"".join(items)}</ul></nav>'
    )


def html_table(rows: list[list], headers: list[str], caption: str, numbers: set[int] = frozenset()) -> str:
    """A real <table> with a caption and column headers, scrolling inside itself when narrow."""
    head = "".join(
        f'<th scope="col" class="{"number" if i in numbers else ""}">{esc(h)}</th>' for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            (
                f'<th scope="row">{esc(v)}</th>'
                if i == 0
                else f'<td class="{"number" if i in numbers else ""}">{esc(v)}</td>'
            )
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="public-table" role="region" tabindex="0" aria-label="{esc(caption)}">'
        f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )
