"""Loads the demo programme from ``data/seed/`` into an empty database.

The seed files are plain CSV/TOML so they can be read and corrected by hand;
this module checks them as it loads (an inconsistent seed fails loudly).
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
from tracker.write.measures import audit

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
        org = spec["organisation"]
        org_id = cur.execute(
            "INSERT INTO organisations (name, name_sv, name_en) VALUES (?, ?, ?) RETURNING id",
            [org["name"], org.get("name_sv"), org.get("name_en")],
        ).fetchone()[0]

        cost_centre_ids = {}
        for row in _rows(seed_dir / "cost_centres.csv"):
            cost_centre_ids[row["code"]] = cur.execute(
                "INSERT INTO cost_centres (organisation_id, code, name) VALUES (?, ?, ?) RETURNING id",
                [org_id, row["code"], row["name"]],
            ).fetchone()[0]

        decision_ids = {}
        for row in _rows(seed_dir / "decisions.csv"):
            text = (seed_dir / row["text_file"]).read_text(encoding="utf-8") if row["text_file"] else None
            decision_ids[row["key"]] = cur.execute(
                "INSERT INTO decisions (organisation_id, body, decided_on, section, case_number, title,"
                " outcome, unanimous, url, text, is_illustrative) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
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
                    text,
                    _bool(row["is_illustrative"]),
                ],
            ).fetchone()[0]

        prog = spec["programme"]
        programme_id = cur.execute(
            "INSERT INTO programmes (organisation_id, name, name_sv, name_en, start_year, end_year,"
            " adopting_decision_id, is_demo, is_default) VALUES (?, ?, ?, ?, ?, ?, ?, true, true) RETURNING id",
            [
                org_id,
                prog["name"],
                prog.get("name_sv"),
                prog.get("name_en"),
                prog.get("start_year"),
                prog.get("end_year"),
                decision_ids.get(prog.get("adopting_decision")),
            ],
        ).fetchone()[0]

        theme_ids = {}
        for theme in spec["themes"]:
            theme_ids[str(theme["position"])] = cur.execute(
                "INSERT INTO themes (programme_id, position, name_fi, name_sv, name_en)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                [programme_id, theme["position"], theme["name_fi"], theme.get("name_sv"), theme.get("name_en")],
            ).fetchone()[0]

        events_by_code: dict[str, list[dict]] = {}
        for event in _rows(seed_dir / "status_events.csv"):
            events_by_code.setdefault(event["code"], []).append(event)

        measure_ids = {}
        for row in _rows(seed_dir / "measures.csv"):
            events = events_by_code.get(row["code"], [])
            last_update = datetime.fromisoformat(events[-1]["at"]) if events else now
            first_update = datetime.fromisoformat(events[0]["at"]) if events else now
            measure_ids[row["code"]] = cur.execute(
                "INSERT INTO measures (programme_id, theme_id, code, title_fi, title_sv, title_en,"
                " description_fi, description_sv, description_en, responsible_unit, contact_name,"
                " contact_email, status, phase, progress, start_date, end_date, is_continuous,"
                " is_published, internal_note, is_illustrative, created_at, updated_at, version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
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
                    first_update,
                    last_update,
                    max(1, len(events)),
                ],
            ).fetchone()[0]
            if events and (events[-1]["new_status"], int(events[-1]["new_progress"])) != (
                row["status"],
                int(row["progress"]),
            ):
                raise TrackerError(f"seed: the last event of {row['code']} does not match its status")

        for code, events in events_by_code.items():
            for event in events:
                cur.execute(
                    "INSERT INTO status_events (measure_id, occurred_at, actor, source, old_status, new_status,"
                    " old_progress, new_progress, note, note_is_public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    ],
                )

        for row in _rows(seed_dir / "budget_lines.csv"):
            cur.execute(
                "INSERT INTO budget_lines (measure_id, year, cost_centre_id, planned_eur, actual_eur,"
                " funding_source, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    measure_ids[row["code"]],
                    int(row["year"]),
                    cost_centre_ids[row["cost_centre"]],
                    _decimal(row["planned_eur"]) or Decimal(0),
                    _decimal(row["actual_eur"]),
                    row["funding_source"],
                    row["note"],
                ],
            )

        for row in _rows(seed_dir / "measure_decisions.csv"):
            cur.execute(
                "INSERT INTO measure_decisions (measure_id, decision_id) VALUES (?, ?)",
                [measure_ids[row["code"]], decision_ids[row["decision_key"]]],
            )

        indicator = spec.get("indicator")
        if indicator:
            indicator_id = cur.execute(
                "INSERT INTO indicators (organisation_id, name_fi, name_sv, name_en, unit, base_year,"
                " target_year, target_reduction_pct, is_illustrative) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                [
                    org_id,
                    indicator["name_fi"],
                    indicator.get("name_sv"),
                    indicator.get("name_en"),
                    indicator["unit"],
                    indicator.get("base_year"),
                    indicator.get("target_year"),
                    indicator.get("target_reduction_pct"),
                    indicator.get("is_illustrative", True),
                ],
            ).fetchone()[0]
            for row in _rows(seed_dir / "indicator.csv"):
                cur.execute(
                    "INSERT INTO indicator_values (indicator_id, year, sector, value) VALUES (?, ?, ?, ?)",
                    [indicator_id, int(row["year"]), row["sector"], Decimal(row["value"])],
                )
            for code in indicator.get("measures", []):
                cur.execute(
                    "INSERT INTO measure_indicators (measure_id, indicator_id) VALUES (?, ?)",
                    [measure_ids[code], indicator_id],
                )

        audit(
            cur,
            SYSTEM,
            "load_demo",
            "programme",
            programme_id,
            before=None,
            after={"measures": len(measure_ids), "source": str(seed_dir.name)},
            now=now,
        )
    return programme_id
