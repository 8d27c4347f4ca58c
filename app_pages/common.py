"""What every page shares: the one connection, cached named queries, the
reader's language and role, the programme in the URL, status badges."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from tracker import db, i18n
from tracker.auth import ANONYMOUS, Caller
from tracker.status import COLOURS, ICONS, TEXT_ON

LANG_KEY = "app_lang"
CALLER_KEY = "app_caller"


@st.cache_resource
def connection():
    """One DuckDB connection per process; every call takes its own cursor."""
    return db.connect()


def data_version() -> int:
    return db.data_version(connection())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(name: str, version: int, params: tuple) -> pd.DataFrame:
    return db.query(connection(), name, **dict(params))


def run(name: str, **params) -> pd.DataFrame:
    """A named query, cached until the next write bumps the data version."""
    return _cached_query(name, data_version(), tuple(sorted(params.items())))


def lang() -> str:
    return st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)


def tr(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def caller() -> Caller:
    return st.session_state.get(CALLER_KEY, ANONYMOUS)


def sees_internal() -> bool:
    """Signed-in users (viewer and up) see unpublished measures and internal notes."""
    return caller().can("viewer")


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


def page_link(path: str, **params) -> str:
    """A relative URL to a page that keeps the language and programme."""
    query = {"lang": lang(), **{k: v for k, v in params.items() if v is not None}}
    from urllib.parse import urlencode

    return f"{path}?{urlencode(query)}"


def programmes() -> pd.DataFrame:
    return run("programmes", lang=lang())


def selected_programme() -> pd.Series | None:
    """The programme named by ``?programme=ID`` (else the default), with a selector
    when there are several; None when the database holds none."""
    available = programmes()
    if available.empty:
        return None
    ids = available["id"].tolist()
    wanted = st.query_params.get("programme")
    try:
        current = int(wanted) if wanted is not None else ids[0]
    except ValueError:
        current = ids[0]
    if current not in ids:
        current = ids[0]
    if len(ids) > 1:
        labels = dict(zip(available["id"], available["organisation"] + " – " + available["name"], strict=True))
        current = st.selectbox(
            tr("app.programme"), ids, index=ids.index(current), format_func=labels.get, key="common_programme"
        )
    st.query_params["programme"] = str(current)
    return available.set_index("id").loc[current].rename(current)


def missing(value) -> bool:
    """None, NaN, NaT or pandas NA: a cell with no value."""
    return value is None or bool(pd.isna(value))


def fmt_eur(value) -> str:
    return "" if value is None or pd.isna(value) else i18n.format_eur(value, lang())


def fmt_date(value) -> str:
    return "" if value is None or pd.isna(value) else i18n.format_date(value, lang())


def fmt_pct(share) -> str:
    return i18n.format_percent(share, lang())


# -- public view --

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}

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


def public_note(text: str) -> None:
    """A small note in AA contrast (instead of st.caption)."""
    st.html(f'<p class="public-note">{esc(text)}</p>')


def public_style() -> None:
    """Focus outlines, AA-contrast captions and links, narrow-width lists and tables."""
    st.html(PUBLIC_STYLE)


def set_document_language() -> None:
    """Streamlit's page says <html lang="en">; screen readers need the reader's language."""
    import json

    st.html(
        f"<script>document.documentElement.lang = {json.dumps(lang())};</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def embedded() -> bool:
    """Whether the page was opened with ``?embed=true`` (links must keep it)."""
    return bool(st.context.is_embedded)


def public_link(path: str, *, language: str | None = None, **params) -> str:
    """A relative URL to a public page in the reader's language (or ``language``),
    keeping embed mode when embedded."""
    from urllib.parse import urlencode

    query = {"lang": language or lang(), **{k: v for k, v in params.items() if v not in (None, "")}}
    if embedded():
        query["embed"] = "true"
    return f"{path}?{urlencode(query)}"


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
