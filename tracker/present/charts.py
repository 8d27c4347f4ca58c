"""DataFrame (from a named query) -> Plotly figure. No Streamlit here.

Every chart uses the one status palette of tracker.status, carries the status
word (and icon) in its legend and hover text, and is paired on the page with
a one-sentence summary and its data table. Legends sit below the plot and
margins are small so that charts stay readable on a 380 px phone screen.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from tracker import i18n
from tracker.status import COLOURS, ICONS

FONT = {"family": "sans-serif", "size": 13}

# Passed to st.plotly_chart: no Plotly logo or "edit in Chart Studio" links (they lead
# to a third party); the remaining mode-bar buttons work offline.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "responsive": True,
}

# Money colours (Okabe-Ito sky blue and blue): planned is the lighter, actual the darker.
PLANNED_COLOUR = "#56B4E9"
ACTUAL_COLOUR = "#0072B2"
TARGET_COLOUR = "#000000"
# Okabe-Ito without black, for categories that are not statuses (emission sectors).
CATEGORY_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]

_SEPARATORS = {"fi": ", ", "sv": ", ", "en": ".,"}
_MONTH_TICKS = {"fi": "%-m/%Y", "sv": "%-m/%Y", "en": "%b %Y"}


def status_name(status: str, lang: str) -> str:
    return f"{ICONS[status]} {i18n.status_label(status, lang)}"


def plain(text) -> str:
    """Stored text as Plotly shows it literally: Plotly reads <a href>, <b>, <br> in
    every label, so a theme named '<a href=…>' would be a live link."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int = 22) -> str:
    """Long category names broken over lines so horizontal bars keep room on a phone."""
    return "<br>".join(plain(line) for line in textwrap.wrap(str(text), width=width)) or plain(text)


def category_marker(index: int) -> dict:
    """The marker of the ``index``-th stacked category: its colour, a thin white edge between segments."""
    return {"color": CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)], "line": {"color": "white", "width": 0.5}}


def yearly_hover(name: str, unit: str) -> str:
    """Hover text of a series over time: the period, the series' name, its value as written and the unit."""
    return "%{x}: " + name + " %{customdata} " + unit + "<extra></extra>"


def series_trace(
    trace: type[go.Scatter] | type[go.Bar],
    name: str,
    x,
    values: pd.Series,
    text: Callable[[object], str],
    unit: str,
    **style,
) -> go.Scatter | go.Bar:
    """One named series of an indicator or emissions chart: the values plotted as floats,
    each hovered as ``text`` writes it with the series' name and unit."""
    return trace(
        name=name,
        x=x,
        y=values.astype(float),
        customdata=[text(v) for v in values],
        hovertemplate=yearly_hover(name, unit),
        **style,
    )


def finish_layout(fig: go.Figure, *, height: int, lang: str) -> go.Figure:
    """The look every chart shares: its height, the project font, the legend below, white ground and
    the reader's number separators."""
    fig.update_layout(
        height=height,
        margin={"l": 4, "r": 8, "t": 8, "b": 8},
        font=FONT,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": None, "traceorder": "normal"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=_SEPARATORS.get(lang, ", "),
        hoverlabel={"font": FONT},
    )
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#bbbbbb")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#bbbbbb")
    return fig


def _eur(values, lang: str) -> list[str]:
    return ["" if pd.isna(v) else i18n.format_eur(v, lang) for v in values]


def status_by_theme(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal stacked bars: measures per theme, one segment per status.

    ``counts`` is the result of queries/theme_status_counts.sql.
    """
    themes = [wrap(name) for name in dict.fromkeys(counts["theme"])]
    fig = go.Figure()
    for status, rows in counts.groupby("status", sort=False):
        if not rows["measures"].any():
            continue
        label = status_name(status, lang)
        fig.add_trace(
            go.Bar(
                name=label,
                y=[wrap(name) for name in rows["theme"]],
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
    return finish_layout(fig, height=max(240, 52 * len(themes) + 110), lang=lang)


def status_history(history: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked areas: measures by status at each month end (queries/status_history.sql)."""
    fig = go.Figure()
    for status in ("done", "in_progress", "late", "not_started", "postponed", "cancelled"):
        rows = history[history["status"] == status]
        if rows.empty or not rows["measures"].any():
            continue
        label = status_name(status, lang)
        fig.add_trace(
            go.Scatter(
                name=label,
                x=rows["month_end"],
                y=rows["measures"],
                mode="lines",
                stackgroup="statuses",
                line={"color": COLOURS[status], "width": 1},
                fillcolor=COLOURS[status],
                customdata=[i18n.format_date(d, lang) for d in rows["month_end"]],
                hovertemplate="%{customdata}<br>" + label + ": %{y}<extra></extra>",
            )
        )
    fig.update_xaxes(title=None, tickformat=_MONTH_TICKS.get(lang, "%-m/%Y"))
    fig.update_yaxes(title=None, rangemode="tozero")
    return finish_layout(fig, height=340, lang=lang)


def planned_vs_actual(
    frame: pd.DataFrame, category: str, lang: str, *, planned_name: str, actual_name: str, horizontal: bool = False
) -> go.Figure:
    """Grouped bars of planned and actual euros per ``category`` (a year or cost centre),
    with each category's utilisation (actual / planned) printed on its actual bar when
    the frame has a ``utilisation`` column."""
    categories = [wrap(c, 26) if horizontal else plain(c) for c in frame[category]]
    utilisation = (
        [i18n.format_percent(u, lang) if not pd.isna(u) else "" for u in frame["utilisation"]]
        if "utilisation" in frame
        else None
    )
    fig = go.Figure()
    for name, column, colour in (
        (planned_name, "planned_eur", PLANNED_COLOUR),
        (actual_name, "actual_eur", ACTUAL_COLOUR),
    ):
        values = frame[column].astype(float)
        bar = {
            "name": name,
            "marker": {"color": colour},
            "customdata": _eur(frame[column], lang),
            "hovertemplate": "%{" + ("y" if horizontal else "x") + "}<br>" + name + ": %{customdata}<extra></extra>",
        }
        if horizontal:
            bar.update(y=categories, x=values, orientation="h")
        else:
            bar.update(x=categories, y=values)
        if column == "actual_eur" and utilisation is not None:
            bar.update(text=utilisation, textposition="outside", cliponaxis=False)
        fig.add_trace(go.Bar(**bar))
    fig.update_layout(barmode="group", bargap=0.25)
    money_axis = {"title": None, "tickformat": ",.0f", "ticksuffix": "" if lang == "en" else " €"}
    if lang == "en":
        money_axis["tickprefix"] = "€"
    if horizontal:
        fig.update_xaxes(**money_axis)
        fig.update_yaxes(title=None, categoryorder="array", categoryarray=categories[::-1])
        return finish_layout(fig, height=max(260, 60 * len(categories) + 110), lang=lang)
    fig.update_xaxes(title=None, type="category")
    fig.update_yaxes(**money_axis)
    return finish_layout(fig, height=340, lang=lang)


def status_totals(counts: pd.DataFrame, lang: str) -> go.Figure:
    """One horizontal bar per status; ``counts`` has status, measures and share
    (queries/national_status_counts.sql)."""
    labels = [status_name(s, lang) for s in counts["status"]]
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
    return finish_layout(fig, height=260, lang=lang)


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
