"""CI smoke test of the benchmark at N=5: every section is there; no timing is asserted."""

import json

from tracker import cli, db
from ui.pages import PAGES


def test_bench_at_five_municipalities_writes_every_section(tmp_path, capsys):
    out = tmp_path / "bench.json"
    code = cli.main(
        ["bench", "--municipalities", "5", "--repeats", "1", "--json", str(out), "--workdir", str(tmp_path / "work")]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "floor (bare script)" in printed and "targets:" in printed
    results = json.loads(out.read_text(encoding="utf-8"))
    for section in (
        "machine",
        "data",
        "pages",
        "floor",
        "baseline",
        "queries",
        "import",
        "status_update",
        "public_view",
        "peak_rss_mb",
        "targets",
    ):
        assert section in results, section
    assert results["data"]["organisations"] == 5
    registered = {page.file for page in PAGES}
    assert set(results["pages"]) == {page for page in registered if (db.ROOT / page).exists()}
    for timing in [*results["pages"].values(), results["floor"], results["baseline"]]:
        assert timing["cold_ms"] > 0 and timing["warm_ms"] > 0
        assert timing["exception"] is None
    assert set(results["queries"]) == set(db.query_names())
    assert all("median_ms" in q for q in results["queries"].values()), results["queries"]
    assert results["status_update"]["median_ms"] > 0
    assert "rows_per_s" in results["import"] or "skipped" in results["import"]
