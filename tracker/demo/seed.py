"""Loads the demo programme from ``data/seed/`` into an empty database.

The seed files are plain CSV/TOML so they can be read and corrected by hand;
this module checks them as it loads (an inconsistent seed fails loudly).

A bulk loader, it writes its own rows (allowed by tests/test_write_ownership.py):
every table of one programme in one transaction with ONE audit row for the
whole load, where the write layer's services would write one per row. Its ids
come from the write layer's allocator (tracker.write.ids), so later writes
never collide with them.
"""

from __future__ import annotations

import csv
import tomllib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from tracker import db
from tracker.auth import SYSTEM
from tracker.errors import TrackerError
from tracker.outcomes import syke_import
from tracker.write import audit, emissions, indicators, search
from tracker.write.ids import allocate_ids

SEED_DIR = db.ROOT / "data" / "seed"
SEED_SOURCE = "demo-seed"


def _rows(path: Path) -> list[dict[str, str | None]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v.strip() or None) for k, v in row.items()} for row in csv.DictReader(handle, delimiter=";")]


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    if value.lower() not in ("true", "false"):
        raise TrackerError(f"seed: not a boolean: {value!r}")
    return value.lower() == "true"


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def load_demo(con: duckdb.DuckDBPyConnection, seed_dir: Path = SEED_DIR) -> int:
    """Load the demo programme in one transaction; return the programme id."""
    with (seed_dir / "programme.toml").open("rb") as handle:
        spec = tomllib.load(handle)
    now = db.utcnow()
    with db.transaction(con) as cur:
        org_id = _organisation(cur, spec["organisation"], spec.get("emissions", {}).get("municipality_number"))
        cost_centre_ids = _cost_centres(cur, org_id, _rows(seed_dir / "cost_centres.csv"))
        decision_ids = _decisions(cur, org_id, seed_dir)
        programme_id = _programme(cur, org_id, spec["programme"], decision_ids)
        theme_ids = _themes(cur, programme_id, spec["themes"])
        events_by_code: dict[str, list[dict]] = {}
        for event in _rows(seed_dir / "status_events.csv"):
            events_by_code.setdefault(event["code"], []).append(event)
        measure_ids = _measures(cur, programme_id, theme_ids, _rows(seed_dir / "measures.csv"), events_by_code, now)
        _status_events(cur, measure_ids, events_by_code)
        _budget_lines(cur, measure_ids, cost_centre_ids, _rows(seed_dir / "budget_lines.csv"))
        _insert(
            cur,
            "INSERT INTO measure_decisions (measure_id, decision_id) VALUES (?, ?)",
            [
                [measure_ids[row["code"]], decision_ids[row["decision_key"]]]
                for row in _rows(seed_dir / "measure_decisions.csv")
            ],
        )
        if spec.get("emissions"):
            _emissions(cur, org_id, spec["emissions"], measure_ids, seed_dir, now)
        for indicator in spec.get("indicators", []):
            _indicator(cur, org_id, indicator, measure_ids, seed_dir, now)
        search.index_measures(cur, measure_ids.values())
        audit.record(
            cur,
            SYSTEM,
            "demo.load",
            programme_id,
            before=None,
            after={"measures": len(measure_ids), "source": str(seed_dir.name)},
            now=now,
        )
    return programme_id


def _insert(cur, sql: str, rows: list[list]) -> None:
    if rows:
        cur.executemany(sql, rows)


def _with_ids(cur, table: str, rows: list[list]) -> list[int]:
    """Ids from the write layer's allocator put in front of each row's values."""
    ids = list(allocate_ids(cur, table, len(rows)))
    for row_id, row in zip(ids, rows, strict=True):
        row.insert(0, row_id)
    return ids


def _organisation(cur, org: dict, municipality_number: int | None) -> int:
    rows = [[org["name"], org.get("name_sv"), org.get("name_en"), municipality_number]]
    (org_id,) = _with_ids(cur, "organisations", rows)
    _insert(
        cur, "INSERT INTO organisations (id, name, name_sv, name_en, municipality_number) VALUES (?, ?, ?, ?, ?)", rows
    )
    return org_id


def _cost_centres(cur, org_id: int, seed_rows: list[dict]) -> dict[str, int]:
    rows = [[org_id, row["code"], row["name"]] for row in seed_rows]
    ids = _with_ids(cur, "cost_centres", rows)
    _insert(cur, "INSERT INTO cost_centres (id, organisation_id, code, name) VALUES (?, ?, ?, ?)", rows)
    return {row["code"]: centre_id for row, centre_id in zip(seed_rows, ids, strict=True)}


def _decisions(cur, org_id: int, seed_dir: Path) -> dict[str, int]:
    seed_rows = _rows(seed_dir / "decisions.csv")
    rows = [
        [
            org_id,
            row["body"],
            _date(row["decided_on"]),
            _int(row["section"]),
            row["case_number"],
            row["title"],
            row["outcome"],
            None if row["unanimous"] is None else _bool(row["unanimous"]),
            row["url"],
            (seed_dir / row["text_file"]).read_text(encoding="utf-8") if row["text_file"] else None,
            _bool(row["is_illustrative"]),
        ]
        for row in seed_rows
    ]
    ids = _with_ids(cur, "decisions", rows)
    _insert(
        cur,
        "INSERT INTO decisions (id, organisation_id, body, decided_on, section, case_number, title,"
        " outcome, unanimous, url, text, is_illustrative) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return {row["key"]: decision_id for row, decision_id in zip(seed_rows, ids, strict=True)}


def _programme(cur, org_id: int, prog: dict, decision_ids: dict[str, int]) -> int:
    rows = [
        [
            org_id,
            prog["name"],
            prog.get("name_sv"),
            prog.get("name_en"),
            prog.get("start_year"),
            prog.get("end_year"),
            decision_ids.get(prog.get("adopting_decision")),
        ]
    ]
    (programme_id,) = _with_ids(cur, "programmes", rows)
    _insert(
        cur,
        "INSERT INTO programmes (id, organisation_id, name, name_sv, name_en, start_year, end_year,"
        " adopting_decision_id, is_demo, is_default) VALUES (?, ?, ?, ?, ?, ?, ?, ?, true, true)",
        rows,
    )
    return programme_id


def _themes(cur, programme_id: int, themes: list[dict]) -> dict[str, int]:
    rows = [
        [programme_id, theme["position"], theme["name_fi"], theme.get("name_sv"), theme.get("name_en")]
        for theme in themes
    ]
    ids = _with_ids(cur, "themes", rows)
    _insert(
        cur,
        "INSERT INTO themes (id, programme_id, position, name_fi, name_sv, name_en) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return {str(theme["position"]): theme_id for theme, theme_id in zip(themes, ids, strict=True)}


def _measure_row(programme_id: int, theme_ids: dict, row: dict, events: list[dict], now: datetime) -> list:
    if events and (events[-1]["new_status"], int(events[-1]["new_progress"])) != (row["status"], int(row["progress"])):
        raise TrackerError(f"seed: the last event of {row['code']} does not match its status")
    return [
        programme_id,
        theme_ids[row["theme_position"]],
        row["code"],
        row["title_fi"],
        row["title_sv"],
        row["title_en"],
        row["description_fi"],
        row["description_sv"],
        row["description_en"],
        row["responsible_unit"],
        row["contact_name"],
        row["contact_email"],
        row["status"],
        row["phase"],
        int(row["progress"]),
        _date(row["start_date"]),
        _date(row["end_date"]),
        _bool(row["is_continuous"]),
        _bool(row["is_published"], default=True),
        row["internal_note"],
        _bool(row["is_illustrative"]),
        datetime.fromisoformat(events[0]["at"]) if events else now,
        datetime.fromisoformat(events[-1]["at"]) if events else now,
        max(1, len(events)),
    ]


def _measures(cur, programme_id: int, theme_ids: dict, seed_rows: list[dict], events_by_code: dict, now) -> dict:
    rows = [_measure_row(programme_id, theme_ids, row, events_by_code.get(row["code"], []), now) for row in seed_rows]
    ids = _with_ids(cur, "measures", rows)
    _insert(
        cur,
        "INSERT INTO measures (id, programme_id, theme_id, code, title_fi, title_sv, title_en,"
        " description_fi, description_sv, description_en, responsible_unit, contact_name,"
        " contact_email, status, phase, progress, start_date, end_date, is_continuous,"
        " is_published, internal_note, is_illustrative, created_at, updated_at, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return {row["code"]: measure_id for row, measure_id in zip(seed_rows, ids, strict=True)}


def _status_events(cur, measure_ids: dict[str, int], events_by_code: dict[str, list[dict]]) -> None:
    rows = [
        [
            measure_ids[code],
            datetime.fromisoformat(event["at"]),
            event["actor"],
            SEED_SOURCE,
            event["old_status"],
            event["new_status"],
            _int(event["old_progress"]),
            int(event["new_progress"]),
            event["note"],
            _bool(event["note_is_public"], default=True),
        ]
        for code, events in events_by_code.items()
        for event in events
    ]
    _with_ids(cur, "status_events", rows)
    _insert(
        cur,
        "INSERT INTO status_events (id, measure_id, occurred_at, actor, source, old_status, new_status,"
        " old_progress, new_progress, note, note_is_public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _budget_lines(cur, measure_ids: dict, cost_centre_ids: dict, seed_rows: list[dict]) -> None:
    rows = [
        [
            measure_ids[row["code"]],
            int(row["year"]),
            cost_centre_ids[row["cost_centre"]],
            _decimal(row["planned_eur"]) or Decimal(0),
            _decimal(row["actual_eur"]),
            row["funding_source"],
            row["note"],
        ]
        for row in seed_rows
    ]
    _with_ids(cur, "budget_lines", rows)
    _insert(
        cur,
        "INSERT INTO budget_lines (id, measure_id, year, cost_centre_id, planned_eur, actual_eur,"
        " funding_source, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _links(cur, indicator_id: int, measure_ids: dict, links: list[dict]) -> None:
    _insert(
        cur,
        "INSERT INTO measure_indicators (measure_id, indicator_id, effect, effect_amount, effect_year, effect_note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            [
                measure_ids[link["code"]],
                indicator_id,
                link.get("effect", "decrease"),
                None if link.get("effect_amount") is None else Decimal(str(link["effect_amount"])),
                link.get("effect_year"),
                link.get("effect_note"),
            ]
            for link in links
        ],
    )


def _emissions(cur, org_id: int, spec: dict, measure_ids: dict, seed_dir: Path, now: datetime) -> None:
    """The emissions file read as the SYKE import reads it and stored through its write
    (the indicator made with Hinku's target, its values summed from the rows), illustrative."""
    path = seed_dir / spec["file"]
    preliminary = frozenset({spec["preliminary_year"]}) if spec.get("preliminary_year") else frozenset()
    _kind, read = syke_import.read(path.read_bytes(), path.name, preliminary=preliminary)
    if read.errors or None not in read.rows:
        raise TrackerError(f"seed: {path.name} is not a clean SYKE file: {read.errors[:3]}")
    # the indicator first, written here like the others: the load keeps its one audit row
    indicator_id = _insert_indicator(cur, org_id, dict(indicators.EMISSIONS_INDICATOR), True, now)
    info = emissions.ImportInfo(
        path.name, "municipality_csv", None, spec["municipality_number"], tuple(sorted(preliminary))
    )
    emissions.replace_rows(cur, SYSTEM, org_id, read.rows[None], info, now=now, illustrative=True)
    _links(cur, indicator_id, measure_ids, spec.get("measures", []))


def _insert_indicator(cur, org_id: int, fields: dict, is_illustrative: bool, now: datetime) -> int:
    """One indicator row of the organisation with ``fields`` (column -> value); returns its id."""
    rows = [[org_id, *fields.values(), is_illustrative, now]]
    (indicator_id,) = _with_ids(cur, "indicators", rows)
    _insert(
        cur,
        f"INSERT INTO indicators (id, organisation_id, {', '.join(fields)}, is_illustrative, updated_at)"  # noqa: S608
        f" VALUES (?, ?, {', '.join('?' for _ in fields)}, ?, ?)",
        rows,
    )
    return indicator_id


def _indicator(cur, org_id: int, indicator: dict, measure_ids: dict, seed_dir: Path, now: datetime) -> None:
    fields = [f for f in indicators.FORM_FIELDS if f not in ("emission_reading", "is_published")]
    defaults = {"direction": "decrease", "frequency": "yearly"}
    values = {f: indicator.get(f, defaults.get(f)) for f in fields}
    indicator_id = _insert_indicator(cur, org_id, values, indicator.get("is_illustrative", True), now)
    _insert(
        cur,
        "INSERT INTO indicator_values (indicator_id, year, month, sector, value, source, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [
                indicator_id,
                int(row["year"]),
                int(row.get("month") or 0),
                row.get("sector") or "",
                Decimal(row["value"]),
                SEED_SOURCE,
                now,
            ]
            for row in _rows(seed_dir / indicator["values"])
        ],
    )
    _insert(
        cur,
        "INSERT INTO indicator_goals (indicator_id, year, month, value) VALUES (?, ?, ?, ?)",
        [
            [indicator_id, goal[0], goal[1] if len(goal) == 3 else 0, Decimal(str(goal[-1]))]
            for goal in indicator.get("goals", [])
        ],
    )
    _links(cur, indicator_id, measure_ids, indicator.get("measures", []))
