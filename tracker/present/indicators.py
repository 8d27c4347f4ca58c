"""Any indicator as leaders read it (no Streamlit here): its values per year or month
(stacked by the breakdown when it has one), its dated goals and reduction target,
a sentence saying where it stands against the next goal, and the table behind the
figure. Built from the named queries indicator_series, indicator_goal_list and
indicator_target_path; the emissions indicator has its own (tracker/present/emissions.py)."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from tracker import i18n
from tracker.present.charts import TARGET_COLOUR, category_marker, finish_layout, series_trace

GOAL_COLOUR = "#CC79A7"
LINE_COLOUR = "#0072B2"


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def period_text(year, month, lang: str) -> str:
    """2024, or 3/2024 for a month."""
    if _missing(year):
        return ""
    month = 0 if _missing(month) else int(month)
    return str(int(year)) if month == 0 else f"{month}/{int(year)}"


def value_text(value, lang: str) -> str:
    if _missing(value):
        return "–"
    number = float(value)
    # whole numbers as they are, others to at most two decimals (one from a hundred up)
    return i18n.format_number(round(number, 1 if abs(number) >= 100 else 2), lang)


def _x(frame: pd.DataFrame, frequency: str) -> list:
    if frequency == "monthly":
        return [date(int(y), int(m), 1) for y, m in zip(frame["year"], frame["month"], strict=True)]
    return [int(y) for y in frame["year"]]


def category_label(sector: str, breakdown: str | None, lang: str) -> str:
    """A breakdown category as stored; the demo's sector codes (heating ...) read in the language."""
    key = f"sector.{sector}"
    return i18n.t(key, lang) if i18n.has(key) else (sector or i18n.t("indicators.total", lang))


def indicator_figure(
    series: pd.DataFrame,
    goals: pd.DataFrame,
    path: pd.DataFrame,
    lang: str,
    *,
    unit: str,
    frequency: str,
    breakdown: str | None,
) -> go.Figure:
    """Bars stacked by category (or a line without a breakdown), the goals as diamonds
    and the reduction target as a dashed line."""
    fig = go.Figure()
    monthly = frequency == "monthly"
    as_text = partial(value_text, lang=lang)
    if breakdown:
        for index, (sector, rows) in enumerate(series.groupby("sector", sort=False)):
            name = category_label(sector, breakdown, lang)
            marker = category_marker(index)
            fig.add_trace(series_trace(go.Bar, name, _x(rows, frequency), rows["value"], as_text, unit, marker=marker))
        fig.update_layout(barmode="relative", bargap=0.15)
    else:
        name = i18n.t("indicators.value", lang)
        fig.add_trace(
            go.Scatter(
                name=name,
                x=_x(series, frequency),
                y=series["value"].astype(float),
                mode="lines+markers",
                line={"color": LINE_COLOUR, "width": 2.5},
                marker={"size": 8, "symbol": ["circle-open" if p else "circle" for p in series["is_preliminary"]]},
                customdata=[value_text(v, lang) for v in series["value"]],
                hovertemplate="%{x}: %{customdata} " + unit + "<extra></extra>",
            )
        )
    if not path.empty:
        line = path[path["target"].notna()]
        name = i18n.t("indicators.target_path", lang)
        style = {"mode": "lines", "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash"}}
        fig.add_trace(
            series_trace(go.Scatter, name, [int(y) for y in line["year"]], line["target"], as_text, unit, **style)
        )
    if not goals.empty:
        name = i18n.t("indicators.goal", lang)
        marker = {"color": GOAL_COLOUR, "size": 12, "symbol": "diamond", "line": {"color": "black", "width": 1}}
        fig.add_trace(
            series_trace(
                go.Scatter, name, _x(goals, frequency), goals["value"], as_text, unit, mode="markers", marker=marker
            )
        )
    if monthly:
        fig.update_xaxes(title=None, tickformat="%-m/%Y")
    else:
        fig.update_xaxes(title=None, tickformat="d", tickangle=0, nticks=8)
    fig.update_yaxes(title={"text": unit})
    return finish_layout(fig, height=380, lang=lang)


def indicator_table(series: pd.DataFrame, goals: pd.DataFrame, lang: str, *, breakdown: str | None) -> pd.DataFrame:
    """A row per period: each category (with a breakdown) and the total, and the goal set for it."""
    periods = series[["year", "month"]].drop_duplicates()
    goal_periods = goals[["year", "month"]] if not goals.empty else pd.DataFrame(columns=["year", "month"])
    periods = pd.concat([periods, goal_periods]).drop_duplicates().sort_values(["year", "month"])
    table = {i18n.t("indicators.period", lang): [period_text(y, m, lang) for y, m in periods.itertuples(index=False)]}
    keyed = series.set_index(["year", "month", "sector"])["value"]
    totals = series.groupby(["year", "month"])["value"].sum()
    preliminary = series.groupby(["year", "month"])["is_preliminary"].any()
    index = list(periods.itertuples(index=False, name=None))
    if breakdown:
        for sector in dict.fromkeys(series["sector"]):
            table[category_label(sector, breakdown, lang)] = [
                value_text(keyed.get((y, m, sector)), lang) for y, m in index
            ]
    table[i18n.t("indicators.total", lang) if breakdown else i18n.t("indicators.value", lang)] = [
        value_text(totals.get((y, m)), lang)
        + (" " + i18n.t("emissions.preliminary_mark", lang) if preliminary.get((y, m)) else "")
        for y, m in index
    ]
    goal_values = goals.set_index(["year", "month"])["value"] if not goals.empty else pd.Series(dtype=object)
    table[i18n.t("indicators.goal", lang)] = [
        value_text(goal_values.get((y, m)), lang) if (y, m) in goal_values.index else "" for y, m in index
    ]
    return pd.DataFrame(table)


def standing(direction: str, latest, goal) -> bool:
    """Whether ``latest`` is at or beyond ``goal`` in the indicator's good direction."""
    return float(latest) <= float(goal) if direction == "decrease" else float(latest) >= float(goal)


def indicator_summary(row, lang: str, *, unit: str, direction: str) -> str:
    """Where the indicator stands: its latest value and the goal it is measured against.
    ``row`` has latest_year, latest_month, latest_total, goal_year, goal_month, goal_value
    (queries indicator_list and measure_indicator_summary)."""
    if _missing(row["latest_year"]):
        return i18n.t("indicators.no_values", lang)
    latest = i18n.t(
        "indicators.latest",
        lang,
        period=period_text(row["latest_year"], row["latest_month"], lang),
        value=value_text(row["latest_total"], lang),
        unit=unit,
    )
    if _missing(row["goal_value"]):
        return latest
    goal = {
        "goal": value_text(row["goal_value"], lang),
        "unit": unit,
        "period": period_text(row["goal_year"], row["goal_month"], lang),
    }
    if standing(direction, row["latest_total"], row["goal_value"]):
        return latest + " " + i18n.t("indicators.goal_reached", lang, **goal)
    gap = abs(float(row["latest_total"]) - float(row["goal_value"]))
    return latest + " " + i18n.t("indicators.goal_ahead", lang, **goal, gap=value_text(gap, lang))
