"""Charts of the all-organisations view: DataFrame (from a national_* query) -> Plotly figure.

Kept apart from tracker/charts.py (the programme overview's charts) but built
the same way: the one status palette, status words in legends and hovers.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tracker import i18n
from tracker.charts import _layout
from tracker.status import COLOURS, ICONS

PLANNED_COLOUR = "#56B4E9"  # Okabe-Ito sky blue
ACTUAL_COLOUR = "#0072B2"  # Okabe-Ito blue


def status_totals(counts: pd.DataFrame, lang: str) -> go.Figure:
    """One horizontal bar per status; ``counts`` is queries/national_status_counts.sql."""
    labels = [f"{ICONS[s]} {i18n.status_label(s, lang)}" for s in counts["status"]]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=counts["measures"],
            orientation="h",
            marker={"color": [COLOURS[s] for s in counts["status"]]},
            customdata=[i18n.format_percent(s, lang) for s in counts["share"]],
            hovertemplate="%{y}: %{x} (%{customdata})<extra></extra>",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None)
    fig.update_xaxes(title=None)
    return _layout(fig, height=260)


def money_by_year(money: pd.DataFrame, lang: str, planned_label: str, actual_label: str) -> go.Figure:
    """Planned and actual euros side by side per year; ``money`` is queries/national_money_by_year.sql."""
    fig = go.Figure()
    for column, label, colour in (
        ("planned_eur", planned_label, PLANNED_COLOUR),
        ("actual_eur", actual_label, ACTUAL_COLOUR),
    ):
        values = money[column].astype(float)
        fig.add_trace(
            go.Bar(
                name=label,
                x=money["year"].astype(str),
                y=values,
                marker={"color": colour},
                customdata=[i18n.format_eur(v, lang) if pd.notna(v) else "" for v in values],
                hovertemplate="%{x} " + label + ": %{customdata}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=None, type="category")
    fig.update_yaxes(title=None)
    return _layout(fig, height=320)
