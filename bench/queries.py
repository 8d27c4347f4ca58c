"""Every named query (queries/*.sql) timed on the benchmark's data."""

from __future__ import annotations

import re

from bench.timing import median_ms, timed
from tracker import db


def time_queries(con, params: dict, repeats: int) -> dict:
    results = {}
    for name in db.query_names():
        sql = db.query_sql(name)
        wanted = sorted(set(re.findall(r"\$([a-z_]+)", sql)))
        values = {key: params[key] for key in wanted if key in params}
        missing = [key for key in wanted if key not in params]
        if missing:  # a new query with a new $parameter: bench.data.sample_parameters needs a value for it
            results[name] = {"skipped": "no value for " + ", ".join(f"${key}" for key in missing)}
            continue
        try:
            rows = len(db.query(con, name, **values))  # the first run compiles; not counted
            samples = [timed(lambda n=name, v=values: db.query(con, n, **v)) for _ in range(repeats)]
        except Exception as exc:  # a query the sample parameters do not suit: report, keep going
            results[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        results[name] = {"median_ms": median_ms(samples), "max_ms": round(max(samples) * 1000, 2), "rows": rows}
    return results
