"""The benchmark: ``python -m tracker bench [--municipalities N] [--json OUT]``.

In one process: builds (or reuses) a synthetic database (bench/data.py), then times

- every page of dashboard.py headless with AppTest, cold (first run after a
  write bumped the data version) and warm (the run after), medians;
- the floor: a bare script drawing as many Plotly charts and tables as the
  overview, from constant data (what Streamlit itself costs);
- the baseline: the overview's numbers the common Streamlit way (whole
  tables cached as pandas frames, filtered and aggregated in pandas)
  (those three: bench/pages.py);
- every ``queries/*.sql`` with a parameter set for the largest programme (bench/queries.py);
- a 10 000-row import (tracker.spreadsheet.importer.import_path), a status update
  through tracker.write.measures.update_measure, the public view in a browser
  (bench/writes.py, bench/browser_speed.py), and the peak RSS of the process.

``--db ducklake:postgres:...`` runs it on that lake too (filled once with a
copy of the same synthetic data, ``python -m tracker copy``), after the
embedded file, and prints the two side by side with the lake's targets.

No Streamlit import at module level: the CLI imports this lazily, and the
page runs go through streamlit.testing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from bench.data import prepare_database, prepare_lake, sample_parameters
from bench.pages import dashboard_pages, new_app, time_floor_and_baseline, time_page
from bench.queries import time_queries
from bench.timing import machine, peak_rss_mb
from bench.writes import time_import, time_public_view, time_status_update
from tracker import db

ROOT = db.ROOT


def run(
    municipalities: int = 300, *, seed: int = 1, repeats: int = 5, workdir: str | None = None, lake: str | None = None
) -> dict:
    """The benchmark on the synthetic file, or with ``lake`` on that lake (holding the same data)."""
    directory = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "repeats": repeats, "engine": "lake" if lake else "embedded"}
    path, results["data"] = prepare_database(directory, municipalities, seed)
    if lake:
        path = lake
        results["data"]["lake"] = prepare_lake(lake, Path(results["data"]["path"]), municipalities)
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
        warmup = new_app(ROOT / "dashboard.py", url, "anonymous")
        warmup.run()

        results["pages"] = {
            page: time_page(con, page, role, url, repeats) for page, role in dashboard_pages() if (ROOT / page).exists()
        }
        results["queries"] = time_queries(con, params, repeats)
        results["import"] = time_import(con, directory)
        results["status_update"] = time_status_update(con, params["measure_id"], repeats)
        if lake:  # another process may open a lake while this one has it open
            results["public_view"] = time_public_view(lake, params["programme_id"])
        else:
            # The browser's app server is another process, and DuckDB lets one process at a
            # time open a database file: it gets a checkpointed copy.
            con.execute("CHECKPOINT")
            public_copy = directory / "public-view.duckdb"
            shutil.copyfile(path, public_copy)
            results["public_view"] = time_public_view(public_copy, params["programme_id"])
        # the app's own peak, before the baseline loads whole tables into pandas
        results["peak_rss_mb"] = peak_rss_mb()
        overview = results["pages"].get("app_pages/overview.py", {})
        results.update(time_floor_and_baseline(directory, overview, params["programme_id"], repeats))
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
    lines += format_targets("targets:", results["targets"], name_width=32, value_width=22, target_width=20)
    return "\n".join(lines)


def format_targets(title: str, checks: dict, name_width: int, value_width: int, target_width: int) -> list[str]:
    """``title`` and a line per target: its name, the measured value, the target and whether it is met."""
    lines = [title]
    for name, check in checks.items():
        verdict = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        value, target = check["value"], check["target"]
        lines.append(f"  {name:<{name_width}} {value!s:>{value_width}}  target {target:<{target_width}} {verdict}")
    return lines


def check_lake_targets(embedded: dict, lake: dict) -> dict:
    """The lake's targets (issue 13), each with the measured number and whether it is met."""
    checks: dict = {}
    page_queries = [q["median_ms"] for name, q in lake["queries"].items() if "median_ms" in q and name != "orphan_rows"]
    if page_queries:
        slowest = max(page_queries)
        checks["lake_slowest_page_query_median_ms"] = {"value": slowest, "target": "< 150", "met": slowest < 150}
    overview = "app_pages/overview.py"
    if overview in lake["pages"] and overview in embedded["pages"]:
        ratio = lake["pages"][overview]["warm_ms"] / embedded["pages"][overview]["warm_ms"]
        checks["lake_overview_warm_vs_embedded"] = {"value": round(ratio, 2), "target": "<= 1.5", "met": ratio <= 1.5}
    update = lake["status_update"]["median_ms"]
    checks["lake_status_update_ms"] = {"value": update, "target": "< 100", "met": update < 100}
    rate = lake["import"].get("rows_per_s")
    met = None if rate is None else rate >= 2000
    checks["lake_import_rows_per_s"] = {"value": rate, "target": ">= 2000", "met": met}
    return checks


def format_side_by_side(embedded: dict, lake: dict) -> str:
    """One table: every page, query, write and the browser's view on the file and on the lake."""
    lines = [f"{'':<40} {'embedded':>12} {'lake':>12} {'lake/emb':>9}"]

    def row(name: str, a, b) -> None:
        ratio = f"{b / a:>9.2f}" if isinstance(a, int | float) and isinstance(b, int | float) and a else f"{'':>9}"
        shown = [f"{v:>12.1f}" if isinstance(v, int | float) else f"{v!s:>12}" for v in (a, b)]
        lines.append(f"{name:<40} {shown[0]} {shown[1]} {ratio}")

    for page in embedded["pages"]:
        for kind in ("cold_ms", "warm_ms"):
            row(f"{page.removeprefix('app_pages/')} {kind}", embedded["pages"][page][kind], lake["pages"][page][kind])
    for name in embedded["queries"]:
        row(f"query {name}", embedded["queries"][name].get("median_ms"), lake["queries"][name].get("median_ms"))
    row("import rows/s", embedded["import"].get("rows_per_s"), lake["import"].get("rows_per_s"))
    row("status update ms", embedded["status_update"]["median_ms"], lake["status_update"]["median_ms"])
    row("public view in browser ms", embedded["public_view"].get("public_ms"), lake["public_view"].get("public_ms"))
    lines.append("")
    lines += format_targets("lake targets:", lake["lake_targets"], name_width=36, value_width=10, target_width=10)
    return "\n".join(lines)


def main(args) -> int:
    lake = args.db if args.db and db.is_lake(args.db) else None
    options = {"seed": args.seed, "repeats": args.repeats, "workdir": args.workdir}
    results = run(args.municipalities, **options)
    print(format_table(results))
    if lake:
        results = {"embedded": results, "lake": run(args.municipalities, lake=lake, **options)}
        results["lake"]["lake_targets"] = check_lake_targets(results["embedded"], results["lake"])
        print("\n-- on the lake --\n" + format_table(results["lake"]))
        print("\n-- side by side --\n" + format_side_by_side(results["embedded"], results["lake"]))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0
