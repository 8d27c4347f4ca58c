"""DataFrame (from a named query) -> Plotly figure. No Streamlit here.

Every chart uses the one status palette of tracker.status, carries the status
word (and icon) in its legend and hover text, and is paired on the page with
a one-sentence summary and its data table.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tracker import i18n
from tracker.status import COLOURS, ICONS

FONT = {"family": "sans-serif", "size": 13}


def _layout(fig: go.Figure, *, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        font=FONT,
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    return fig


def status_by_theme(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal stacked bars: measures per theme, one segment per status.

    ``counts`` is the result of queries/theme_status_counts.sql.
    """
    themes = list(dict.fromkeys(counts["theme"]))
    fig = go.Figure()
    for status, rows in counts.groupby("status", sort=False):
        label = f"{ICONS[status]} {i18n.status_label(status, lang)}"
        fig.add_trace(
            go.Bar(
                name=label,
                y=rows["theme"],
                x=rows["measures"],
                orientation="h",
                marker={"color": COLOURS[status], "line": {"color": "white", "width": 1}},
                customdata=[i18n.format_percent(s, lang) for s in rows["share"]],
                hovertemplate="%{y}<br>" + label + ": %{x} (%{customdata})<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=themes[::-1], title=None)
    fig.update_xaxes(title=None, dtick=1 if counts["theme_total"].max() <= 10 else None)
    return _layout(fig, height=max(220, 48 * len(themes) + 90))


# -- public view --


def status_by_theme_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The data table beside the status-by-theme chart: a row per theme, a column per
    status that occurs (headed by its icon and word), and the theme's total."""
    present = counts.groupby("status", sort=False)["measures"].sum()
    statuses = [status for status, count in present.items() if count]
    table = counts.pivot_table(index=["position", "theme"], columns="status", values="measures", aggfunc="first")
    table = table.reindex(columns=statuses).reset_index(level="position", drop=True)
    table.columns = [f"{ICONS[s]} {i18n.status_label(s, lang)}" for s in statuses]
    table[i18n.t("public.total", lang)] = counts.groupby(["position", "theme"], sort=True)["theme_total"].first().values
    table = table.astype(int)
    table.index.name = i18n.t("column.theme", lang)
    return table.reset_index()


def status_by_theme_summary(counts: pd.DataFrame, lang: str) -> str:
    """One sentence saying what the status-by-theme chart shows."""
    done = counts[counts["status"] == "done"].set_index("theme")
    totals = counts.groupby("theme", sort=False)["theme_total"].first()
    total = int(totals.sum())
    done_total = int(done["measures"].sum())
    if len(totals) == 1:
        theme = totals.index[0]
        return i18n.t("public.chart_summary_one", lang, theme=theme, done=done_total, total=total)
    shares = done["measures"] / totals.where(totals > 0)
    best = shares.fillna(0).idxmax()
    return i18n.t(
        "public.chart_summary",
        lang,
        themes=len(totals),
        done=done_total,
        total=total,
        theme=best,
        theme_done=int(done.loc[best, "measures"]),
        theme_total=int(totals[best]),
    )
