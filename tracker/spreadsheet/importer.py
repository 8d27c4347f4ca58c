"""Import the measures spreadsheet (../shared/IMPORT_FORMAT.md).

Three steps, each usable on its own:

1. ``read_table(data, file_name)``: .csv or .xlsx bytes -> header and raw rows
   (raises ``UnusableFile`` when the file cannot be used at all);
2. ``validate(table)``: every cell parsed and every rule checked -> ``ImportPlan``
   holding all problems, each as (Excel row, column header, catalogue key);
3. ``write(con, caller, plan, programme)``: a clean plan written in ONE
   transaction with bulk inserts, status events and audit rows.

``import_bytes``/``import_path`` do all three and return the report the CLI
prints as JSON; ``import_path`` is also what the benchmark times.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from tracker import db, i18n
from tracker.auth import SYSTEM, Caller, require
from tracker.errors import UserError
from tracker.spreadsheet import cells, sheet_format

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SOURCE_PREFIX = "import:"
ProgressCallback = Callable[[float, str], None]


class UnusableFile(UserError):
    """The file cannot be used at all (exit code 2): unreadable, not a table,
    or a required column missing."""

    key = "import.file.unreadable"


@dataclass
class Table:
    headers: list[str]
    # (row number as Excel shows it, raw cell values in header order)
    rows: list[tuple[int, list]]


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    key: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str) -> str:
        return i18n.t(self.key, lang, **self.params)

    def as_dict(self, lang: str) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message(lang)}


@dataclass
class PlannedMeasure:
    code: str
    first_row: int
    fields: dict = field(default_factory=dict)
    field_rows: dict = field(default_factory=dict)


@dataclass
class PlannedBudgetLine:
    code: str
    row: int
    year: int
    cost_centre: str
    planned: Decimal | None
    actual: Decimal | None


@dataclass
class ImportPlan:
    table: Table
    columns: dict[str, int]  # key -> index in the file
    measures: dict[str, PlannedMeasure]
    budget_lines: list[PlannedBudgetLine]
    cost_centre_names: dict[str, str | None]
    errors: list[Problem]
    warnings: list[Problem]
    row_count: int

    @property
    def ok(self) -> bool:
        return not self.errors

    def bad_cells(self) -> set[tuple[int, str]]:
        """(row, column header) of every cell an error names, for the preview."""
        return {(p.row, p.column) for p in self.errors if p.row is not None and p.column is not None}


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    budget_lines_created: int = 0
    budget_lines_updated: int = 0
    events: int = 0
    programme_id: int | None = None


# --------------------------------------------------------------------------
# 1. reading the file


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; Latin-1 reads them as C1 controls.
        return data.decode("latin-1")


def _detect_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    best, best_count = ";", 1
    for delimiter in (";", "\t", ","):
        try:
            count = len(next(csv.reader([first_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise UnusableFile("binary file", key="import.file.not_a_table")
    delimiter = _detect_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnusableFile(str(exc), key="import.file.not_a_table") from exc
    if not records:
        raise UnusableFile("empty file", key="import.file.empty")
    header, *rest = records
    return Table([h.strip() for h in header], [(number, row) for number, row in enumerate(rest, start=2)])


def _cell_value(cell):
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return cells.Percent(float(value))
    return value


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UnusableFile(str(exc), key="import.file.unreadable") from exc
    try:
        wanted = {name.lower() for name in sheet_format.SHEET_NAMES.values()}
        sheet = next((s for s in book.worksheets if s.title.strip().lower() in wanted), None)
        if sheet is None:
            if not book.worksheets:
                raise UnusableFile("no sheets", key="import.file.not_a_table")
            sheet = book.worksheets[0]
        rows = []
        header: list[str] | None = None
        for number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
            values = [_cell_value(c) for c in row]
            if header is None:
                header = ["" if v is None else str(cells.text(v) or "") for v in values]
                continue
            rows.append((number, values))
        if header is None:
            raise UnusableFile("empty sheet", key="import.file.empty")
        return Table(header, rows)
    except cells.CellError as exc:
        raise UnusableFile(str(exc), key="import.file.not_a_table") from exc
    finally:
        book.close()


def read_table(data: bytes, file_name: str = "") -> Table:
    """The header and rows of a .csv or .xlsx file given as bytes."""
    if not data:
        raise UnusableFile("empty file", key="import.file.empty")
    if data.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise UnusableFile("broken zip", key="import.file.unreadable")
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or file_name.lower().endswith(".xls"):
        raise UnusableFile("old Excel format", key="import.file.old_excel")
    return _read_csv(data)


# --------------------------------------------------------------------------
# 2. validation


def _normalise_header(name: str) -> str:
    folded = " ".join(str(name).lower().split())
    return folded.removesuffix("%").removesuffix("€").removesuffix("(€)").strip()


_HEADER_KEYS = {_normalise_header(h): key for key, names in sheet_format.COLUMNS.items() for h in names}


def map_columns(headers: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """key -> column index; warnings for unknown columns. Raises UnusableFile
    when a required column is missing or a column appears twice."""
    columns: dict[str, int] = {}
    warnings = []
    for index, name in enumerate(headers):
        if not str(name).strip():
            continue
        key = _HEADER_KEYS.get(_normalise_header(name))
        if key is None:
            warnings.append(Problem(1, name, "import.warning.unknown_column", {"column": name}))
            continue
        if key in columns:
            raise UnusableFile(name, key="import.file.duplicate_column", column=name)
        columns[key] = index
    missing = [key for key in sheet_format.REQUIRED_COLUMNS if key not in columns]
    if missing:
        names = ", ".join(sheet_format.header(key, "fi") for key in missing)
        raise UnusableFile(names, key="import.file.missing_columns", columns=names)
    return columns, warnings


def validate(table: Table) -> ImportPlan:
    """Parse every cell and check every rule; all problems are collected."""
    columns, warnings = map_columns(table.headers)
    header_of = {key: table.headers[index] for key, index in columns.items()}
    errors: list[Problem] = []
    measures: dict[str, PlannedMeasure] = {}
    failed: dict[str, set[str]] = {}
    budget_lines: list[PlannedBudgetLine] = []
    seen_lines: dict[tuple[str, int, str], int] = {}
    cost_centre_names: dict[str, str | None] = {}
    cost_centre_rows: dict[str, int] = {}
    row_count = 0
    parsers = [(key, index, cells.PARSERS[key]) for key, index in columns.items()]

    for row_number, raw in table.rows:
        if all(cells.is_empty(value) for value in raw):
            continue
        row_count += 1
        parsed: dict = {}
        bad: set[str] = set()
        for key, index, parse in parsers:
            value = raw[index] if index < len(raw) else None
            try:
                parsed[key] = parse(value)
            except cells.CellError as exc:
                bad.add(key)
                errors.append(Problem(row_number, header_of[key], exc.key, exc.params))
        measure_code = parsed.get("code")
        if measure_code is None:
            if "code" not in bad:
                errors.append(Problem(row_number, header_of["code"], "import.row.code_missing"))
            continue
        measure = measures.get(measure_code)
        if measure is None:
            measure = measures[measure_code] = PlannedMeasure(measure_code, row_number)
        failed.setdefault(measure_code, set()).update(bad & set(sheet_format.MEASURE_KEYS))
        for key in sheet_format.MEASURE_KEYS:
            value = parsed.get(key)
            if value is None:
                continue
            if key not in measure.fields:
                measure.fields[key] = value
                measure.field_rows[key] = row_number
            elif measure.fields[key] != value:
                errors.append(
                    Problem(
                        row_number,
                        header_of[key],
                        "import.row.conflict",
                        {"code": measure_code, "row": measure.field_rows[key]},
                    )
                )

        line_year = parsed.get("year")
        centre = parsed.get("cost_centre")
        has_money = parsed.get("planned") is not None or parsed.get("actual") is not None
        if line_year is None and "year" not in bad and (has_money or (centre is not None and "year" in columns)):
            column = header_of.get("year") or header_of.get("planned") or header_of.get("actual")
            errors.append(Problem(row_number, column, "import.row.year_missing"))
        if line_year is not None and centre is None and "cost_centre" not in bad:
            column = header_of.get("cost_centre") or header_of["year"]
            errors.append(Problem(row_number, column, "import.row.cost_centre_missing"))
        if centre is not None:
            centre_code, centre_name = centre
            known = cost_centre_names.get(centre_code)
            if centre_name and known and known != centre_name:
                errors.append(
                    Problem(
                        row_number,
                        header_of["cost_centre"],
                        "import.row.cost_centre_conflict",
                        {"code": centre_code, "row": cost_centre_rows[centre_code]},
                    )
                )
            elif centre_name or centre_code not in cost_centre_names:
                cost_centre_names[centre_code] = centre_name or known
                cost_centre_rows.setdefault(centre_code, row_number)
        if line_year is not None and centre is not None and not bad & set(sheet_format.BUDGET_KEYS):
            line_key = (measure_code, line_year, centre[0])
            if line_key in seen_lines:
                errors.append(
                    Problem(
                        row_number,
                        header_of["year"],
                        "import.row.duplicate_budget_line",
                        {
                            "code": measure_code,
                            "year": line_year,
                            "cost_centre": centre[0],
                            "row": seen_lines[line_key],
                        },
                    )
                )
            else:
                seen_lines[line_key] = row_number
                budget_lines.append(
                    PlannedBudgetLine(
                        measure_code, row_number, line_year, centre[0], parsed.get("planned"), parsed.get("actual")
                    )
                )

    for measure_code, measure in measures.items():
        for key in ("theme", "title", "status"):
            if key not in measure.fields and key not in failed[measure_code]:
                errors.append(Problem(measure.first_row, header_of[key], "import.row.required", {"code": measure_code}))
        start, end = measure.fields.get("start"), measure.fields.get("end")
        if start and end and end < start:
            errors.append(Problem(measure.field_rows["end"], header_of["end"], "import.row.end_before_start"))

    order = {name: index for index, name in enumerate(table.headers)}
    errors.sort(key=lambda p: (p.row or 0, order.get(p.column, -1)))
    return ImportPlan(table, columns, measures, budget_lines, cost_centre_names, errors, warnings, row_count)


# --------------------------------------------------------------------------
# 3. writing


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
    org_id = cur.execute("INSERT INTO organisations (name) VALUES (?) RETURNING id", [name]).fetchone()[0]
    _audit_rows(cur, caller, now, [("import_create", "organisation", org_id, None, None, {"name": name})])
    return org_id


def _json(value) -> str | None:
    if value is None:
        return None

    def default(item):
        if isinstance(item, (date, datetime)):
            return item.isoformat()
        if isinstance(item, Decimal):
            return str(item)
        raise TypeError(type(item).__name__)

    return json.dumps(value, default=default, ensure_ascii=False)


def _audit_rows(cur, caller: Caller, now: datetime, rows: list[tuple]) -> None:
    """Bulk audit rows: (action, entity, entity_id, measure_id, before, after)."""
    if not rows:
        return
    frame = pa.table(
        {
            "action": pa.array([r[0] for r in rows], pa.string()),
            "entity": pa.array([r[1] for r in rows], pa.string()),
            "entity_id": pa.array([None if r[2] is None else str(r[2]) for r in rows], pa.string()),
            "measure_id": pa.array([r[3] for r in rows], pa.int32()),
            "before": pa.array([_json(r[4]) for r in rows], pa.string()),
            "after": pa.array([_json(r[5]) for r in rows], pa.string()),
        }
    )
    _bulk(
        cur,
        frame,
        "INSERT INTO audit_log (occurred_at, actor, action, entity, entity_id, measure_id, before, after)"
        " SELECT $now, $actor, action, entity, entity_id, measure_id, before::JSON, after::JSON FROM staged",
        now=now,
        actor=caller.actor,
    )


def _bulk(cur, frame: pa.Table, sql: str, **params):
    """Run ``sql`` reading the Arrow table as ``staged``; return the fetched rows."""
    if frame.num_rows == 0:
        return []
    cur.register("staged", frame)
    try:
        result = cur.execute(sql, params) if params else cur.execute(sql)
        return result.fetchall() if "RETURNING" in sql else []
    finally:
        cur.unregister("staged")


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
_ARROW_TYPES = {
    "theme_id": pa.int32(),
    "title_fi": pa.string(),
    "description_fi": pa.string(),
    "responsible_unit": pa.string(),
    "status": pa.string(),
    "progress": pa.int32(),
    "start_date": pa.date32(),
    "end_date": pa.date32(),
    "is_continuous": pa.bool_(),
    "is_published": pa.bool_(),
}
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


def _theme_ids(cur, plan: ImportPlan, programme_id: int, new_codes: set[str], audit: list) -> dict[str, int]:
    existing = cur.execute(
        "SELECT id, position, name_fi, name_sv, name_en FROM themes WHERE programme_id = ? ORDER BY position",
        [programme_id],
    ).fetchall()
    ids: dict[str, int] = {}
    for theme_id, _position, *names in existing:
        for name in names:
            if name:
                ids.setdefault(name.strip().lower(), theme_id)
    position = max((row[1] for row in existing), default=0)
    for measure in plan.measures.values():
        name = measure.fields["theme"]
        if measure.code not in new_codes or name.lower() in ids:
            continue
        position += 1
        theme_id = cur.execute(
            "INSERT INTO themes (programme_id, position, name_fi) VALUES (?, ?, ?) RETURNING id",
            [programme_id, position, name],
        ).fetchone()[0]
        ids[name.lower()] = theme_id
        audit.append(("import_create", "theme", theme_id, None, None, {"name_fi": name, "position": position}))
    return ids


def _cost_centre_ids(cur, plan: ImportPlan, org_id: int, audit: list) -> dict[str, int]:
    ids = dict(cur.execute("SELECT code, id FROM cost_centres WHERE organisation_id = ?", [org_id]).fetchall())
    unnamed = {
        code
        for (code,) in cur.execute(
            "SELECT code FROM cost_centres WHERE organisation_id = ? AND name IS NULL", [org_id]
        ).fetchall()
    }
    for code, name in plan.cost_centre_names.items():
        if code in ids:
            if code in unnamed and name:
                cur.execute("UPDATE cost_centres SET name = ? WHERE id = ?", [name, ids[code]])
                audit.append(("import_update", "cost_centre", ids[code], None, {"name": None}, {"name": name}))
            continue
        ids[code] = cur.execute(
            "INSERT INTO cost_centres (organisation_id, code, name) VALUES (?, ?, ?) RETURNING id", [org_id, code, name]
        ).fetchone()[0]
        audit.append(("import_create", "cost_centre", ids[code], None, None, {"code": code, "name": name}))
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
    if not 1 <= len(programme) <= 200:
        raise UserError(programme, key="import.programme_name_invalid")
    now = now or db.utcnow()
    source = SOURCE_PREFIX + Path(file_name).name
    result = WriteResult()
    audit: list[tuple] = []
    try:
        with db.transaction(con) as cur:
            found = find_programme(cur, programme)
            if found is None:
                org_id = _organisation_for_new_programme(cur, caller, programme, organisation, now)
                programme_id = cur.execute(
                    "INSERT INTO programmes (organisation_id, name, is_default)"
                    " VALUES (?, ?, NOT EXISTS (SELECT 1 FROM programmes)) RETURNING id",
                    [org_id, programme],
                ).fetchone()[0]
                audit.append(("import_create", "programme", programme_id, None, None, {"name": programme}))
            else:
                programme_id, org_id = found
            result.programme_id = programme_id
            _report(on_progress, 0.05, "programme")

            stored = {
                row[1]: dict(zip(("id", "code", *_MEASURE_COLUMNS, "version"), row, strict=True))
                for row in cur.execute(
                    f"SELECT id, code, {', '.join(_MEASURE_COLUMNS)}, version FROM measures"  # noqa: S608
                    " WHERE programme_id = ?",
                    [programme_id],
                ).fetchall()
            }
            theme_ids = _theme_ids(cur, plan, programme_id, set(plan.measures) - set(stored), audit)
            centre_ids = _cost_centre_ids(cur, plan, org_id, audit)
            _report(on_progress, 0.1, "themes")

            new_rows, changed_rows, events = [], [], []
            for measure in plan.measures.values():
                current = stored.get(measure.code)
                theme_id = theme_ids.get(measure.fields["theme"].lower())
                wanted = _desired(measure, plan.columns, current, theme_id)
                if current is None:
                    new_rows.append((measure.code, wanted))
                    continue
                changes = {k: (current[k], v) for k, v in wanted.items() if current[k] != v}
                if not changes:
                    result.unchanged += 1
                    continue
                changed_rows.append((current, wanted, changes))

            created_ids = {}
            if new_rows:
                frame = pa.table(
                    {
                        "code": pa.array([code for code, _ in new_rows], pa.string()),
                        **{
                            column: pa.array([row[column] for _, row in new_rows], _ARROW_TYPES[column])
                            for column in _MEASURE_COLUMNS
                        },
                    }
                )
                columns = ", ".join(_MEASURE_COLUMNS)
                created_ids = dict(
                    _bulk(
                        cur,
                        frame,
                        f"INSERT INTO measures (programme_id, code, {columns}, created_at, updated_at, version)"  # noqa: S608
                        f" SELECT $programme_id, code, {columns}, $now, $now, 1 FROM staged RETURNING code, id",
                        programme_id=programme_id,
                        now=now,
                    )
                )
                for code, row in new_rows:
                    measure_id = created_ids[code]
                    events.append((measure_id, None, row["status"], None, row["progress"]))
                    audit.append(("import_create", "measure", measure_id, measure_id, None, {"code": code, **row}))
            result.created = len(new_rows)
            _report(on_progress, 0.4, "measures_created")

            if changed_rows:
                frame = pa.table(
                    {
                        "id": pa.array([current["id"] for current, _, _ in changed_rows], pa.int32()),
                        **{
                            column: pa.array([wanted[column] for _, wanted, _ in changed_rows], _ARROW_TYPES[column])
                            for column in _MEASURE_COLUMNS
                        },
                    }
                )
                assignments = ", ".join(f"{column} = staged.{column}" for column in _MEASURE_COLUMNS)
                _bulk(
                    cur,
                    frame,
                    f"UPDATE measures SET {assignments}, updated_at = $now, version = measures.version + 1"  # noqa: S608
                    " FROM staged WHERE measures.id = staged.id",
                    now=now,
                )
                for current, wanted, changes in changed_rows:
                    if "status" in changes or "progress" in changes:
                        events.append(
                            (
                                current["id"],
                                current["status"],
                                wanted["status"],
                                current["progress"],
                                wanted["progress"],
                            )
                        )
                    audit.append(
                        (
                            "import_update",
                            "measure",
                            current["id"],
                            current["id"],
                            {k: old for k, (old, _) in changes.items()} | {"version": current["version"]},
                            {k: new for k, (_, new) in changes.items()} | {"version": current["version"] + 1},
                        )
                    )
            result.updated = len(changed_rows)
            _report(on_progress, 0.6, "measures_updated")

            if events:
                frame = pa.table(
                    {
                        "measure_id": pa.array([e[0] for e in events], pa.int32()),
                        "old_status": pa.array([e[1] for e in events], pa.string()),
                        "new_status": pa.array([e[2] for e in events], pa.string()),
                        "old_progress": pa.array([e[3] for e in events], pa.int32()),
                        "new_progress": pa.array([e[4] for e in events], pa.int32()),
                    }
                )
                _bulk(
                    cur,
                    frame,
                    "INSERT INTO status_events (measure_id, occurred_at, actor, source, old_status, new_status,"
                    " old_progress, new_progress, note_is_public) SELECT measure_id, $now, $actor, $source,"
                    " old_status, new_status, old_progress, new_progress, true FROM staged",
                    now=now,
                    actor=caller.actor,
                    source=source,
                )
            result.events = len(events)
            _report(on_progress, 0.7, "events")

            measure_ids = {code: row["id"] for code, row in stored.items()} | created_ids
            _write_budget_lines(cur, plan, programme_id, measure_ids, centre_ids, now, audit, result)
            _report(on_progress, 0.9, "budget_lines")

            audit.append(
                (
                    "import",
                    "programme",
                    programme_id,
                    None,
                    None,
                    {
                        "file": Path(file_name).name,
                        "rows": plan.row_count,
                        "created": result.created,
                        "updated": result.updated,
                        "budget_lines_created": result.budget_lines_created,
                        "budget_lines_updated": result.budget_lines_updated,
                    },
                )
            )
            _audit_rows(cur, caller, now, audit)
            _report(on_progress, 1.0, "done")
    except duckdb.ConstraintException as exc:
        raise UserError(str(exc), key="import.write_failed") from exc
    except duckdb.TransactionException as exc:
        raise UserError(str(exc), key="import.write_conflict") from exc
    return result


def _write_budget_lines(cur, plan, programme_id, measure_ids, centre_ids, now, audit, result) -> None:
    stored = {
        (row[1], row[2], row[3]): row
        for row in cur.execute(
            "SELECT b.id, b.measure_id, b.year, b.cost_centre_id, b.planned_eur, b.actual_eur, b.version"
            " FROM budget_lines AS b JOIN measures AS m ON m.id = b.measure_id WHERE m.programme_id = ?",
            [programme_id],
        ).fetchall()
    }
    inserts, updates = [], []
    for line in plan.budget_lines:
        measure_id, centre_id = measure_ids[line.code], centre_ids[line.cost_centre]
        planned = line.planned if line.planned is not None else Decimal("0.00")
        current = stored.get((measure_id, line.year, centre_id))
        if current is None:
            inserts.append((measure_id, line.year, centre_id, planned, line.actual))
        elif (current[4], current[5]) != (planned, line.actual):
            updates.append((current, planned, line.actual))
    money = pa.decimal128(14, 2)
    if inserts:
        frame = pa.table(
            {
                "measure_id": pa.array([r[0] for r in inserts], pa.int32()),
                "year": pa.array([r[1] for r in inserts], pa.int32()),
                "cost_centre_id": pa.array([r[2] for r in inserts], pa.int32()),
                "planned_eur": pa.array([r[3] for r in inserts], money),
                "actual_eur": pa.array([r[4] for r in inserts], money),
            }
        )
        rows = _bulk(
            cur,
            frame,
            "INSERT INTO budget_lines (measure_id, year, cost_centre_id, planned_eur, actual_eur, updated_at)"
            " SELECT measure_id, year, cost_centre_id, planned_eur, actual_eur, $now FROM staged"
            " RETURNING id, measure_id, year, cost_centre_id, planned_eur, actual_eur",
            now=now,
        )
        audit.extend(
            ("import_create", "budget_line", r[0], r[1], None, {"year": r[2], "planned_eur": r[4], "actual_eur": r[5]})
            for r in rows
        )
    if updates:
        frame = pa.table(
            {
                "id": pa.array([c[0] for c, _, _ in updates], pa.int32()),
                "planned_eur": pa.array([p for _, p, _ in updates], money),
                "actual_eur": pa.array([a for _, _, a in updates], money),
            }
        )
        _bulk(
            cur,
            frame,
            "UPDATE budget_lines SET planned_eur = staged.planned_eur, actual_eur = staged.actual_eur,"
            " updated_at = $now, version = budget_lines.version + 1 FROM staged WHERE budget_lines.id = staged.id",
            now=now,
        )
        audit.extend(
            (
                "import_update",
                "budget_line",
                c[0],
                c[1],
                {"planned_eur": c[4], "actual_eur": c[5], "version": c[6]},
                {"planned_eur": p, "actual_eur": a, "version": c[6] + 1},
            )
            for c, p, a in updates
        )
    result.budget_lines_created = len(inserts)
    result.budget_lines_updated = len(updates)


def preview_counts(con: duckdb.DuckDBPyConnection, plan: ImportPlan, programme: str) -> tuple[int, int]:
    """(created, updated) measures a write of this clean plan would make; writes nothing."""
    cur = con.cursor()
    try:
        found = find_programme(cur, programme.strip())
        if found is None:
            return len(plan.measures), 0
        themes = {}
        for theme_id, *names in cur.execute(
            "SELECT id, name_fi, name_sv, name_en FROM themes WHERE programme_id = ?", [found[0]]
        ).fetchall():
            themes.update({name.strip().lower(): theme_id for name in names if name})
        stored = {
            row[0]: dict(zip(("code", *_MEASURE_COLUMNS), row, strict=True))
            for row in cur.execute(
                f"SELECT code, {', '.join(_MEASURE_COLUMNS)} FROM measures WHERE programme_id = ?",  # noqa: S608
                [found[0]],
            ).fetchall()
        }
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
    """The JSON report of IMPORT_FORMAT.md."""
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
    statuses = [sheet_format.status_label(code, "fi") for code in sheet_format.STATUS_LABELS]
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


def preview(plan: ImportPlan, limit: int = 1000) -> tuple[list[int], list[str], list[list[str]], list[list[bool]]]:
    """The file's first ``limit`` non-empty rows as display text for a preview:
    (Excel row numbers, headers, cells, which cells an error names)."""
    bad = plan.bad_cells()
    headers = [h or f"({index + 1})" for index, h in enumerate(plan.table.headers)]
    numbers, values, marks = [], [], []
    for number, raw in plan.table.rows:
        if all(cells.is_empty(value) for value in raw):
            continue
        if len(numbers) >= limit:
            break
        texts = []
        for index in range(len(headers)):
            value = raw[index] if index < len(raw) else None
            try:
                texts.append(cells.text(value) or "")
            except cells.CellError:
                texts.append(str(value)[:200])
        numbers.append(number)
        values.append(texts)
        marks.append([(number, plan.table.headers[index]) in bad for index in range(len(headers))])
    return numbers, headers, values, marks
