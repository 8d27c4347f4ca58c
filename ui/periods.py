"""What the reporting-cycle pages share (issue 14): choosing a period by the
URL, and words from data shown as plain text, never markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.badges import esc
from ui.formats import fmt_date
from ui.forms import select_or_none
from ui.programme import url_int
from ui.text import md, tr


def period_label(row) -> str:
    """A period's name, as-of day and state, e.g. "Vuosiraportti 2025 (31.12.2025, suljettu)"."""
    state = tr("period.state_closed") if row["state"] == "closed" else tr("period.state_open")
    return tr("period.label", name=row["name"], date=fmt_date(row["as_of"]), state=state)


def period_choice(
    periods: pd.DataFrame, param: str, label: str, none_label: str, *, within=st, generation: int = 0
) -> int | None:
    """A choice among ``periods`` (queries/reporting_periods.sql) led by ``none_label``, at first the URL's
    ``?param=ID``; the URL follows the choice. A new ``generation`` makes a new widget that starts
    from the URL again (after the page itself changed the URL)."""
    names = {int(row["id"]): period_label(row) for row in periods.to_dict("records")}
    wanted = url_int(param)
    index = [None, *names].index(wanted) if wanted in names else 0
    key = f"period_choice_{param}" + (f"_{generation}" if generation else "")
    chosen = select_or_none(md(label), names, none_label, key=key, index=index, within=within)
    if chosen is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(chosen)
    return chosen


def plain_note(text: str, *, kind: str = "info") -> None:
    """A boxed note whose words come from data: escaped, never read as markdown."""
    colours = {"info": ("#e8f1fb", "#005a8c"), "warning": ("#fff4e0", "#8a5300")}
    background, border = colours[kind]
    st.html(
        f'<div role="note" style="background:{background};border-left:4px solid {border};padding:0.6em 0.9em;'
        f'border-radius:0.4em;margin:0.2em 0 0.6em 0">{esc(text)}</div>'
    )


def plain_list(lines: list[str]) -> None:
    """Sentences as a bullet list, escaped."""
    st.html('<ul style="margin:0 0 0.6em 1.2em;padding:0">' + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")


def plain_caption(text: str) -> None:
    st.html(f'<p style="color:#505050;font-size:0.875rem;margin:0 0 0.5em 0">{esc(text)}</p>')
