"""The municipality's emissions as leaders and residents read them (no Streamlit here):
the readings of SYKE's figures named in words, the target and the way to it in one
sentence ("at the 2019–2023 pace the 2030 target is missed by 95 kt"), figures and
the tables behind them, built from the named queries emission_totals,
emission_target_path and emission_sectors. ``report_section`` gives the board
report the same sentence, label and table (docs/emissions.md).

The readings (the macro emission_value; docs/emissions.md has the source):
``total`` all sectors, ``non_ets`` without emissions trading, ``hinku`` Hinku's rules
with credits (the figure Hinku's −80 % target follows), ``hinku_no_credits``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

import duckdb
import pandas as pd
import plotly.graph_objects as go

from tracker import db, i18n
from tracker.present.charts import TARGET_COLOUR, category_marker, finish_layout, series_trace

# The pace is the yearly change over the last five years ("2019–2023").
PACE_YEARS = 5
READINGS = ("hinku", "total", "non_ets")
READING_COLUMNS = {"total": "total_kt", "non_ets": "non_ets_kt", "hinku": "hinku_kt"}
PER_RESIDENT_COLUMNS = {"total": "total_t", "non_ets": "non_ets_t", "hinku": "hinku_t"}
READING_COLOURS = {"hinku": "#0072B2", "total": "#E69F00", "non_ets": "#009E73"}
PATH_COLOUR = "#D55E00"
PACE_COLOUR = "#666666"
HINKU_TARGET = (2007, 2030, Decimal(80), "hinku")
UNIT = "kt CO2e"

# Every level-1, -2 and -3 name -> its catalogue key's last part (emissions.sector.<key>),
# so the sectors are named in the reader's language; a name not here is shown as SYKE wrote it.
SECTOR_KEYS = {
    "Energia": "energy",
    "Maatalous": "agriculture",
    "Jätteiden käsittely": "waste",
    "Teollisuusprosessit": "industrial_processes",
    "Kompensaatiot": "compensation",
    "Kulutussähkö": "electricity",
    "Rakennusten lämmitys": "building_heating",
    "Teollisuus ja työkoneet": "industry_machinery",
    "Työkoneet": "machinery",
    "Liikenne": "transport",
    "F-kaasut": "f_gases",
    "Sähkölämmitys": "electric_heating",
    "Kaukolämpö": "district_heating",
    "Öljylämmitys": "oil_heating",
    "Muu lämmitys": "other_heating",
    "Teollisuus": "industry",
    "Tieliikenne": "road_transport",
    "Raideliikenne": "rail_transport",
    "Vesiliikenne": "water_transport",
    "Päästöhyvitykset": "credits",
    "Tuulivoima": "wind_power",
}


def reading_label(reading: str, lang: str) -> str:
    """A reading's name; Hinku's says its rule and its source, as the figure must be labelled."""
    return i18n.t(f"emissions.reading.{reading}", lang)


def sector_name(name: str, lang: str) -> str:
    """A SYKE sector in the reader's language; a name SYKE added since is shown as it is."""
    key = SECTOR_KEYS.get(name)
    return i18n.t(f"emissions.sector.{key}", lang) if key else name


def kt_text(value, lang: str, decimals: int = 1) -> str:
    return "–" if value is None or pd.isna(value) else i18n.format_number(round(float(value), decimals), lang, decimals)


def _summary(path: pd.DataFrame) -> pd.Series | None:
    return None if path.empty else path.iloc[-1]


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def _flagged(value) -> bool:
    """A yes of a nullable boolean column: a numpy or Python true, never NA (``is True``
    misses numpy's bool, and NA has no truth value)."""
    return not _missing(value) and bool(value)


def target_label(path: pd.DataFrame, lang: str) -> str | None:
    """ "Hinku target: −80 % from 2007 by 2030" or the organisation's own target; None without one."""
    row = _summary(path)
    if row is None or _missing(row["target_year"]) or _missing(row["target_reduction_pct"]):
        return None
    spec = (int(row["base_year"]), int(row["target_year"]), Decimal(str(row["target_reduction_pct"])), row["reading"])
    key = "emissions.target_hinku" if spec == HINKU_TARGET else "emissions.target_own"
    return i18n.t(
        key,
        lang,
        pct=i18n.format_number(spec[2], lang),
        base_year=spec[0],
        target_year=spec[1],
        reading=reading_label(row["reading"], lang),
    )


def gap_sentence(path: pd.DataFrame, lang: str) -> str:
    """Where the emissions are heading against the target, in one or two sentences."""
    row = _summary(path)
    if row is None:
        return i18n.t("emissions.no_figures", lang)
    if _missing(row["target_year"]):
        return i18n.t("emissions.no_target", lang)
    if _missing(row["base_value"]):
        return i18n.t("emissions.base_missing", lang, base_year=int(row["base_year"]))
    last_year, target_year = int(row["last_year"]), int(row["target_year"])
    common = {
        "target_year": target_year,
        "target": kt_text(row["target_value"], lang),
        "last_year": last_year,
        "last": kt_text(row["last_value"], lang),
    }
    if target_year <= last_year:
        actual = path.loc[path["year"] == target_year, "actual"]
        year, value = (
            (target_year, actual.iloc[0])
            if len(actual) and not _missing(actual.iloc[0])
            else (last_year, row["last_value"])
        )
        difference = float(value) - float(row["target_value"])
        key = "emissions.past_target_above" if difference > 0 else "emissions.past_target_below"
        return i18n.t(key, lang, **common, year=year, value=kt_text(value, lang), gap=kt_text(abs(difference), lang))
    required = float(row["required_per_year"])
    needed = (
        i18n.t("emissions.required", lang, **common, required=kt_text(abs(required), lang))
        if required < 0
        else i18n.t("emissions.already_below", lang, **common)
    )
    if _missing(row["pace_per_year"]):
        sentence = i18n.t("emissions.no_pace", lang, last_year=last_year) + " " + needed
    else:
        gap = float(row["gap"])
        key = "emissions.gap_missed" if gap > 0 else "emissions.gap_met"
        sentence = (
            i18n.t(key, lang, pace_from=int(row["pace_from"]), gap=kt_text(abs(gap), lang, 0), **common) + " " + needed
        )
    preliminary = path.loc[path["year"] == last_year, "is_preliminary"]
    if len(preliminary) and _flagged(preliminary.iloc[0]):
        sentence += " " + i18n.t("emissions.last_preliminary", lang, year=last_year)
    return sentence


def _year_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    """Years as the tables show them, a preliminary one marked (2023 e)."""
    mark = i18n.t("emissions.preliminary_mark", lang)
    return [
        f"{int(y)} {mark}" if _flagged(p) else str(int(y))
        for y, p in zip(frame["year"], frame["is_preliminary"], strict=True)
    ]


def path_figure(totals: pd.DataFrame, path: pd.DataFrame, lang: str) -> go.Figure:
    """Each reading per year (the one the target follows drawn strongest, preliminary
    years as open markers), the target line, the path needed from the last year and
    where the recent pace leads (queries emission_totals and emission_target_path)."""
    row = _summary(path)
    followed = row["reading"] if row is not None else "hinku"
    as_text = partial(kt_text, lang=lang)
    fig = go.Figure()
    for reading in (followed, *(r for r in READINGS if r != followed)):
        values = totals[READING_COLUMNS[reading]]
        name = reading_label(reading, lang)
        strong = reading == followed
        fig.add_trace(
            series_trace(
                go.Scatter,
                name,
                totals["year"],
                values,
                as_text,
                UNIT,
                mode="lines+markers",
                line={"color": READING_COLOURS[reading], "width": 3 if strong else 1.5},
                marker={
                    "size": 8 if strong else 5,
                    "symbol": ["circle-open" if _flagged(p) else "circle" for p in totals["is_preliminary"]],
                },
                connectgaps=False,
            )
        )
    if row is not None:
        for column, key, colour, dash in (
            ("target_line", "emissions.target_line", TARGET_COLOUR, "dash"),
            ("required_path", "emissions.required_path", PATH_COLOUR, "dot"),
            ("pace_path", "emissions.pace_path", PACE_COLOUR, "dashdot"),
        ):
            line = path[path[column].notna()]
            if line.empty:
                continue
            name = i18n.t(key, lang)
            fig.add_trace(
                series_trace(
                    go.Scatter,
                    name,
                    line["year"],
                    line[column],
                    as_text,
                    UNIT,
                    mode="lines",
                    line={"color": colour, "width": 2, "dash": dash},
                )
            )
    fig.update_xaxes(title=None, tickformat="d", tickangle=0, nticks=8)
    fig.update_yaxes(title={"text": UNIT}, rangemode="tozero")
    fig.update_layout(legend={"y": -0.15})
    return finish_layout(fig, height=440, lang=lang)


def sectors_figure(sectors: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked bars per year, one segment per sector (credits below zero), from emission_sectors."""
    as_text = partial(kt_text, lang=lang)
    fig = go.Figure()
    for index, (sector, rows) in enumerate(sectors.groupby("sector", sort=False)):
        name = sector_name(sector, lang)
        fig.add_trace(
            series_trace(go.Bar, name, rows["year"], rows["kt"], as_text, UNIT, marker=category_marker(index))
        )
    fig.update_layout(barmode="relative", bargap=0.15)
    fig.update_xaxes(title=None, tickformat="d", tickangle=0, nticks=8)
    fig.update_yaxes(title={"text": UNIT})
    return finish_layout(fig, height=420, lang=lang)


def per_resident_figure(totals: pd.DataFrame, lang: str) -> go.Figure:
    """Each reading per resident (t CO2e) in the years whose population is known."""
    known = totals[totals["residents"].notna()]
    unit = i18n.t("emissions.per_resident_unit", lang)
    as_text = partial(kt_text, lang=lang, decimals=2)
    fig = go.Figure()
    for reading in READINGS:
        column = PER_RESIDENT_COLUMNS[reading]
        name = reading_label(reading, lang)
        style = {"mode": "lines+markers", "line": {"color": READING_COLOURS[reading], "width": 2}}
        fig.add_trace(series_trace(go.Scatter, name, known["year"], known[column], as_text, unit, **style))
    fig.update_xaxes(title=None, tickformat="d", tickangle=0, nticks=8)
    fig.update_yaxes(title={"text": unit}, rangemode="tozero")
    return finish_layout(fig, height=380, lang=lang)


# -- the tables behind the figures --


def path_table(totals: pd.DataFrame, path: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A row per year: each reading (kt, three decimals as SYKE gives them), then the target
    line, the path needed and the pace's projection where they run."""
    frame = (
        path[["year", "target_line", "required_path", "pace_path"]].merge(
            totals[["year", "is_preliminary", *READING_COLUMNS.values()]], on="year", how="left"
        )
        if not path.empty
        else totals.assign(target_line=None, required_path=None, pace_path=None)
    )
    values = [*READING_COLUMNS.values(), "target_line", "required_path", "pace_path"]
    frame = frame[frame[values].notna().any(axis=1)]
    columns = {i18n.t("column.year", lang): _year_labels(frame, lang)}
    for reading in READINGS:
        columns[reading_label(reading, lang)] = [kt_text(v, lang, 3) for v in frame[READING_COLUMNS[reading]]]
    for column, key in (
        ("target_line", "emissions.target_line"),
        ("required_path", "emissions.required_path"),
        ("pace_path", "emissions.pace_path"),
    ):
        columns[i18n.t(key, lang)] = [kt_text(v, lang) for v in frame[column]]
    return pd.DataFrame(columns)


def sectors_table(sectors: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A row per year, a column per sector (kt)."""
    order = list(dict.fromkeys(sectors["sector"]))
    wide = sectors.pivot_table(index="year", columns="sector", values="kt", aggfunc="first").reindex(columns=order)
    preliminary = sectors.groupby("year")["is_preliminary"].any()
    table = {
        i18n.t("column.year", lang): _year_labels(
            pd.DataFrame({"year": wide.index, "is_preliminary": preliminary.reindex(wide.index).tolist()}), lang
        )
    }
    for sector in order:
        table[sector_name(sector, lang)] = [kt_text(v, lang, 3) for v in wide[sector]]
    return pd.DataFrame(table)


def per_resident_table(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    known = totals[totals["residents"].notna()]
    table = {
        i18n.t("column.year", lang): _year_labels(known, lang),
        i18n.t("emissions.residents", lang): [i18n.format_number(v, lang, 0) for v in known["residents"]],
    }
    for reading in READINGS:
        table[reading_label(reading, lang)] = [kt_text(v, lang, 2) for v in known[PER_RESIDENT_COLUMNS[reading]]]
    return pd.DataFrame(table)


def sectors_summary(sectors: pd.DataFrame, lang: str) -> str:
    """One sentence: the last year's largest sector and its share."""
    last = sectors[sectors["year"] == sectors["year"].max()]
    positive = last[last["kt"] > 0]
    if positive.empty:
        return i18n.t("emissions.no_figures", lang)
    top = positive.iloc[0]
    return i18n.t(
        "emissions.sectors_summary",
        lang,
        year=int(top["year"]),
        sector=sector_name(top["sector"], lang),
        value=kt_text(top["kt"], lang),
        share=i18n.format_percent(float(top["kt"]) / float(positive["kt"].sum()), lang),
    )


def per_resident_summary(totals: pd.DataFrame, lang: str) -> str:
    known = totals[totals["residents"].notna() & totals["hinku_t"].notna()]
    if known.empty:
        return i18n.t("emissions.population_unknown", lang)
    first, last = known.iloc[0], known.iloc[-1]
    return i18n.t(
        "emissions.per_resident_summary",
        lang,
        first_year=int(first["year"]),
        first=kt_text(first["hinku_t"], lang, 2),
        last_year=int(last["year"]),
        last=kt_text(last["hinku_t"], lang, 2),
        reading=reading_label("hinku", lang),
    )


# -- the board report --


@dataclass
class EmissionsReport:
    """What the board report shows of the emissions: a heading, the gap sentence, the
    target and the reading it follows (the figure's label), the source, and the table
    (headers and rows of text) behind the figure; ``series`` holds the numbers a chart
    needs (a dict a year: the readings in kt, ``actual`` (the reading the target follows),
    the target line and paths, and ``is_preliminary``)."""

    heading: str
    sentence: str
    target: str | None
    label: str
    source: str | None
    headers: list[str]
    rows: list[list[str]]
    series: list[dict] = field(default_factory=list)


def report_section(con: duckdb.DuckDBPyConnection, organisation_id: int, lang: str) -> EmissionsReport | None:
    """The board report's emissions section; None when the organisation has no SYKE figures."""
    totals = db.query(con, "emission_totals", organisation_id=organisation_id)
    if totals.empty:
        return None
    path = db.query(con, "emission_target_path", organisation_id=organisation_id, pace_years=PACE_YEARS)
    source = db.query(con, "emission_source", organisation_id=organisation_id, lang=lang)
    return report_section_of(totals, path, source, lang)


def report_section_of(
    totals: pd.DataFrame, path: pd.DataFrame, source: pd.DataFrame, lang: str
) -> EmissionsReport | None:
    """``report_section`` from what the queries emission_totals, emission_target_path (with
    PACE_YEARS) and emission_source returned, so the report can run them through its own
    (cached) runner; None when there are no figures."""
    if totals.empty:
        return None
    table = path_table(totals, path, lang)
    row = _summary(path)
    series = (
        path[["year", "actual", "target_line", "required_path", "pace_path"]]
        .merge(totals[["year", "is_preliminary", *READING_COLUMNS.values()]], on="year", how="left")
        .astype(object)
        .where(lambda f: f.notna(), None)
        .to_dict("records")
        if row is not None
        else totals[["year", "is_preliminary", *READING_COLUMNS.values()]]
        .astype(object)
        .where(lambda f: f.notna(), None)
        .to_dict("records")
    )
    return EmissionsReport(
        heading=i18n.t("emissions.heading", lang),
        sentence=gap_sentence(path, lang),
        target=target_label(path, lang),
        label=reading_label(row["reading"] if row is not None else "hinku", lang),
        source=source_text(source.iloc[0], lang) if not source.empty else None,
        headers=list(table.columns),
        rows=table.values.tolist(),
        series=series,
    )


def source_text(source: pd.Series, lang: str, *, with_file: bool = False) -> str:
    """ "Source: SYKE, ALas 1.7. 2023 is a preliminary figure." (and the file and day with ``with_file``)."""
    key = "emissions.source_illustrative" if source["is_illustrative"] else "emissions.source"
    text = i18n.t(key, lang, model=source["model_version"] or "ALas")
    if with_file:
        text += " " + i18n.t(
            "emissions.source_file", lang, file=source["file_name"], day=i18n.format_date(source["imported_at"], lang)
        )
    preliminary = [y for y in str(source["preliminary_years"] or "").split(",") if y]
    if preliminary:
        text += " " + i18n.t("emissions.preliminary_years", lang, years=", ".join(preliminary))
    return text
