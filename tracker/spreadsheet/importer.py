"""Import the measures spreadsheet (docs/import-format.md).

Three steps, each usable on its own:

1. ``read_table(data, file_name)`` (read.py): .csv or .xlsx bytes -> header
   and raw rows (raises ``UnusableFile`` when the file cannot be used at all);
2. ``validate(table)`` (plan.py): every cell parsed and every rule checked ->
   ``ImportPlan`` holding all problems, each as (Excel row, column header, key);
3. ``write(con, caller, plan, programme)`` (here): a clean plan written in ONE
   transaction through the write layer's bulk writes (tracker.write), with
   status events and audit rows.

``import_bytes``/``import_path`` do all three and return the report the CLI
prints as JSON; ``import_path`` is also what the benchmark times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from tracker import db, i18n, rules
from tracker.auth import SYSTEM, Caller, require
from tracker.errors import ConflictError, UserError
from tracker.spreadsheet import sheet_format
from tracker.spreadsheet.plan import (
    ImportPlan,
    PlannedBudgetLine,
    PlannedMeasure,
    Problem,
    map_columns,
    preview,
    validate,
)
from tracker.spreadsheet.read import Table, UnusableFile, read_table
from tracker.status import STATUSES
from tracker.write import audit, budget, measures, programmes
from tracker.write.base import Target, in_transaction

__all__ = [
    "ImportPlan",
    "PlannedBudgetLine",
    "PlannedMeasure",
    "Problem",
    "Table",
    "UnusableFile",
    "WriteResult",
    "find_programme",
    "import_bytes",
    "import_path",
    "map_columns",
    "preview",
    "preview_counts",
    "read_table",
    "report",
    "validate",
    "write",
    "write_sample_file",
]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SOURCE_PREFIX = "import:"
ProgressCallback = Callable[[float, str], None]

# The measure columns an import sets (the file can say nothing of the others).
_MEASURE_COLUMNS = (
    "theme_id",
    "title_fi",
    "description_fi",
    "responsible_unit",
    "status",
    "progress",
    "start_date",
    "end_date",
    "is_continuous",
    "is_published",
)
# file key -> measures column, for fields that are kept when their column is absent
_FIELD_COLUMNS = {
    "title": "title_fi",
    "description": "description_fi",
    "responsible": "responsible_unit",
    "status": "status",
    "progress": "progress",
    "start": "start_date",
    "end": "end_date",
    "continuous": "is_continuous",
    "public": "is_published",
}
_DEFAULTS = {"progress": 0, "is_continuous": False, "is_published": True}


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    budget_lines_created: int = 0
    budget_lines_updated: int = 0
    events: int = 0
    programme_id: int | None = None


def find_programme(cur, name: str) -> tuple[int, int] | None:
    """(programme id, organisation id) of the programme named ``name`` in any language."""
    rows = cur.execute(
        "SELECT id, organisation_id FROM programmes WHERE lower(trim(?)) IN"
        " (lower(name), lower(coalesce(name_sv, '')), lower(coalesce(name_en, ''))) ORDER BY id",
        [name],
    ).fetchall()
    if len(rows) > 1:
        raise UserError(name, key="import.programme_ambiguous", name=name)
    return tuple(rows[0]) if rows else None


def _organisation_for_new_programme(cur, caller, programme: str, organisation: str | None, now) -> int:
    """The organisation a new programme belongs to: the one named, else the
    database's only one, else a new one named after the programme."""
    if organisation:
        found = cur.execute(
            "SELECT id FROM organisations WHERE lower(name) = lower(trim(?))", [organisation]
        ).fetchone()
        if found:
            return found[0]
        name = organisation.strip()
    else:
        existing = cur.execute("SELECT id FROM organisations ORDER BY id").fetchall()
        if len(existing) == 1:
            return existing[0][0]
        if existing:
            raise UserError("several organisations", key="import.organisation_needed")
        name = programme.strip()
    return programmes.insert_organisation(cur, caller, name, now=now)


def _programme(cur, caller, programme: str, organisation: str | None, now) -> tuple[int, int]:
    """(programme id, organisation id), the programme created if new."""
    found = find_programme(cur, programme)
    if found is not None:
        return found
    org_id = _organisation_for_new_programme(cur, caller, programme, organisation, now)
    return programmes.insert_programme(cur, caller, org_id, programme, now=now), org_id


def _stored_measures(cur, programme_id: int) -> dict[str, dict]:
    """code -> the measure's id, version and the columns an import sets."""
    names = ("id", "code", *_MEASURE_COLUMNS, "version")
    rows = cur.execute(
        f"SELECT {', '.join(names)} FROM measures WHERE programme_id = ?",  # noqa: S608 (constant columns)
        [programme_id],
    ).fetchall()
    return {row[1]: dict(zip(names, row, strict=True)) for row in rows}


def _theme_names(cur, programme_id: int) -> tuple[dict[str, int], int]:
    """(lower-case name in any language -> theme id, the last position) of a programme's themes."""
    existing = cur.execute(
        "SELECT id, position, name_fi, name_sv, name_en FROM themes WHERE programme_id = ? ORDER BY position",
        [programme_id],
    ).fetchall()
    ids: dict[str, int] = {}
    for theme_id, _position, *names in existing:
        for name in names:
            if name:
                ids.setdefault(name.strip().lower(), theme_id)
    return ids, max((row[1] for row in existing), default=0)


def _desired(measure: PlannedMeasure, columns: dict[str, int], current: dict | None, theme_id) -> dict:
    """The measure's row as the file wants it. A column the file lacks keeps
    the stored value; an empty cell in a present column clears an optional
    field (continuous: no, public: yes, progress: kept)."""
    row = {"theme_id": theme_id}
    for key, column in _FIELD_COLUMNS.items():
        value = measure.fields.get(key)
        if value is None:
            if key not in columns or key == "progress":
                value = current[column] if current else _DEFAULTS.get(column)
            else:
                value = _DEFAULTS.get(column)
        row[column] = value
    return row


def _theme_ids(cur, caller, plan: ImportPlan, programme_id: int, new_codes: set[str], now) -> dict[str, int]:
    """Theme name -> id; a new measure's theme the programme lacks is created."""
    ids, position = _theme_names(cur, programme_id)
    for measure in plan.measures.values():
        name = measure.fields["theme"]
        if measure.code not in new_codes or name.lower() in ids:
            continue
        position += 1
        ids[name.lower()] = programmes.insert_theme(cur, caller, programme_id, position, name, now=now)
    return ids


def _cost_centre_ids(cur, caller, plan: ImportPlan, org_id: int, now) -> dict[str, int]:
    """Cost-centre code -> id; new codes are created, an unnamed one gets the file's name."""
    stored = budget.organisation_cost_centres(cur, org_id)
    ids = {code: centre["id"] for code, centre in stored.items()}
    for code, name in plan.cost_centre_names.items():
        if code not in stored:
            ids[code] = budget.insert_cost_centre(cur, caller, org_id, code, name, now=now)
        elif name and stored[code]["name"] is None:
            budget.name_cost_centre(cur, caller, stored[code], name, now=now)
    return ids


def _report(on_progress: ProgressCallback | None, share: float, stage: str) -> None:
    if on_progress is not None:
        on_progress(share, stage)


def write(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    plan: ImportPlan,
    programme: str,
    *,
    file_name: str,
    organisation: str | None = None,
    now: datetime | None = None,
    on_progress: ProgressCallback | None = None,
) -> WriteResult:
    """Write a clean plan in one transaction: programme, themes and cost
    centres created if new, measures created or updated by code, budget lines
    upserted by (measure, year, cost centre), an event for every status or
    progress change (source ``import:<file name>``), audit rows. Any exception
    rolls all of it back."""
    require(caller, "editor")
    if plan.errors:
        raise ValueError("a plan with errors cannot be written")
    programme = programme.strip()
    if not 1 <= len(programme) <= rules.NAME_MAX:
        raise UserError(programme, key="import.programme_name_invalid")
    now = now or db.utcnow()
    try:
        return in_transaction(
            con,
            Target("programme"),
            lambda cur: _write_plan(cur, caller, plan, programme, organisation, file_name, now, on_progress),
        )
    except duckdb.ConstraintException as exc:
        raise UserError(str(exc), key="import.write_failed") from exc
    except ConflictError as exc:
        raise UserError(str(exc), key="import.write_conflict") from exc


def _write_plan(cur, caller, plan, programme, organisation, file_name, now, on_progress) -> WriteResult:
    result = WriteResult()
    programme_id, org_id = _programme(cur, caller, programme, organisation, now)
    result.programme_id = programme_id
    _report(on_progress, 0.05, "programme")

    stored = _stored_measures(cur, programme_id)
    theme_ids = _theme_ids(cur, caller, plan, programme_id, set(plan.measures) - set(stored), now)
    centre_ids = _cost_centre_ids(cur, caller, plan, org_id, now)
    _report(on_progress, 0.1, "themes")

    new_rows, changed = [], []
    for measure in plan.measures.values():
        current = stored.get(measure.code)
        wanted = _desired(measure, plan.columns, current, theme_ids.get(measure.fields["theme"].lower()))
        if current is None:
            new_rows.append({"code": measure.code, **wanted})
        elif any(current[k] != v for k, v in wanted.items()):
            changed.append((current, wanted))
        else:
            result.unchanged += 1
    created_ids = measures.insert_measures(cur, caller, programme_id, new_rows, now=now)
    result.created = len(new_rows)
    _report(on_progress, 0.4, "measures_created")
    measures.update_measure_rows(cur, caller, changed, now=now)
    result.updated = len(changed)
    _report(on_progress, 0.6, "measures_updated")

    events = [(i, None, row["status"], None, row["progress"]) for i, row in zip(created_ids, new_rows, strict=True)]
    events += [
        (current["id"], current["status"], wanted["status"], current["progress"], wanted["progress"])
        for current, wanted in changed
        if (current["status"], current["progress"]) != (wanted["status"], wanted["progress"])
    ]
    measures.insert_status_events(cur, caller, events, now=now, source=SOURCE_PREFIX + Path(file_name).name)
    result.events = len(events)
    _report(on_progress, 0.7, "events")

    measure_ids = {code: row["id"] for code, row in stored.items()}
    measure_ids.update(zip((row["code"] for row in new_rows), created_ids, strict=True))
    _write_budget_lines(cur, caller, plan, programme_id, measure_ids, centre_ids, now, result)
    _report(on_progress, 0.9, "budget_lines")

    summary = {
        "file": Path(file_name).name,
        "rows": plan.row_count,
        "created": result.created,
        "updated": result.updated,
        "budget_lines_created": result.budget_lines_created,
        "budget_lines_updated": result.budget_lines_updated,
    }
    audit.record(cur, caller, "import.run", programme_id, before=None, after=summary, now=now)
    _report(on_progress, 1.0, "done")
    return result


def _write_budget_lines(cur, caller, plan, programme_id, measure_ids, centre_ids, now, result) -> None:
    stored = budget.programme_budget_lines(cur, programme_id)
    inserts, updates = [], []
    for line in plan.budget_lines:
        measure_id, centre_id = measure_ids[line.code], centre_ids[line.cost_centre]
        planned = line.planned if line.planned is not None else Decimal("0.00")
        current = stored.get((measure_id, line.year, centre_id))
        if current is None:
            inserts.append(
                {
                    "measure_id": measure_id,
                    "year": line.year,
                    "cost_centre_id": centre_id,
                    "planned_eur": planned,
                    "actual_eur": line.actual,
                }
            )
        elif (current["planned_eur"], current["actual_eur"]) != (planned, line.actual):
            updates.append((current, {"planned_eur": planned, "actual_eur": line.actual}))
    budget.insert_budget_lines(cur, caller, inserts, now=now)
    budget.update_budget_lines(cur, caller, updates, now=now)
    result.budget_lines_created = len(inserts)
    result.budget_lines_updated = len(updates)


def preview_counts(con: duckdb.DuckDBPyConnection, plan: ImportPlan, programme: str) -> tuple[int, int]:
    """(created, updated) measures a write of this clean plan would make; writes nothing."""
    cur = con.cursor()
    try:
        found = find_programme(cur, programme.strip())
        if found is None:
            return len(plan.measures), 0
        themes, _position = _theme_names(cur, found[0])
        stored = _stored_measures(cur, found[0])
    finally:
        cur.close()
    created = updated = 0
    for measure in plan.measures.values():
        current = stored.get(measure.code)
        if current is None:
            created += 1
            continue
        theme_id = themes.get(measure.fields["theme"].lower())
        wanted = _desired(measure, plan.columns, current, theme_id)
        updated += any(current[k] != v for k, v in wanted.items())
    return created, updated


# --------------------------------------------------------------------------
# the whole import, as the CLI and the benchmark run it


def report(plan: ImportPlan | None, lang: str, *, created=0, updated=0, written=False, errors=None) -> dict:
    """The JSON report of docs/import-format.md."""
    problems = errors if errors is not None else (plan.errors if plan else [])
    return {
        "rows": plan.row_count if plan else 0,
        "measures": len(plan.measures) if plan else 0,
        "budget_lines": len(plan.budget_lines) if plan else 0,
        "created": created,
        "updated": updated,
        "errors": [p.as_dict(lang) for p in problems],
        "warnings": [p.as_dict(lang) for p in plan.warnings] if plan else [],
        "written": written,
    }


def import_bytes(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    programme: str,
    *,
    caller: Caller = SYSTEM,
    dry_run: bool = False,
    lang: str = "fi",
    organisation: str | None = None,
    now: datetime | None = None,
    on_progress: ProgressCallback | None = None,
) -> tuple[int, dict]:
    """(exit code, report): 0 clean (written unless dry_run), 1 validation
    errors and nothing written, 2 the file cannot be used at all."""
    try:
        plan = validate(read_table(data, file_name))
    except UnusableFile as exc:
        return 2, report(None, lang, errors=[Problem(None, exc.params.get("column"), exc.key, exc.params)])
    if plan.errors:
        return 1, report(plan, lang)
    if dry_run:
        created, updated = preview_counts(con, plan, programme)
        return 0, report(plan, lang, created=created, updated=updated)
    result = write(
        con,
        caller,
        plan,
        programme,
        file_name=file_name,
        organisation=organisation,
        now=now,
        on_progress=on_progress,
    )
    return 0, report(plan, lang, created=result.created, updated=result.updated, written=True)


def import_path(
    con: duckdb.DuckDBPyConnection, path: str | Path, programme: str, *, caller: Caller = SYSTEM, **options
) -> tuple[int, dict]:
    """Import the file at ``path`` into ``programme`` (the benchmark's entry point)."""
    path = Path(path)
    return import_bytes(con, path.read_bytes(), path.name, programme, caller=caller, **options)


def write_sample_file(path: str | Path, measures: int = 5000, years: int = 2) -> int:
    """Write a valid CSV of ``measures`` x ``years`` rows in the import format
    (for the benchmark and the kill test); return the number of data rows."""
    statuses = [i18n.status_label(code, "fi") for code in STATUSES]
    lines = [";".join(sheet_format.headers("fi"))]
    for number in range(measures):
        code = f"{number // 100 + 1}.{number % 100 + 1}"
        for offset in range(years):
            first = offset == 0
            lines.append(
                ";".join(
                    [
                        code,
                        f"Teema {number % 7 + 1}" if first else "",
                        f"Toimenpide {code}" if first else "",
                        "Kuvaus; ”lainausmerkit”" if first and number % 3 == 0 else "",
                        "Ympäristöpalvelut" if first else "",
                        statuses[number % len(statuses)] if first else "",
                        str(number % 101) if first else "",
                        "1.1.2022" if first else "",
                        "31.12.2030" if first else "",
                        "ei" if first else "",
                        "kyllä" if first else "",
                        f"{1000 + number % 20} Kustannuspaikka {number % 20}",
                        str(2022 + offset),
                        f"{(number % 50) * 1000 + 200},50",
                        f"{(number % 40) * 1000},00",
                    ]
                ).replace("Kuvaus; ”lainausmerkit”", '"Kuvaus; ”lainausmerkit”"')
            )
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return measures * years
