"""Expected values for the workspace query tests, read from the demo seed files.

Shared by test_queries_workspace*.py: the expected side of every check comes from here or
from plain SQL, never from the query under test.
"""

import csv
import math
import re
from collections import Counter
from datetime import datetime
from decimal import Decimal

from tracker import write
from tracker.auth import Caller
from tracker.demo.seed import SEED_DIR

ADMIN = Caller(role="admin", email="admin@joensuu.example")
EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
PASSWORD = "correct horse battery staple"


def seed_rows(name):
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def code_key(code):
    """Numeric parts of a measure code as numbers: 1.2 < 1.10 < 2.1."""
    return [int(m.group()) if (m := re.match(r"\d+", part)) else 0 for part in code.split(".")], code


def seed_measures():
    return {row["code"]: row for row in seed_rows("measures.csv")}


def seed_versions():
    """A seeded measure's version is the number of its status events."""
    counts = Counter(row["code"] for row in seed_rows("status_events.csv"))
    return {code: max(1, counts[code]) for code in seed_measures()}


def seed_last_update():
    last = {}
    for row in seed_rows("status_events.csv"):
        at = datetime.fromisoformat(row["at"])
        last[row["code"]] = max(last.get(row["code"], at), at)
    return last


def seed_themes():
    """Theme position -> (fi, sv, en) names, from programme.toml."""
    import tomllib

    with (SEED_DIR / "programme.toml").open("rb") as handle:
        spec = tomllib.load(handle)
    return {str(t["position"]): (t["name_fi"], t["name_sv"], t["name_en"]) for t in spec["themes"]}


def measure_ids(con):
    return dict(con.execute("SELECT code, id FROM measures").fetchall())


def decision_ids(con):
    """Seed decision key -> id: decisions are inserted in file order."""
    keys = [row["key"] for row in seed_rows("decisions.csv")]
    ids = [row[0] for row in con.execute("SELECT id FROM decisions ORDER BY id LIMIT ?", [len(keys)]).fetchall()]
    return dict(zip(keys, ids, strict=True))


def programme_and_organisation(con):
    return con.execute("SELECT id, organisation_id FROM programmes").fetchone()


def none_if_missing(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def euros(value):
    value = none_if_missing(value)
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def seed_euros(text):
    return None if not text else Decimal(text)


def seed_links():
    """Decision key -> the codes of the measures it is linked to."""
    links = {}
    for row in seed_rows("measure_decisions.csv"):
        links.setdefault(row["decision_key"], []).append(row["code"])
    return links


def archive(con, code):
    measure_id, version = con.execute("SELECT id, version FROM measures WHERE code = ?", [code]).fetchone()
    write.measures.archive_measure(con, EDITOR, measure_id, expected_version=version)
    return measure_id
