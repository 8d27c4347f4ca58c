"""Availability (issue 17): the spreadsheet import has limits it checks before
the work they bound. A zip bomb is refused from its declared sizes, rows and
columns are capped while they stream in, files over the size limit are
refused before they are read, in the page and in the CLI alike, with memory
bounded; and the error list is capped ("and 49 900 more errors of the same
kind") instead of growing with the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest

from tests import hostile_files
from tests.conftest import ROOT
from tests.spreadsheet_files import HEADER_FI, csv_bytes, measure_row
from tracker import db
from tracker.spreadsheet import importer, read

# The CLI's own footprint (Python, DuckDB, pandas, openpyxl) is about 150 MB; the
# probe saw 2.4 GB for a 52 MB CSV and 3.75 GB for a 1 000 000-row workbook.
RSS_LIMIT_MB = 450
# a command on a lake also loads the ducklake and postgres extensions (about 20 MB more than a file)
LAKE_EXTRA_MB = 60


def run_cli(db_path, path, *extra) -> tuple[int, dict, int]:
    """(exit code, JSON report, peak resident memory in MB) of ``python -m tracker import``."""
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak_kb"
        arguments = ["--db", str(db_path), "import", str(path), "--programme", "P", "--json", *extra]
        finished = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "peak_memory.py"), str(peak_file), *arguments],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=300,
        )
        peak_mb = int(peak_file.read_text()) // 1024
    return finished.returncode, json.loads(finished.stdout), peak_mb


def rss_limit(db_path) -> int:
    return RSS_LIMIT_MB + (LAKE_EXTRA_MB if db.is_lake(str(db_path)) else 0)


def messages(report: dict) -> list[str]:
    return [problem["message"] for problem in report["errors"]]


# ---------------------------------------------------------------- zip bombs


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_it_expands():
    bomb = hostile_files.zip_bomb_xlsx(expanded_mb=400)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(importer.UnusableFile) as refused:
            importer.read_table(bomb, "pommi.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.key == "import.file.xlsx_too_large"
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB held to refuse a 2 MB file"
    assert time.perf_counter() - started < 10  # the probe's took 42 s; this one is refused unread


def test_the_zip_bomb_is_refused_on_the_page_with_a_clear_message(demo_db_path):
    from tests.test_import_page import page, upload

    at = upload(page(), hostile_files.zip_bomb_xlsx(expanded_mb=300), "pommi.xlsx")
    assert at.error[0].value.startswith("Excel-tiedosto purkautuisi liian suureksi")


def test_a_workbook_within_its_declared_sizes_still_imports(con):
    rows = [["1.1", "Energia", "A", None, None, "Valmis"]]
    assert importer.validate(importer.read_table(hostile_files.xlsx_with_sheet([]), "t.xlsx")).empty
    plan = importer.validate(importer.read_table(importer_xlsx(rows), "t.xlsx"))
    assert plan.ok and list(plan.measures) == ["1.1"]


def importer_xlsx(rows):
    from tests.spreadsheet_files import xlsx_bytes

    return xlsx_bytes(rows)


# ---------------------------------------------------------------- rows, columns, size


def test_a_million_row_workbook_is_refused_by_the_cli_with_bounded_memory(empty_db_path, tmp_path):
    path = tmp_path / "miljoona.xlsx"
    path.write_bytes(hostile_files.many_rows_xlsx(1_000_000))
    code, report, rss = run_cli(empty_db_path, path)
    assert code == 2 and report["written"] is False
    size = f"{path.stat().st_size / 1024 / 1024:.1f}".replace(".", ",")
    assert messages(report) == [f"Tiedosto on liian suuri ({size} Mt). Suurin sallittu koko on 20 Mt."]
    assert rss < rss_limit(empty_db_path), f"{rss} MB"


def test_rows_beyond_the_limit_are_refused_while_streaming_with_bounded_memory(empty_db_path, tmp_path):
    path = tmp_path / "rivit.xlsx"
    path.write_bytes(hostile_files.many_rows_xlsx(300_000))
    assert path.stat().st_size < read.MAX_FILE_BYTES
    code, report, rss = run_cli(empty_db_path, path)
    assert (code, messages(report)) == (
        2,
        ["Tiedostossa on yli 50\u00a0000 riviä. Tuo enintään 50\u00a0000 riviä kerrallaan."],
    )
    assert rss < rss_limit(empty_db_path), f"{rss} MB"


def test_a_row_far_below_the_limit_is_refused_without_filling_the_gap():
    started = time.perf_counter()
    with pytest.raises(importer.UnusableFile) as refused:
        importer.read_table(hostile_files.far_row_xlsx(1_048_576), "kaukana.xlsx")
    assert refused.value.key == "import.file.too_many_rows"
    assert time.perf_counter() - started < 10


def test_a_big_csv_is_refused_before_it_is_read_by_the_cli(empty_db_path, tmp_path):
    path = hostile_files.big_csv(tmp_path / "iso.csv", 52)
    code, report, rss = run_cli(empty_db_path, path)
    assert code == 2
    assert messages(report) == ["Tiedosto on liian suuri (52,0 Mt). Suurin sallittu koko on 20 Mt."]
    assert rss < rss_limit(empty_db_path), f"{rss} MB"


def test_a_csv_with_too_many_rows_is_refused(tmp_path):
    data = hostile_files.many_rows_csv(tmp_path / "rivit.csv", read.MAX_ROWS + 1).read_bytes()
    with pytest.raises(importer.UnusableFile) as refused:
        importer.read_table(data, "rivit.csv")
    assert refused.value.key == "import.file.too_many_rows"
    at_limit = hostile_files.many_rows_csv(tmp_path / "raja.csv", read.MAX_ROWS).read_bytes()
    assert len(importer.read_table(at_limit, "raja.csv").rows) == read.MAX_ROWS


def test_too_many_columns_is_refused_but_empty_ones_at_the_end_are_not():
    wide = [*HEADER_FI, *(f"Sarake {n}" for n in range(read.MAX_COLUMNS))]
    with pytest.raises(importer.UnusableFile) as refused:
        importer.read_table(csv_bytes([measure_row()], wide), "leveä.csv")
    assert refused.value.key == "import.file.too_many_columns"
    padded = csv_bytes([measure_row()]).replace(b"\r\n", b";" * 500 + b"\r\n")
    assert importer.validate(importer.read_table(padded, "t.csv")).ok


# ---------------------------------------------------------------- the error list


def test_the_error_list_is_capped_per_kind_with_a_count_of_the_rest(empty_db_path, tmp_path):
    path = tmp_path / "virheet.csv"
    rows = [measure_row(f"{n // 100}.{n % 100}", status="Kaput", progress="101") for n in range(read.MAX_ROWS)]
    path.write_bytes(csv_bytes(rows))
    code, report, _rss = run_cli(empty_db_path, path, "--lang", "en")
    assert code == 1
    errors = report["errors"]
    assert len(errors) == 2 * 100 + 2
    assert errors[-2:] == [
        {"row": None, "column": "Tila", "message": "…and 49,900 more errors of the same kind."},
        {"row": None, "column": "Edistyminen %", "message": "…and 49,900 more errors of the same kind."},
    ]
    assert len(json.dumps(report)) < 100_000
    plan = importer.validate(importer.read_table(path.read_bytes(), "virheet.csv"))
    assert plan.error_count == 2 * read.MAX_ROWS
    assert plan.errors[-1].message("fi") == "…ja 49\u00a0900 muuta samanlaista virhettä."
