"""Import the measures spreadsheet (docs/import-format.md).

Three steps, each usable on its own:

1. ``read_table(data, file_name)`` (read.py): .csv or .xlsx bytes -> header
   and raw rows (raises ``UnusableFile`` when the file cannot be used at all);
2. ``validate(table)`` (plan.py): every cell parsed and every rule checked ->
   ``ImportPlan`` holding all problems, each as (Excel row, column header, key);
3. ``resolve(con, plan, programme)`` (changes.py): what a clean plan would
   change, field by field with flags, reading only;
4. ``write(con, caller, plan, programme)`` (here): the same resolution
   written in ONE transaction through the write layer's bulk writes
   (tracker.write), with status events and audit rows, recorded as one batch
   that ``undo.undo_batch`` can take back.

``import_bytes``/``import_path`` do it all and return the report the CLI
prints as JSON; ``import_path`` is also what the benchmark times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from tracker import db, i18n, rules
from tracker.auth import SYSTEM, Caller, require
from tracker.errors import ConflictError, UserError
from tracker.spreadsheet import changes, read, sheet_format
from tracker.spreadsheet.changes import Change, find_programme
from tracker.spreadsheet.plan import (
    ImportPlan,
    PlannedBudgetLine,
    PlannedMeasure,
    Problem,
    map_columns,
    preview,
    validate,
)
from tracker.spreadsheet.read import Table, UnusableFile, read_table, too_large
from tracker.status import STATUSES
from tracker.write import audit, budget, imports, measures, programmes
from tracker.write.base import Target, in_transaction, split_changes

__all__ = [
    "Change",
    "ImportPlan",
    "PlannedBudgetLine",
    "PlannedMeasure",
    "PreviewOutdated",
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
    "resolve",
    "too_large",
    "unusable_message",
    "validate",
    "write",
    "write_sample_file",
]

MAX_UPLOAD_BYTES = read.MAX_FILE_BYTES
SOURCE_PREFIX = "import:"
ProgressCallback = Callable[[float, str], None]


class PreviewOutdated(UserError):
    """The programme changed between the preview the coordinator confirmed and the write."""

    key = "import.preview_outdated"


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    budget_lines_created: int = 0
    budget_lines_updated: int = 0
    events: int = 0
    programme_id: int | None = None
    batch_id: int | None = None
    changes: list[Change] = field(default_factory=list)


def _organisation_for_new_programme(cur, caller, programme: str, organisation: str | None, now) -> tuple[int, bool]:
    """(id, created) of the organisation a new programme belongs to: the one
    named, else the database's only one, else a new one named after the programme."""
    if organisation:
        found = cur.execute(
            "SELECT id FROM organisations WHERE lower(name) = lower(trim(?))", [organisation]
        ).fetchone()
        if found:
            return found[0], False
        name = organisation.strip()
    else:
        existing = cur.execute("SELECT id FROM organisations ORDER BY id").fetchall()
        if len(existing) == 1:
            return existing[0][0], False
        if existing:
            raise UserError("several organisations", key="import.organisation_needed")
        name = programme.strip()
    return programmes.insert_organisation(cur, caller, name, now=now), True


def unusable_message(error: UnusableFile, lang: str) -> str:
    """Why a file cannot be used, in the reader's language and number format."""
    return Problem(None, None, error.key, error.params).message(lang)


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
    expected_fingerprint: str | None = None,
) -> WriteResult:
    """Write a clean plan in one transaction as one batch that can be undone:
    programme, themes and cost centres created if new, measures created or
    updated by code, budget lines upserted by (measure, year, cost centre), an
    event for every status or progress change (source ``import:<file name>``),
    audit rows, and the batch with every row it wrote. Any exception rolls all
    of it back. With ``expected_fingerprint`` (the preview's), refuses with
    PreviewOutdated when the changes are no longer those the coordinator saw."""
    require(caller, "editor")
    if plan.errors:
        raise ValueError("a plan with errors cannot be written")
    programme = programme.strip()
    if not 1 <= len(programme) <= rules.NAME_MAX:
        raise UserError(programme, key="import.programme_name_invalid")
    if plan.empty:
        raise UserError("no rows", key="import.warning.no_rows")
    now = now or db.utcnow()
    try:

        def write(cur):
            # read again on every try: a retried write sees what the other writer committed
            resolution = changes.resolve(cur, plan, find_programme(cur, programme))
            if expected_fingerprint is not None and resolution.fingerprint() != expected_fingerprint:
                raise PreviewOutdated("changed since the preview")
            return _Writer(cur, caller, plan, file_name, now, on_progress).run(resolution, programme, organisation)

        return in_transaction(con, Target("programme"), write)
    except duckdb.ConstraintException as exc:
        raise UserError(str(exc), key="import.write_failed") from exc
    except ConflictError as exc:
        raise UserError(str(exc), key="import.write_conflict") from exc


class _Writer:
    """The writes of one import, in one open transaction, each remembered as a batch item."""

    def __init__(self, cur, caller: Caller, plan: ImportPlan, file_name: str, now, on_progress):
        self.cur, self.caller, self.plan, self.now = cur, caller, plan, now
        self.file_name = Path(file_name).name
        self.on_progress = on_progress
        self.items: list[imports.BatchItem] = []
        self.result = WriteResult()

    def remember(self, entity: str, entity_id: int, action: str, code=None, before=None, after=None) -> None:
        self.items.append(imports.BatchItem(entity, int(entity_id), action, code, before, after))

    def run(self, resolution: changes.Resolution, programme: str, organisation: str | None) -> WriteResult:
        cur, caller, now, result = self.cur, self.caller, self.now, self.result
        programme_id, org_id = resolution.programme_id, resolution.organisation_id
        if programme_id is None:
            org_id, org_created = _organisation_for_new_programme(cur, caller, programme, organisation, now)
            if org_created:
                self.remember("organisation", org_id, "create")
            programme_id = programmes.insert_programme(cur, caller, org_id, programme, now=now)
            self.remember("programme", programme_id, "create")
            resolution.centres = budget.organisation_cost_centres(cur, org_id)
        result.programme_id = programme_id
        _report(self.on_progress, 0.05, "programme")

        theme_ids = self._themes(resolution, programme_id)
        centre_ids = self._cost_centres(resolution, org_id)
        _report(self.on_progress, 0.1, "themes")
        measure_ids = self._measures(resolution, programme_id, theme_ids)
        self._budget_lines(resolution, measure_ids, centre_ids)
        _report(self.on_progress, 0.9, "budget_lines")

        result.changes = resolution.changes
        result.unchanged = resolution.unchanged
        counts = {
            "rows": self.plan.row_count,
            "created": result.created,
            "updated": result.updated,
            "budget_lines_created": result.budget_lines_created,
            "budget_lines_updated": result.budget_lines_updated,
        }
        if self.items:  # an import that changed nothing leaves nothing to undo
            batch = imports.insert_batch(cur, caller, programme_id, self.file_name, counts, self.items, now=now)
            result.batch_id = batch
        summary = {"file": self.file_name, "batch": result.batch_id, **counts}
        audit.record(cur, caller, "import.run", programme_id, before=None, after=summary, now=now)
        _report(self.on_progress, 1.0, "done")
        return result

    def _themes(self, resolution: changes.Resolution, programme_id: int) -> dict[str, int]:
        """Lower-case theme name -> id, the themes the file names and the programme lacks created."""
        ids = dict(resolution.theme_ids)
        position = self.cur.execute(
            "SELECT coalesce(max(position), 0) FROM themes WHERE programme_id = ?", [programme_id]
        ).fetchone()[0]
        for name in resolution.new_themes:
            position += 1
            ids[name.lower()] = programmes.insert_theme(
                self.cur, self.caller, programme_id, position, name, now=self.now
            )
            self.remember("theme", ids[name.lower()], "create")
        return ids

    def _cost_centres(self, resolution: changes.Resolution, org_id: int) -> dict[str, int]:
        """Cost-centre code -> id; new codes are created, an unnamed one gets the file's name."""
        ids = {code: centre["id"] for code, centre in resolution.centres.items()}
        for code, name in self.plan.cost_centre_names.items():
            if code in ids:
                continue
            ids[code] = budget.insert_cost_centre(self.cur, self.caller, org_id, code, name, now=self.now)
            self.remember("cost_centre", ids[code], "create")
        for centre, name in resolution.centre_names:
            budget.name_cost_centre(self.cur, self.caller, centre, name, now=self.now)
            self.remember("cost_centre", centre["id"], "update", before={"name": None}, after={"name": name})
        return ids

    def _measures(self, resolution: changes.Resolution, programme_id: int, theme_ids: dict[str, int]) -> dict:
        """Measures created and updated, their status events; code -> measure id."""
        cur, caller, now, result = self.cur, self.caller, self.now, self.result
        new_rows = [
            {"code": plan.code, **wanted, "theme_id": theme_ids[plan.fields["theme"].lower()]}
            for plan, wanted in resolution.creates
        ]
        created_ids = measures.insert_measures(cur, caller, programme_id, new_rows, now=now)
        for measure_id, row in zip(created_ids, new_rows, strict=True):
            self.remember("measure", measure_id, "create", row["code"], after={**row, "version": 1})
        result.created = len(new_rows)
        _report(self.on_progress, 0.4, "measures_created")

        changed = []
        for update in resolution.updates:
            wanted = {**update.wanted, "theme_id": theme_ids[update.theme.lower()]}
            changed.append((update.current, wanted))
            old, new = split_changes(update.current, wanted)
            version = update.current["version"] + 1
            self.remember(
                "measure", update.current["id"], "update", update.current["code"], old, {**new, "version": version}
            )
        measures.update_measure_rows(cur, caller, changed, now=now)
        result.updated = len(changed)
        _report(self.on_progress, 0.6, "measures_updated")

        events = [(i, None, row["status"], None, row["progress"]) for i, row in zip(created_ids, new_rows, strict=True)]
        codes = [row["code"] for row in new_rows]
        for current, wanted in changed:
            if (current["status"], current["progress"]) != (wanted["status"], wanted["progress"]):
                events.append(
                    (current["id"], current["status"], wanted["status"], current["progress"], wanted["progress"])
                )
                codes.append(current["code"])
        event_ids = measures.insert_status_events(cur, caller, events, now=now, source=SOURCE_PREFIX + self.file_name)
        for event_id, event, code in zip(event_ids, events, codes, strict=True):
            after = dict(
                zip(("measure_id", "old_status", "new_status", "old_progress", "new_progress"), event, strict=True)
            )
            self.remember("status_event", event_id, "create", code, after=after)
        result.events = len(events)
        _report(self.on_progress, 0.7, "events")

        measure_ids = {code: row["id"] for code, row in resolution.stored.items()}
        measure_ids.update(zip(codes[: len(new_rows)], created_ids, strict=True))
        return measure_ids

    def _budget_lines(self, resolution: changes.Resolution, measure_ids: dict, centre_ids: dict) -> None:
        cur, caller, now, result = self.cur, self.caller, self.now, self.result
        inserts = [
            {
                "measure_id": measure_ids[line.code],
                "year": line.year,
                "cost_centre_id": centre_ids[line.cost_centre],
                "planned_eur": line.planned if line.planned is not None else Decimal("0.00"),
                "actual_eur": line.actual,
            }
            for line in resolution.line_inserts
        ]
        line_ids = budget.insert_budget_lines(cur, caller, inserts, now=now)
        for line_id, line, row in zip(line_ids, resolution.line_inserts, inserts, strict=True):
            self.remember("budget_line", line_id, "create", line.code, after={**row, "version": 1})
        updates = [(update.current, update.wanted) for update in resolution.line_updates]
        budget.update_budget_lines(cur, caller, updates, now=now)
        for update in resolution.line_updates:
            old, new = split_changes(update.current, update.wanted)
            version = update.current["version"] + 1
            self.remember(
                "budget_line", update.current["id"], "update", update.line.code, old, {**new, "version": version}
            )
        result.budget_lines_created = len(inserts)
        result.budget_lines_updated = len(updates)


def resolve(con: duckdb.DuckDBPyConnection, plan: ImportPlan, programme: str) -> changes.Resolution:
    """What writing this clean plan into ``programme`` would change; writes nothing."""
    cur = con.cursor()
    try:
        return changes.resolve(cur, plan, find_programme(cur, programme.strip()))
    finally:
        cur.close()


def preview_counts(con: duckdb.DuckDBPyConnection, plan: ImportPlan, programme: str) -> tuple[int, int]:
    """(created, updated) measures a write of this clean plan would make; writes nothing."""
    resolution = resolve(con, plan, programme)
    return resolution.created, resolution.updated


# --------------------------------------------------------------------------
# the whole import, as the CLI and the benchmark run it


def report(
    plan: ImportPlan | None,
    lang: str,
    *,
    created=0,
    updated=0,
    written=False,
    errors=None,
    found: list[Change] | None = None,
    batch: int | None = None,
) -> dict:
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
        "changes": [change.as_dict() for change in found or []],
        "batch": batch,
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
    """(exit code, report): 0 clean (written unless dry_run or the file has no
    data rows), 1 validation errors and nothing written, 2 the file cannot be
    used at all."""
    try:
        plan = validate(read_table(data, file_name))
    except UnusableFile as exc:
        return 2, report(None, lang, errors=[Problem(None, exc.params.get("column"), exc.key, exc.params)])
    if plan.errors:
        return 1, report(plan, lang)
    if plan.empty:
        return 0, report(plan, lang)
    if dry_run:
        resolution = resolve(con, plan, programme)
        return 0, report(plan, lang, created=resolution.created, updated=resolution.updated, found=resolution.changes)
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
    return 0, report(
        plan,
        lang,
        created=result.created,
        updated=result.updated,
        written=True,
        found=result.changes,
        batch=result.batch_id,
    )


def import_path(
    con: duckdb.DuckDBPyConnection, path: str | Path, programme: str, *, caller: Caller = SYSTEM, **options
) -> tuple[int, dict]:
    """Import the file at ``path`` into ``programme`` (the benchmark's entry point)."""
    try:
        data, name = read.read_path(path)
    except UnusableFile as exc:
        lang = options.get("lang", "fi")
        return 2, report(None, lang, errors=[Problem(None, None, exc.key, exc.params)])
    return import_bytes(con, data, name, programme, caller=caller, **options)


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
