"""The bounded load test of the public view (bench/load.py, ``python -m tracker
load``): it starts its servers on 127.0.0.1, stops by itself and counts every
visit; on a lake also with two app servers sharing the lake."""

from bench import load

pytestmark = __import__("pytest").mark.browser


def test_the_load_test_visits_the_public_view_and_stops_by_itself(demo_db_path, databases):
    servers = (1, 2) if databases.lake else (1,)
    results = load.run(demo_db_path, servers=servers, sessions=2, seconds=3)
    assert [r["servers"] for r in results] == list(servers)
    for result in results:
        assert result["errors"] == 0, result["first_errors"]
        assert result["visits"] > 0 and result["p95_ms"] >= result["median_ms"] > 0
        assert result["seconds"] < 3 + 120  # the last visits finish, nothing more starts
    assert "p95 ms" in load.format_results(results)
