"""Writes and the browser: a status update, a 10 000-row import and the public view."""

from __future__ import annotations

import time
from pathlib import Path

from bench.timing import median_ms, timed
from tracker.auth import Caller

IMPORT_ROWS = 10_000
BENCH_EDITOR = Caller(role="admin", email="bench@example.invalid")


def time_status_update(con, measure_id: int, repeats: int) -> dict:
    from tracker import write

    samples = []
    version = con.execute("SELECT version FROM measures WHERE id = ?", [measure_id]).fetchone()[0]
    for index in range(max(repeats, 10)):
        status = ("in_progress", "late")[index % 2]
        samples.append(
            timed(
                lambda v=version, s=status, i=index: write.measures.update_measure(
                    con, BENCH_EDITOR, measure_id, expected_version=v, status=s, progress=i % 100, note="bench"
                )
            )
        )
        version += 1
    return {"median_ms": median_ms(samples), "max_ms": round(max(samples) * 1000, 2), "runs": len(samples)}


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
