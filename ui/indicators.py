"""Indicators as the pages show them: a short list of where each stands (the
overview), one indicator with its figure, table, goals and the measures meant to
move it (the indicators page), and the effect a measure is expected to have (the
measure page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.present import indicators as present
from tracker.present.charts import PLOTLY_CONFIG
from ui import data
from ui.badges import esc, status_badge
from ui.formats import missing
from ui.links import page_link
from ui.text import lang, md, tr


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(*args, **kwargs):
    """present.indicator_figure, built once per distinct data (never mutated)."""
    return present.indicator_figure(*args, **kwargs)


def summary_text(row) -> str:
    return present.indicator_summary(row, lang(), unit=row["unit"], direction=row["direction"])


def _headed_list(heading: str, none: str, rows: pd.DataFrame, item) -> None:
    """A subheading over one line per row (item gives its <li>), or a caption saying there are none."""
    st.subheader(tr(heading), anchor=False)
    if rows.empty:
        st.caption(tr(none))
        return
    items = "".join(item(row) for row in rows.to_dict("records"))
    # st.html: HTML only, never read as markdown around the escaped names
    st.html('<ul style="list-style:none;padding-left:0;margin:0">' + items + "</ul>")


def indicator_overview(organisation_id: int, programme_id: int, *, internal: bool) -> None:
    """The organisation's indicators (the emissions one aside: its section is above), each
    linked to its page with where it stands."""
    rows = data.run("indicator_list", organisation_id=organisation_id, lang=lang(), include_unpublished=internal)
    rows = rows[rows["role"] != "emissions"]

    def item(row: dict) -> str:
        link = esc(page_link("indicators", programme=programme_id, indicator=row["id"]))
        return (
            f'<li style="margin-bottom:0.3em"><a href="{link}" target="_self">{esc(row["name"])}</a>'
            f" ({esc(row['unit'])}) · {esc(summary_text(row))}</li>"
        )

    _headed_list("indicators.overview", "indicators.none", rows, item)


def indicator_view(indicator: pd.Series, *, key: str) -> None:
    """One indicator: where it stands, its figure with goals and target, the table behind it."""
    reader = lang()
    indicator_id = int(indicator["id"])
    series = data.run("indicator_series", indicator_id=indicator_id)
    goals = data.run("indicator_goal_list", indicator_id=indicator_id)
    path = data.run("indicator_target_path", indicator_id=indicator_id)
    listed = data.run(
        "indicator_list", organisation_id=int(indicator["organisation_id"]), lang=reader, include_unpublished=True
    )
    standing = listed[listed["id"] == indicator_id].iloc[0]
    st.markdown(md(summary_text(standing)))
    if series.empty and goals.empty:
        return
    breakdown = None if missing(indicator["breakdown"]) else indicator["breakdown"]
    figure = _figure(
        series,
        goals,
        path,
        reader,
        unit=indicator["unit"],
        frequency=indicator["frequency"],
        breakdown=breakdown,
    )
    st.plotly_chart(figure, width="stretch", config=PLOTLY_CONFIG, key=f"{key}_indicator_chart")
    with st.expander(tr("chart.data_table")):
        st.dataframe(
            present.indicator_table(series, goals, reader, breakdown=breakdown), hide_index=True, width="stretch"
        )


def effect_text(row, unit: str) -> str:
    """The effect expected of a measure on an indicator, in words."""
    words = tr(f"indicators.effect_{row['effect']}")
    if not missing(row["effect_amount"]):
        words += " " + tr(
            "indicators.effect_amount", amount=present.value_text(row["effect_amount"], lang()), unit=unit
        )
    if not missing(row["effect_year"]):
        words += " " + tr("indicators.effect_by", year=int(row["effect_year"]))
    return words


def linked_measures(indicator_id: int, unit: str, *, internal: bool) -> None:
    """The measures meant to move the indicator, each with its status and expected effect."""
    measures = data.run(
        "indicator_measures", indicator_id=indicator_id, lang=lang(), include_unpublished=internal, today=data.today()
    )

    def item(row: dict) -> str:
        link = esc(page_link("measure", programme=row["programme_id"], code=row["code"]))
        note = "" if missing(row["effect_note"]) else f"<br><span style='opacity:0.8'>{esc(row['effect_note'])}</span>"
        return (
            f'<li style="margin-bottom:0.5em">{status_badge(row["status"])} '
            f'<a href="{link}" target="_self">{esc(row["code"])} {esc(row["title"])}</a>'
            f" · {esc(effect_text(row, unit))}{note}</li>"
        )

    _headed_list("indicators.measures", "indicators.no_measures", measures, item)
