"""Charts as leaders and screen readers need them: figures built once per
distinct data, each with its summary in words and its data as a table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.present import charts
from ui.formats import fmt_eur
from ui.text import Markdown, lang, tr


@st.cache_resource(max_entries=256, show_spinner=False)
def figure(builder: str, frame: pd.DataFrame, *args, **kwargs):
    """``tracker.present.charts.<builder>(frame, ...)``, built once per distinct data.

    Building a Plotly figure (its property validation) costs more than the
    queries behind it; the figure depends only on the frame's content and the
    arguments, so it is shared until the data changes. Figures are never
    mutated after they are built.
    """
    return getattr(charts, builder)(frame, *args, **kwargs)


def chart(figure, summary: Markdown, table: pd.DataFrame, *, key: str) -> None:
    """A chart as leaders and screen readers need it: its one-sentence summary in words,
    the figure (no links to third parties), and its data as a table in an expander."""
    st.markdown(summary)
    st.plotly_chart(figure, width="stretch", config=charts.PLOTLY_CONFIG, alt=summary, key=key)
    with st.expander(tr("chart.data_table")):
        st.dataframe(table, hide_index=True, width="stretch")


def planned_vs_actual(frame: pd.DataFrame, label_column: str, **options):
    """The planned-against-actual bars with the columns named in the reader's language."""
    return figure(
        "planned_vs_actual",
        frame,
        label_column,
        lang(),
        planned_name=tr("column.planned"),
        actual_name=tr("column.actual"),
        **options,
    )


def money_years_chart(
    frame: pd.DataFrame, label_column: str, summary_key: str, table: pd.DataFrame, *, key: str
) -> None:
    """Planned against actual money over the years, summed up in the sentence
    ``summary_key``: the first and last year and the totals (the query's
    ``planned_total`` and ``actual_total``)."""
    chart(
        planned_vs_actual(frame, label_column),
        tr(
            summary_key,
            first=int(frame["year"].min()),
            last=int(frame["year"].max()),
            planned=fmt_eur(frame["planned_total"].iloc[0]),
            actual=fmt_eur(frame["actual_total"].iloc[0]),
        ),
        table,
        key=key,
    )
