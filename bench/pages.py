"""The pages of dashboard.py timed headless with AppTest, and the two scripts they
are measured against: the floor (what Streamlit itself costs to draw as much)
and the baseline (the overview's numbers the common Streamlit way, in pandas)."""

from __future__ import annotations

from pathlib import Path

from bench.timing import median_ms, timed
from tracker import db
from tracker.auth import SYSTEM, Caller

ROOT = db.ROOT


def dashboard_pages() -> list[tuple[str, str]]:
    """(page file, least role) of every page in the registry (ui.pages)."""
    from ui.pages import PAGES

    return [(page.file, page.least_role) for page in PAGES]


def new_app(script: Path, params: dict, role: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=600)
    for key, value in params.items():
        at.query_params[key] = str(value)
    if role != "anonymous":
        at.session_state["app_caller"] = Caller(role=role, email=f"bench-{role}@example.invalid")
    return at


def element_counts(at) -> dict:
    return {
        "plotly_charts": len(at.get("plotly_chart")),
        "tables": len(at.dataframe) + len(at.table),
        "markdown": len(at.markdown),
        "markdown_chars": sum(len(str(m.value)) for m in at.markdown),
        "exception": [str(e.value)[:300] for e in at.exception] or None,
    }


def bump_data_version(con) -> None:
    """A real write (a setting set to its current value) so every cached query goes cold."""
    from tracker import settings, write

    write.settings.set_setting(con, SYSTEM, "stale_days", str(settings.get(con, "stale_days")))


def time_page(con, page: str, role: str, url_params: dict, repeats: int) -> dict:
    cold, warm = [], []
    counts: dict = {}
    for _ in range(repeats):
        at = new_app(ROOT / "dashboard.py", url_params, role)
        at.run()
        bump_data_version(con)
        at.switch_page(page)
        cold.append(timed(at.run))
        warm.append(timed(at.run))
        counts = element_counts(at)
    return {"cold_ms": median_ms(cold), "warm_ms": median_ms(warm), **counts}


FLOOR_SCRIPT = '''"""The floor: as many Plotly charts, tables and markdown blocks as the overview, constant data."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

CHARTS = {charts}
TABLES = {tables}
ROWS = {rows}
MARKDOWN = {markdown}
TEXT = "x" * {markdown_chars}
st.set_page_config(page_title="floor", layout="wide")
st.title("Floor")
themes = [f"Teema {{i}}" for i in range(8)]
table = pd.DataFrame({{"code": [f"{{i // 20}}.{{i % 20}}" for i in range(ROWS)],
    "title": [f"Toimenpide {{i}}" for i in range(ROWS)], "status": [("done", "late")[i % 2] for i in range(ROWS)],
    "progress": [i % 101 for i in range(ROWS)]}})
for i in range(MARKDOWN):
    st.markdown(TEXT)
for i in range(CHARTS):
    figure = go.Figure([go.Bar(name=s, y=themes, x=[(i + j + k) % 7 for k in range(8)], orientation="h")
        for j, s in enumerate(["done", "in_progress", "late", "not_started"])])
    figure.update_layout(barmode="stack", height=320)
    st.plotly_chart(figure, key=f"chart{{i}}")
for i in range(TABLES):
    st.dataframe(table, key=f"table{{i}}", hide_index=True)
'''

BASELINE_SCRIPT = '''"""The baseline: the overview's numbers the common Streamlit way -- whole tables
loaded once into pandas (st.cache_data) and filtered and aggregated in pandas."""
import os
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from tracker import db

PROGRAMME_ID = {programme_id}
CHARTS = {charts}
TABLES = {tables}


@st.cache_resource
def connection():
    return db.connect(os.environ["TRACKER_DB"])  # the file or the lake the pages are timed on


@st.cache_data
def table(name):
    return connection().cursor().execute(f"SELECT * FROM {{name}}").df()


st.set_page_config(page_title="baseline", layout="wide")
measures, themes, events = table("measures"), table("themes"), table("status_events")
budget, centres = table("budget_lines"), table("cost_centres")
programmes, values, indicators = table("programmes"), table("indicator_values"), table("indicators")
today = pd.Timestamp(date.today())

mine = measures[(measures["programme_id"] == PROGRAMME_ID) & measures["is_published"] & measures["archived_at"].isna()]
st.title(programmes.loc[programmes["id"] == PROGRAMME_ID, "name"].iloc[0])
st.subheader(f"{{(mine['status'] == 'done').sum()}} / {{len(mine)}}")
by_status = mine.groupby("status").size()
by_theme = mine.merge(themes, left_on="theme_id", right_on="id").groupby(["position", "name_fi", "status"]).size()
late = mine[(mine["status"] == "late") | ((mine["end_date"] < today) & ~mine["status"].isin(["done", "cancelled"]))]
stale = mine[(mine["updated_at"] < today - timedelta(days=180)) & ~mine["status"].isin(["done", "cancelled"])]
mine_events = events[events["measure_id"].isin(mine["id"])]
over_time = mine_events.assign(year=mine_events["occurred_at"].dt.year).groupby(["year", "new_status"]).size()
mine_budget = budget[budget["measure_id"].isin(mine["id"])].astype({{"planned_eur": float, "actual_eur": float}})
money_year = mine_budget.groupby("year")[["planned_eur", "actual_eur"]].sum()
money_centre = mine_budget.merge(centres, left_on="cost_centre_id", right_on="id").groupby("code")[
    ["planned_eur", "actual_eur"]].sum()
organisation = programmes.loc[programmes["id"] == PROGRAMME_ID, "organisation_id"].iloc[0]
indicator_ids = indicators.loc[indicators["organisation_id"] == organisation, "id"]
emissions = values[values["indicator_id"].isin(indicator_ids)].astype({{"value": float}}).groupby("year")["value"].sum()

frames = [by_theme.reset_index(name="n"), over_time.reset_index(name="n"), money_year.reset_index(),
    money_centre.reset_index(), emissions.reset_index(), by_status.reset_index(name="n")]
for i in range(CHARTS):
    frame = frames[i % len(frames)]
    st.plotly_chart(go.Figure(go.Bar(x=frame.iloc[:, 0].astype(str), y=frame.iloc[:, -1])), key=f"chart{{i}}")
columns = ["code", "title_fi", "status"]
tables = [late[columns], stale[columns], mine[columns]]
for i in range(TABLES):
    st.dataframe(tables[i % len(tables)], key=f"table{{i}}", hide_index=True)
'''


def time_script(script: Path, repeats: int, *, clear_cache: bool) -> dict:
    """Cold (caches cleared first, if ``clear_cache``) and warm runs of a bare script."""
    import streamlit as st

    cold, warm = [], []
    counts: dict = {}
    for _ in range(repeats):
        # as for the pages: a first untimed run, then the timed cold and warm runs
        at = new_app(script, {}, "anonymous")
        at.run()
        if clear_cache:
            st.cache_data.clear()
        cold.append(timed(at.run))
        warm.append(timed(at.run))
        counts = element_counts(at)
    return {"cold_ms": median_ms(cold), "warm_ms": median_ms(warm), **counts}


def time_floor_and_baseline(directory: Path, overview: dict, programme_id: int, repeats: int) -> dict:
    """The floor and the baseline scripts, drawn to the overview's measure (its charts,
    tables and markdown volume), written to ``directory`` and timed."""
    charts = overview.get("plotly_charts", 0)
    tables = overview.get("tables", 0)
    floor_script = directory / "floor_page.py"
    # the same markdown volume too: the overview draws its lists as HTML markdown
    markdown = overview.get("markdown", 0)
    markdown_chars = overview.get("markdown_chars", 0) // max(1, markdown)
    floor_script.write_text(
        FLOOR_SCRIPT.format(charts=charts, tables=tables, rows=200, markdown=markdown, markdown_chars=markdown_chars),
        encoding="utf-8",
    )
    baseline_script = directory / "baseline_page.py"
    baseline_script.write_text(
        BASELINE_SCRIPT.format(programme_id=programme_id, charts=charts, tables=tables), encoding="utf-8"
    )
    return {
        "floor": time_script(floor_script, repeats, clear_cache=False),
        "baseline": time_script(baseline_script, repeats, clear_cache=True),
    }
