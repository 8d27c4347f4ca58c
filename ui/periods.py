"""What the reporting-cycle pages share (issue 14): choosing a period by the
URL, and words from data shown as plain text, never markdown."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st

from tracker import write
from tracker.errors import UserError
from ui import data, session, text
from ui.badges import esc
from ui.formats import fmt_date
from ui.forms import select_or_none
from ui.programme import required_programme, url_int
from ui.text import md, tr


class PeriodPage(NamedTuple):
    """What a page on a programme's reporting periods starts from."""

    programme: pd.Series
    programme_id: int
    lang: str
    internal: bool  # the caller sees unpublished measures and internal fields
    periods: pd.DataFrame  # queries/reporting_periods.sql
    closed: pd.DataFrame  # those closed: their figures are frozen


def period_page(title_key: str) -> PeriodPage:
    """The page's title over the programme the URL names (without one the page stops at
    the programme choice), and the programme's reporting periods."""
    programme = required_programme(title_key)
    st.title(tr(title_key))
    language = text.lang()
    programme_id = int(programme.name)
    internal = session.sees_internal()
    periods = data.run("reporting_periods", programme_id=programme_id, lang=language)
    return PeriodPage(programme, programme_id, language, internal, periods, periods[periods["closing_id"].notna()])


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


READY_PREFIX = "measure_ready_"


def ready_toggles(measure_id: int, lang: str) -> None:
    """For an editor: "ready for <period>" for each open reporting period of the measure's
    programme, where the contact person's reminder links lead; what the last switch did
    stands right below it."""
    who = session.caller()
    if not who.can("editor"):
        return
    periods = data.run("measure_open_periods", measure_id=measure_id, lang=lang)

    def switch(period_id: int, name: str) -> None:
        ready = bool(st.session_state[f"{READY_PREFIX}{measure_id}_{period_id}"])
        try:
            write.periods.set_ready(data.connection(), who, period_id, measure_id, ready)
        except UserError as refused:
            st.session_state[READY_PREFIX + "outcome"] = (period_id, "error", tr(refused.key, **refused.params))
        else:
            done = tr("measure.ready_marked" if ready else "measure.ready_unmarked", period=name)
            st.session_state[READY_PREFIX + "outcome"] = (period_id, "success", done)

    outcome = st.session_state.pop(READY_PREFIX + "outcome", None)
    for period in periods.to_dict("records"):
        period_id = int(period["id"])
        due = fmt_date(period["due_on"])
        label = tr("measure.ready_for", period=period["name"])
        if due:
            label += f" ({tr('measure.ready_due', date=due)})"
        st.toggle(
            md(label),
            value=bool(period["ready"]),
            key=f"{READY_PREFIX}{measure_id}_{period_id}",
            on_change=switch,
            args=(period_id, period["name"]),
        )
        if outcome is not None and outcome[0] == period_id:
            (st.error if outcome[1] == "error" else st.success)(md(outcome[2]))
