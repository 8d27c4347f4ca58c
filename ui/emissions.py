"""The municipality's emissions as one section, shared by the overview, the indicators
page and the public view: where the emissions are heading against the target in a
sentence, then one view at a time (so a page draws one figure per run): the readings
with the target line and the paths, the sectors of level 1, 2 or 3 under a reading,
or per resident. A table is behind every figure; the figures are labelled with the
reading they follow and the source (docs/emissions.md)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.present import emissions as present
from tracker.present.charts import PLOTLY_CONFIG
from tracker.present.public_html import html_table
from ui import data
from ui.badges import esc
from ui.public_view import public_note
from ui.text import lang, md, tr

VIEWS = ("path", "sectors", "per_resident")
LEVELS = (1, 2, 3)


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(builder: str, *args, **kwargs):
    """A figure of tracker.present.emissions, built once per distinct data (never mutated)."""
    return getattr(present, builder)(*args, **kwargs)


def _say(text: str, public: bool) -> None:
    if public:
        st.html(f"<p>{esc(text)}</p>")
    else:
        st.markdown(md(text))


def _note(text: str, public: bool) -> None:
    if public:
        public_note(text)
    else:
        st.caption(md(text))


def _draw(figure, summary: str, table: pd.DataFrame, caption: str, *, key: str, public: bool) -> None:
    """The summary, the figure and its table (a real HTML table on the public view)."""
    _say(summary, public)
    st.plotly_chart(figure, width="stretch", config=PLOTLY_CONFIG, key=key)
    if public:
        numbers = set(range(1, len(table.columns)))
        st.html(
            f"<details><summary>{esc(tr('chart.data_table'))}</summary>"
            + html_table(table.values.tolist(), list(table.columns), caption, numbers=numbers)
            + "</details>"
        )
    else:
        with st.expander(tr("chart.data_table")):
            st.dataframe(table, hide_index=True, width="stretch")


def emissions_section(organisation_id: int, *, key: str, public: bool = False, internal: bool = False) -> bool:
    """Draw the organisation's emissions section under its heading; False (nothing drawn)
    when it has no SYKE figures or, for a reader who does not see internal data, when
    its emissions indicator is not published. ``key`` keeps widget keys apart per page."""
    reader = lang()
    source = data.run("emission_source", organisation_id=organisation_id, lang=reader)
    if source.empty:
        return False
    found = source.iloc[0]
    if not found["is_published"] and not internal:
        return False
    totals = data.run("emission_totals", organisation_id=organisation_id)
    path = data.run("emission_target_path", organisation_id=organisation_id, pace_years=present.PACE_YEARS)

    st.subheader(tr("emissions.heading"), anchor=False)
    _say(present.gap_sentence(path, reader), public)
    target = present.target_label(path, reader)
    if target:
        _note(target, public)
    names = {
        "path": tr("emissions.view_path"),
        "sectors": tr("emissions.view_sectors"),
        "per_resident": tr("emissions.view_per_resident"),
    }
    view = st.radio(tr("emissions.view"), VIEWS, format_func=names.get, horizontal=True, key=f"{key}_emissions_view")
    if view == "path":
        path_view(totals, path, key=key, public=public)
    elif view == "sectors":
        _sectors(organisation_id, key=key, public=public)
    else:
        _per_resident(totals, key=key, public=public)
    _note(present.source_text(found, reader, with_file=internal), public)
    if found["is_illustrative"]:
        _note("ⓘ " + tr("app.illustrative"), public)
    return True


def path_view(totals: pd.DataFrame, path: pd.DataFrame, *, key: str, public: bool = False) -> None:
    """The readings per year with the target line and the paths, and the table behind them
    (queries emission_totals and emission_target_path); the board report page draws it too."""
    reader = lang()
    _draw(
        _figure("path_figure", totals, path, reader),
        tr("emissions.path_summary", reading=present.reading_label(path.iloc[-1]["reading"], reader))
        if not path.empty
        else present.gap_sentence(path, reader),
        present.path_table(totals, path, reader),
        tr("emissions.path_caption"),
        key=f"{key}_emissions_path",
        public=public,
    )


def _sectors(organisation_id: int, *, key: str, public: bool) -> None:
    reader = lang()
    left, right = st.columns(2)
    level = left.radio(
        tr("emissions.level"),
        LEVELS,
        index=2,
        format_func={level: tr(f"emissions.level_{level}") for level in LEVELS}.get,
        horizontal=True,
        key=f"{key}_emissions_level",
    )
    reading = right.selectbox(
        tr("emissions.reading"),
        present.READINGS,
        format_func={r: present.reading_label(r, reader) for r in present.READINGS}.get,
        key=f"{key}_emissions_reading",
    )
    sectors = data.run("emission_sectors", organisation_id=organisation_id, level=level, reading=reading)
    if sectors.empty:
        _note(tr("emissions.no_sectors"), public)
        return
    _draw(
        _figure("sectors_figure", sectors, reader),
        present.sectors_summary(sectors, reader) + " " + present.reading_label(reading, reader) + ".",
        present.sectors_table(sectors, reader),
        tr("emissions.sectors_caption", reading=present.reading_label(reading, reader)),
        key=f"{key}_emissions_sectors",
        public=public,
    )


def _per_resident(totals: pd.DataFrame, *, key: str, public: bool) -> None:
    reader = lang()
    if totals["residents"].isna().all():
        _note(present.per_resident_summary(totals, reader), public)
        return
    _draw(
        _figure("per_resident_figure", totals, reader),
        present.per_resident_summary(totals, reader),
        present.per_resident_table(totals, reader),
        tr("emissions.per_resident_caption"),
        key=f"{key}_emissions_per_resident",
        public=public,
    )
