"""The benchmark: ``python -m tracker bench [--municipalities N] [--json OUT]``.

In one process: builds (or reuses) a synthetic database, then times

- every page of dashboard.py headless with AppTest, cold (first run after a
  write bumped the data version) and warm (the run after), medians;
- the floor: a bare script drawing as many Plotly charts and tables as the
  overview, from constant data (what Streamlit itself costs);
- the baseline: the overview's numbers the common Streamlit way (whole
  tables cached as pandas frames, filtered and aggregated in pandas);
- every ``queries/*.sql`` with a plausible parameter set;
- a 10 000-row import (tracker.spreadsheet.importer.import_path), a status update
  through tracker.write.measures.update_measure, the public view in a browser
  (when a timing hook exists), and the peak RSS of the process.

No Streamlit import at module level: the CLI imports this lazily, and the
page runs go through streamlit.testing.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from tracker import db
from tracker.auth import SYSTEM, Caller

ROOT = db.ROOT
BENCH_DIR = ROOT / "bench"
IMPORT_ROWS = 10_000
BENCH_EDITOR = Caller(role="admin", email="bench@example.invalid")
# Overview targets of issue 8 at N=300 (and N=2 500 for the warm overview).
TARGETS = {
    "overview_warm_vs_floor": 1.5,
    "overview_cold_vs_floor": 3.0,
    "query_median_ms": 100.0,
    "peak_rss_mb": 1024.0,
    "import_rows_per_s": 5000.0,
    "status_update_ms": 50.0,
    "overview_warm_ms_at_2500": 1000.0,
}


# -- machine ---------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for name in ("streamlit", "duckdb", "pandas", "plotly", "pyarrow", "numpy"):
        try:
            versions[name] = importlib.import_module(name).__version__
        except ImportError:
            versions[name] = None
    return {
        "nproc": os.cpu_count(),
        "memory_gb": memory_gb,
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# -- data --------------------------------------------------------------------


def prepare_database(directory: Path, municipalities: int, seed: int) -> tuple[Path, dict]:
    """The synthetic database for N and seed in ``directory``, built once and reused."""
    path = directory / f"bench-{municipalities}-seed{seed}.duckdb"
    info: dict = {"path": str(path), "municipalities": municipalities, "seed": seed}
    if path.exists():
        con = db.connect(path)
        if con.execute("SELECT count(*) FROM organisations").fetchone()[0] == municipalities:
            info["reused"] = True
        else:
            con.close()
            path.unlink()
    if not path.exists():
        # in a child process, so the peak RSS measured here is the app's, not the generator's
        started = time.perf_counter()
        command = [sys.executable, "-m", "tracker", "--db", str(path), "synth", "--seed", str(seed)]
        subprocess.run(
            [*command, "--municipalities", str(municipalities)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        info["reused"] = False
        info["synth_seconds"] = round(time.perf_counter() - started, 2)
        con = db.connect(path)
    con.execute("CHECKPOINT")
    for table in ("organisations", "measures", "status_events", "budget_lines", "decisions"):
        info[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    con.close()
    info["file_mb"] = round(path.stat().st_size / 1024 / 1024, 1)
    return path, info


def sample_parameters(con) -> dict:
    """Plausible values for every $parameter a query may name: the largest programme,
    its measure with the most events, today, Finnish, everything included."""
    programme_id, organisation = con.execute(
        "SELECT p.id, o.name FROM programmes p JOIN organisations o ON o.id = p.organisation_id"
        " JOIN measures m ON m.programme_id = p.id GROUP BY ALL ORDER BY count(*) DESC, p.id LIMIT 1"
    ).fetchone()
    measure_id, code, theme_id = con.execute(
        "SELECT m.id, m.code, m.theme_id FROM measures m JOIN status_events e ON e.measure_id = m.id"
        " WHERE m.programme_id = ? GROUP BY ALL ORDER BY count(*) DESC, m.id LIMIT 1",
        [programme_id],
    ).fetchone()
    decision_id = con.execute("SELECT coalesce(min(decision_id), 0) FROM measure_decisions").fetchone()[0]
    indicator_id = con.execute("SELECT coalesce(min(id), 0) FROM indicators").fetchone()[0]
    organisation_id = con.execute("SELECT organisation_id FROM programmes WHERE id = ?", [programme_id]).fetchone()[0]
    return {
        "programme_id": programme_id,
        "organisation_id": organisation_id,
        "measure_id": measure_id,
        "decision_id": decision_id,
        "indicator_id": indicator_id,
        "theme_id": theme_id,
        "code": code,
        "lang": "fi",
        "today": date.today(),
        "search": organisation[:4].lower(),
        "limit": 25,
        "offset": 0,
        "year": date.today().year - 1,
        "stale_days": 180,
        "fresh_days": 30,
        "acceptable_days": 60,
        "upcoming_days": 90,
        "days": 180,
        "organisation": organisation,
        # the measures list with its filters empty: the common, widest case
        "themes": [],
        "statuses": [],
        "units": [],
        "stale_only": False,
        "year_from": None,
        "year_to": None,
        "theme_position": None,
        # the audit log unfiltered: every person, up to now
        "actor": None,
        "date_from": None,
        "date_to": None,
        "now": datetime.now(),
    }


def _guess(name: str, known: dict):
    """A value for a parameter not in ``known``, from its name; None when there is no guess."""
    if name in known:
        return known[name]
    if name.startswith(("include_", "only_", "is_", "show_")):
        return True
    if name.endswith("_id"):
        return known["programme_id"]
    if name.endswith("_days"):
        return 180
    if name.endswith(("_date", "_on", "_from", "_until", "_since")) or name in ("since", "until", "start", "end"):
        return known["today"]
    if name.endswith("_year") or name in ("year_from", "year_to"):
        return known["year"]
    if name.endswith(("_limit", "_size")):
        return 25
    if name in ("status", "new_status"):
        return "late"
    if name in ("q", "query", "text", "term"):
        return known["search"]
    return None


# -- queries -----------------------------------------------------------------


def time_queries(con, params: dict, repeats: int) -> dict:
    results = {}
    for name in db.query_names():
        sql = db.query_sql(name)
        wanted = sorted(set(re.findall(r"\$([a-z_]+)", sql)))
        values = {key: _guess(key, params) for key in wanted}
        missing = [key for key, value in values.items() if value is None and key not in params]
        if missing:
            results[name] = {"skipped": "no value for " + ", ".join(f"${key}" for key in missing)}
            continue
        try:
            rows = len(db.query(con, name, **values))  # the first run compiles; not counted
            samples = [_timed(lambda n=name, v=values: db.query(con, n, **v)) for _ in range(repeats)]
        except Exception as exc:  # a query the sample parameters do not suit: report, keep going
            results[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        results[name] = {"median_ms": _median_ms(samples), "max_ms": round(max(samples) * 1000, 2), "rows": rows}
    return results


# -- pages -------------------------------------------------------------------


def dashboard_pages() -> list[tuple[str, str]]:
    """(page file, least role) of every page in the registry (ui.pages)."""
    from ui.pages import PAGES

    return [(page.file, page.least_role) for page in PAGES]


def _new_app(script: Path, params: dict, role: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=600)
    for key, value in params.items():
        at.query_params[key] = str(value)
    if role != "anonymous":
        at.session_state["app_caller"] = Caller(role=role, email=f"bench-{role}@example.invalid")
    return at


def _element_counts(at) -> dict:
    return {
        "plotly_charts": len(at.get("plotly_chart")),
        "tables": len(at.dataframe) + len(at.table),
        "markdown": len(at.markdown),
        "markdown_chars": sum(len(str(m.value)) for m in at.markdown),
        "exception": [str(e.value)[:300] for e in at.exception] or None,
    }


def bump_data_version(con) -> None:
    """A real write (a setting set to its current value) so every cached query goes cold."""
    from tracker import settings

    settings.set_setting(con, SYSTEM, "stale_days", str(settings.get(con, "stale_days")))


def time_page(con, page: str, role: str, url_params: dict, repeats: int) -> dict:
    cold, warm = [], []
    counts: dict = {}
    for _ in range(repeats):
        at = _new_app(ROOT / "dashboard.py", url_params, role)
        at.run()
        bump_data_version(con)
        at.switch_page(page)
        cold.append(_timed(at.run))
        warm.append(_timed(at.run))
        counts = _element_counts(at)
    return {"cold_ms": _median_ms(cold), "warm_ms": _median_ms(warm), **counts}


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

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

PROGRAMME_ID = {programme_id}
CHARTS = {charts}
TABLES = {tables}


@st.cache_resource
def connection():
    return duckdb.connect(os.environ["TRACKER_DB"])


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
        at = _new_app(script, {}, "anonymous")
        at.run()
        if clear_cache:
            st.cache_data.clear()
        cold.append(_timed(at.run))
        warm.append(_timed(at.run))
        counts = _element_counts(at)
    return {"cold_ms": _median_ms(cold), "warm_ms": _median_ms(warm), **counts}


# -- writes --------------------------------------------------------------------


def time_status_update(con, measure_id: int, repeats: int) -> dict:
    from tracker import write

    samples = []
    version = con.execute("SELECT version FROM measures WHERE id = ?", [measure_id]).fetchone()[0]
    for index in range(max(repeats, 10)):
        status = ("in_progress", "late")[index % 2]
        samples.append(
            _timed(
                lambda v=version, s=status, i=index: write.measures.update_measure(
                    con, BENCH_EDITOR, measure_id, expected_version=v, status=s, progress=i % 100, note="bench"
                )
            )
        )
        version += 1
    return {"median_ms": _median_ms(samples), "max_ms": round(max(samples) * 1000, 2), "runs": len(samples)}


def time_import(con, workdir: Path) -> dict:
    """Import a generated 10 000-row spreadsheet (5 000 measures x 2 budget years)
    into a new programme of a new organisation, as ``python -m tracker import`` does."""
    from tracker.spreadsheet import importer

    csv_path = workdir / "bench-import.csv"
    rows = importer.write_sample_file(csv_path, measures=IMPORT_ROWS // 2, years=2)
    programme = f"Benchmark import {time.time_ns()}"
    started = time.perf_counter()
    code, report = importer.import_path(con, csv_path, programme, caller=BENCH_EDITOR, organisation=programme)
    seconds = time.perf_counter() - started
    if code != 0:
        return {"error": f"the import refused the generated file: {report['errors'][:3]}"}
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)}


def time_public_view(db_path: Path, programme_id: int) -> dict:
    """The public view in a real browser (bench.browser_speed), or why it could not be timed."""
    from bench.browser_speed import public_view_speed

    try:
        return dict(public_view_speed(db_path, query=f"embed=true&lang=fi&programme={programme_id}"))
    except Exception as exc:  # e.g. no browser on this machine
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


# -- the run -------------------------------------------------------------------


def run(municipalities: int = 300, *, seed: int = 1, repeats: int = 5, workdir: str | None = None) -> dict:
    directory = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "repeats": repeats}
    path, results["data"] = prepare_database(directory, municipalities, seed)
    previous_db = os.environ.get("TRACKER_DB")
    os.environ["TRACKER_DB"] = str(path)
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    con = db.connect(path)
    try:
        params = sample_parameters(con)
        results["parameters"] = {k: str(v) for k, v in params.items()}
        url = {"programme": params["programme_id"], "code": params["code"], "lang": "fi"}

        # one untimed run imports plotly, pandas, the pages: not a cost any later run pays
        warmup = _new_app(ROOT / "dashboard.py", url, "anonymous")
        warmup.run()

        results["pages"] = {
            page: time_page(con, page, role, url, repeats) for page, role in dashboard_pages() if (ROOT / page).exists()
        }
        results["queries"] = time_queries(con, params, repeats)
        results["import"] = time_import(con, directory)
        results["status_update"] = time_status_update(con, params["measure_id"], repeats)
        # The browser's app server is another process, and DuckDB lets one process at a
        # time open a database file: it gets a checkpointed copy.
        con.execute("CHECKPOINT")
        public_copy = directory / "public-view.duckdb"
        shutil.copyfile(path, public_copy)
        results["public_view"] = time_public_view(public_copy, params["programme_id"])
        # the app's own peak, before the baseline loads whole tables into pandas
        results["peak_rss_mb"] = peak_rss_mb()
        overview = results["pages"].get("app_pages/overview.py", {})
        charts = overview.get("plotly_charts", 0)
        tables = overview.get("tables", 0)
        floor_script = directory / "floor_page.py"
        # the same markdown volume too: the overview draws its lists as HTML markdown
        markdown = overview.get("markdown", 0)
        markdown_chars = overview.get("markdown_chars", 0) // max(1, markdown)
        floor_script.write_text(
            FLOOR_SCRIPT.format(
                charts=charts, tables=tables, rows=200, markdown=markdown, markdown_chars=markdown_chars
            ),
            encoding="utf-8",
        )
        results["floor"] = time_script(floor_script, repeats, clear_cache=False)
        baseline_script = directory / "baseline_page.py"
        baseline_script.write_text(
            BASELINE_SCRIPT.format(programme_id=params["programme_id"], charts=charts, tables=tables),
            encoding="utf-8",
        )
        results["baseline"] = time_script(baseline_script, repeats, clear_cache=True)
    finally:
        con.close()
        st.cache_resource.clear()
        st.cache_data.clear()
        if previous_db is None:
            os.environ.pop("TRACKER_DB", None)
        else:
            os.environ["TRACKER_DB"] = previous_db
    results["peak_rss_mb_with_baseline"] = peak_rss_mb()
    results["targets"] = check_targets(results)
    return results


def check_targets(results: dict) -> dict:
    """Each target of the issue with the measured number and whether it is met (None: not measured)."""
    overview = results["pages"].get("app_pages/overview.py")
    floor = results["floor"]
    baseline = results["baseline"]
    query_times = [q["median_ms"] for q in results["queries"].values() if "median_ms" in q]
    checks: dict = {}
    if overview:
        warm_ratio = overview["warm_ms"] / floor["warm_ms"]
        cold_ratio = overview["cold_ms"] / floor["warm_ms"]
        checks["overview_warm_vs_floor"] = {"value": round(warm_ratio, 2), "target": "<= 1.5", "met": warm_ratio <= 1.5}
        checks["overview_cold_vs_floor"] = {"value": round(cold_ratio, 2), "target": "<= 3", "met": cold_ratio <= 3}
        checks["overview_vs_baseline_warm"] = {
            "value": [overview["warm_ms"], baseline["warm_ms"]],
            "target": "overview faster",
            "met": overview["warm_ms"] < baseline["warm_ms"],
        }
        checks["overview_vs_baseline_cold"] = {
            "value": [overview["cold_ms"], baseline["cold_ms"]],
            "target": "overview faster",
            "met": overview["cold_ms"] < baseline["cold_ms"],
        }
        checks["overview_warm_ms_under_1s"] = {
            "value": overview["warm_ms"],
            "target": "< 1000 ms (N=2 500)",
            "met": overview["warm_ms"] < 1000,
        }
    if query_times:
        slowest = max(query_times)
        checks["slowest_query_median_ms"] = {"value": slowest, "target": "< 100", "met": slowest < 100}
    checks["peak_rss_mb"] = {"value": results["peak_rss_mb"], "target": "< 1024", "met": results["peak_rss_mb"] < 1024}
    rate = results["import"].get("rows_per_s")
    checks["import_rows_per_s"] = {"value": rate, "target": ">= 5000", "met": None if rate is None else rate >= 5000}
    update = results["status_update"]["median_ms"]
    checks["status_update_ms"] = {"value": update, "target": "< 50", "met": update < 50}
    return checks


def format_table(results: dict) -> str:
    lines = []
    data = results["data"]
    m = results["machine"]
    lines.append(
        f"N={data['municipalities']}: {data['measures']} measures, {data['status_events']} events,"
        f" {data['budget_lines']} budget lines; {data['file_mb']} MB"
        + (f"; synth {data['synth_seconds']} s" if "synth_seconds" in data else " (reused)")
    )
    lines.append(f"{m['nproc']} CPU ({m['cpu']}), {m['memory_gb']} GB; repeats {results['repeats']}")
    lines.append("")
    lines.append(f"{'script':<34} {'cold ms':>10} {'warm ms':>10} {'charts':>7} {'tables':>7}")
    rows = [(page, r) for page, r in results["pages"].items()]
    rows += [("floor (bare script)", results["floor"]), ("baseline (pandas way)", results["baseline"])]
    for name, r in rows:
        lines.append(f"{name:<34} {r['cold_ms']:>10.1f} {r['warm_ms']:>10.1f} {r['plotly_charts']:>7} {r['tables']:>7}")
        if r.get("exception"):
            lines.append(f"    exception: {r['exception']}")
    lines.append("")
    lines.append(f"{'query':<34} {'median ms':>10} {'max ms':>10} {'rows':>7}")
    for name, r in results["queries"].items():
        if "median_ms" in r:
            lines.append(f"{name:<34} {r['median_ms']:>10.2f} {r['max_ms']:>10.2f} {r['rows']:>7}")
        else:
            lines.append(f"{name:<34} {r.get('skipped') or r.get('error')}")
    lines.append("")
    imp = results["import"]
    lines.append("import: " + (f"{imp['rows_per_s']} rows/s ({imp['rows']} rows)" if "rows_per_s" in imp else str(imp)))
    lines.append(f"status update: {results['status_update']['median_ms']} ms median")
    lines.append(f"public view (browser): {results['public_view']}")
    lines.append(
        f"peak RSS: {results['peak_rss_mb']} MB (app); {results['peak_rss_mb_with_baseline']} MB after the baseline"
    )
    lines.append("")
    lines.append("targets:")
    for name, check in results["targets"].items():
        verdict = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        lines.append(f"  {name:<32} {check['value']!s:>22}  target {check['target']:<20} {verdict}")
    return "\n".join(lines)


def main(args) -> int:
    results = run(args.municipalities, seed=args.seed, repeats=args.repeats, workdir=args.workdir)
    print(format_table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0
