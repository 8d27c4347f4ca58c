"""The public view's look (public.py and accessibility.py): AA-contrast notes and
links, focus outlines, language links inside the page (embedded there is no
sidebar), and, when embedded, the page's height told to the city's page
(web/embed.js). The HTML itself comes from tracker.present.public_html, the
one copy the light pages of web/public_pages.py use too."""

from __future__ import annotations

import streamlit as st

from tracker.present.embed_height import post_height_script
from tracker.present.public_html import esc, note
from ui.links import embedded, public_link
from ui.text import LANGUAGE_NAMES, lang, tr

PUBLIC_STYLE = """<style>
.public-languages ul, .public-measures, .public-timeline, .public-decisions, .status-legend
  {list-style: none; padding-left: 0; margin: 0}
.public-languages li {display: inline-block; margin-right: 1em}
.public-measures li {margin: 0 0 0.45em 0; overflow-wrap: anywhere}
.public-timeline li {margin: 0 0 0.8em 0; overflow-wrap: anywhere}
.public-decision {border-left: 4px solid #8a8a8a; padding: 0.1rem 0 0.1rem 0.75rem; margin: 0 0 1rem 0}
.public-decision h3 {font-size: 1.05rem; margin: 0.2rem 0; padding: 0}
.public-decision p {margin: 0.2rem 0}
.public-table {overflow-x: auto; max-width: 100%; margin-bottom: 1em}
.public-table table {border-collapse: collapse; font-size: 0.9rem}
.public-table caption {text-align: left; font-weight: 600; padding-bottom: 0.3em}
.public-table th, .public-table td {border-bottom: 1px solid #8a8a8a; padding: 0.25em 0.5em; text-align: left}
.public-table td.number, .public-table th.number {text-align: right; white-space: nowrap}
.stApp a:focus-visible, .public-table:focus-visible {outline: 3px solid #0072B2; outline-offset: 2px}
.stApp a {color: #005a8c}
/* Streamlit's st.caption is drawn below AA contrast on white (axe: color-contrast) */
.public-facts {margin: 0 0 1em 0 !important; padding-left: 0 !important}
.public-facts dt {font-weight: 600}
.public-facts dd {margin: 0 0 0.4em 0}
.public-note, .public-note-inline {color: #505050; font-size: 0.875rem; margin: 0 0 0.5em 0}
.public-headline {font-size: 1.25rem; margin: 0.2rem 0 0.4rem}
.public-headline strong {font-size: 2.2rem; margin-right: 0.2rem}
.status-bar {display: flex; height: 1.3rem; border-radius: 0.3rem; overflow: hidden; background: #e5e5e5;
  margin: 0.4rem 0}
.status-bar span {display: block; height: 100%}
.status-legend {display: flex; flex-wrap: wrap; gap: 0.4rem 1.1rem; margin: 0.3rem 0 0.5rem !important;
  padding-left: 0 !important}
.status-legend li {margin: 0 !important}
/* the programme's name on a phone: smaller, and hyphenated by the page's language */
@media (max-width: 640px) {.stApp h1 {font-size: 1.9rem !important; hyphens: auto}}
</style>"""

# Measured on Streamlit's block container: the scroll box around it never
# reports less than the iframe's own height.
POST_HEIGHT = post_height_script('[data-testid="stMainBlockContainer"]')


def public_style() -> None:
    """Focus outlines, AA-contrast captions and links, narrow-width lists and tables;
    embedded, the height script for embed.js."""
    st.html(PUBLIC_STYLE)
    if embedded():
        st.html(POST_HEIGHT, unsafe_allow_javascript=True, width="content")


def public_note(text: str) -> None:
    """A small note in AA contrast (instead of st.caption)."""
    st.html(note(text))


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
