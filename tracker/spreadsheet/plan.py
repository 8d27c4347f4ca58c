"""Step 2 of the import (docs/import-format.md): every cell of a read table
parsed and every rule checked -> an ``ImportPlan`` holding the measures and
budget lines to write and all problems, each as (Excel row, column header,
catalogue key). Reads nothing from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tracker import i18n
from tracker.spreadsheet import cells, sheet_format
from tracker.spreadsheet.read import Table, UnusableFile

# A file with a mistake in every row would otherwise report a million errors:
# each kind (message and column) is listed this many times, then counted.
MAX_PROBLEMS_PER_KIND = 100
# A preview cell shows this much of a long text.
PREVIEW_CELL_CHARS = 200


def _counted(name: str):
    return lambda lang, params: {name: i18n.format_number(params[name], lang)}


# Parameters said in the reader's language: the status words a file may use
# are the catalogue's labels (status.*), never a copy of them; counts and
# limits in the reader's number format (1 999 000).
_IN_LANGUAGE = {
    "import.cell.status_unknown": lambda lang, _params: {"allowed": sheet_format.allowed_status_words(lang)},
    "import.file.too_many_rows": _counted("limit"),
    "import.file.too_many_columns": _counted("limit"),
    "import.file.too_many_cells": _counted("limit"),
    "import.file.too_large": lambda lang, params: {"size": i18n.format_number(params["size"], lang, 1)},
}


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    key: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str) -> str:
        in_language = _IN_LANGUAGE.get(self.key)
        return i18n.t(self.key, lang, **(self.params | (in_language(lang, self.params) if in_language else {})))

    def as_dict(self, lang: str) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message(lang)}


class _Problems:
    """Problems as they are found: the first ``MAX_PROBLEMS_PER_KIND`` of each
    kind kept, the rest counted and said in one line per kind at the end."""

    def __init__(self, more_key: str):
        self.more_key = more_key
        self.kept: list[Problem] = []
        self.per_kind: dict[tuple[str, str | None], int] = {}

    def add(self, problem: Problem) -> None:
        kind = (problem.key, problem.column)
        seen = self.per_kind.get(kind, 0)
        self.per_kind[kind] = seen + 1
        if seen < MAX_PROBLEMS_PER_KIND:
            self.kept.append(problem)

    def listed(self, order: dict[str, int]) -> list[Problem]:
        """The kept problems by row and column, then a line for each kind that had more."""
        problems = sorted(self.kept, key=lambda p: (p.row or 0, order.get(p.column, -1)))
        for (_key, column), count in self.per_kind.items():
            if count > MAX_PROBLEMS_PER_KIND:
                more = count - MAX_PROBLEMS_PER_KIND
                problems.append(Problem(None, column, self.more_key, {"count": more}))
        return problems

    @property
    def total(self) -> int:
        return sum(self.per_kind.values())


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
    error_count: int = 0  # all errors found, also those only counted in a "more of the same" line

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def empty(self) -> bool:
        """The file has a header and no data rows: there is nothing to import."""
        return self.row_count == 0

    def bad_cells(self) -> set[tuple[int, str]]:
        """(row, column header) of every cell an error names, for the preview."""
        return {(p.row, p.column) for p in self.errors if p.row is not None and p.column is not None}


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


class _Checker:
    """Goes through the rows once, collecting measures, budget lines and problems."""

    def __init__(self, table: Table, columns: dict[str, int]):
        self.columns = columns
        self.header_of = {key: table.headers[index] for key, index in columns.items()}
        self.headers = [h or f"({index + 1})" for index, h in enumerate(table.headers)]
        self.parsers = [(key, index, cells.PARSERS[key]) for key, index in columns.items()]
        self.errors = _Problems("import.more_errors")
        self.warnings = _Problems("import.more_warnings")
        self.measures: dict[str, PlannedMeasure] = {}
        self.failed: dict[str, set[str]] = {}
        self.budget_lines: list[PlannedBudgetLine] = []
        self.seen_lines: dict[tuple[str, int, str], int] = {}
        self.cost_centre_names: dict[str, str | None] = {}
        self.cost_centre_rows: dict[str, int] = {}
        self.row_count = 0

    def error(self, row: int, key: str, message: str, params: dict | None = None) -> None:
        """A problem in the column of ``key`` (a column the file has)."""
        self.errors.add(Problem(row, self.header_of[key], message, params or {}))

    def _column_name(self, index: int) -> str:
        return self.headers[index] if index < len(self.headers) else f"({index + 1})"

    def _bad_cells(self, row_number: int, raw: list) -> tuple[list, set[int]]:
        """The row with each BadCell reported (any column, known or not) and emptied, and their indexes."""
        if not any(isinstance(value, cells.BadCell) for value in raw):
            return raw, set()
        clean, bad = [], set()
        for index, value in enumerate(raw):
            if isinstance(value, cells.BadCell):
                self.errors.add(Problem(row_number, self._column_name(index), value.key, value.params))
                bad.add(index)
                value = None
            clean.append(value)
        return clean, bad

    def row(self, row_number: int, raw: list) -> None:
        if all(cells.is_empty(value) for value in raw):
            return
        self.row_count += 1
        raw, bad_indexes = self._bad_cells(row_number, raw)
        parsed, bad = self._parse(row_number, raw, bad_indexes)
        code = parsed.get("code")
        if code is None:
            if "code" not in bad:
                self.error(row_number, "code", "import.row.code_missing")
            return
        self._merge_measure(row_number, code, parsed, bad)
        self._check_money(row_number, parsed, bad)
        if parsed.get("cost_centre") is not None:
            self._note_cost_centre(row_number, *parsed["cost_centre"])
        if parsed.get("year") is not None and parsed.get("cost_centre") is not None:
            if not bad & set(sheet_format.BUDGET_KEYS):
                self._add_line(row_number, code, parsed)

    def _parse(self, row_number: int, raw: list, bad_indexes: set[int]) -> tuple[dict, set[str]]:
        parsed: dict = {}
        bad: set[str] = set()
        for key, index, parse in self.parsers:
            if index in bad_indexes:
                bad.add(key)
                continue
            value = raw[index] if index < len(raw) else None
            try:
                parsed[key] = parse(value)
            except cells.CellError as exc:
                bad.add(key)
                self.error(row_number, key, exc.key, exc.params)
        if parsed.get("progress") is not None:
            index = self.columns["progress"]
            exact = cells.progress_fraction(raw[index] if index < len(raw) else None)
            if exact is not None:
                params = {"value": str(exact).replace(".", ","), "rounded": parsed["progress"]}
                self.warnings.add(
                    Problem(row_number, self.header_of["progress"], "import.warning.progress_rounded", params)
                )
        return parsed, bad

    def _merge_measure(self, row_number: int, code: str, parsed: dict, bad: set[str]) -> None:
        """A measure's fields come from the first row that has them; a different value later is an error."""
        measure = self.measures.get(code)
        if measure is None:
            measure = self.measures[code] = PlannedMeasure(code, row_number)
        self.failed.setdefault(code, set()).update(bad & set(sheet_format.MEASURE_KEYS))
        for key in sheet_format.MEASURE_KEYS:
            value = parsed.get(key)
            if value is None:
                continue
            if key not in measure.fields:
                measure.fields[key] = value
                measure.field_rows[key] = row_number
            elif measure.fields[key] != value:
                self.error(row_number, key, "import.row.conflict", {"code": code, "row": measure.field_rows[key]})

    def _check_money(self, row_number: int, parsed: dict, bad: set[str]) -> None:
        """Money needs a year; a year needs a cost centre."""
        year, centre = parsed.get("year"), parsed.get("cost_centre")
        has_money = parsed.get("planned") is not None or parsed.get("actual") is not None
        if year is None and "year" not in bad and (has_money or (centre is not None and "year" in self.columns)):
            column = next(k for k in ("year", "planned", "actual") if k in self.header_of)
            self.error(row_number, column, "import.row.year_missing")
        if year is not None and centre is None and "cost_centre" not in bad:
            self.error(
                row_number,
                "cost_centre" if "cost_centre" in self.header_of else "year",
                "import.row.cost_centre_missing",
            )

    def _note_cost_centre(self, row_number: int, code: str, name: str | None) -> None:
        known = self.cost_centre_names.get(code)
        if name and known and known != name:
            self.error(
                row_number,
                "cost_centre",
                "import.row.cost_centre_conflict",
                {"code": code, "row": self.cost_centre_rows[code]},
            )
        elif name or code not in self.cost_centre_names:
            self.cost_centre_names[code] = name or known
            self.cost_centre_rows.setdefault(code, row_number)

    def _add_line(self, row_number: int, code: str, parsed: dict) -> None:
        year, centre = parsed["year"], parsed["cost_centre"][0]
        first = self.seen_lines.get((code, year, centre))
        if first is not None:
            params = {"code": code, "year": year, "cost_centre": centre, "row": first}
            self.error(row_number, "year", "import.row.duplicate_budget_line", params)
            return
        self.seen_lines[(code, year, centre)] = row_number
        self.budget_lines.append(
            PlannedBudgetLine(code, row_number, year, centre, parsed.get("planned"), parsed.get("actual"))
        )

    def finish(self) -> None:
        """The rules about a whole measure: its required fields, its dates in order."""
        for code, measure in self.measures.items():
            for key in ("theme", "title", "status"):
                if key not in measure.fields and key not in self.failed[code]:
                    self.error(measure.first_row, key, "import.row.required", {"code": code})
            start, end = measure.fields.get("start"), measure.fields.get("end")
            if start and end and end < start:
                self.error(measure.field_rows["end"], "end", "import.row.end_before_start")


def validate(table: Table) -> ImportPlan:
    """Parse every cell and check every rule; all problems are collected."""
    columns, warnings = map_columns(table.headers)
    checker = _Checker(table, columns)
    for row_number, raw in table.rows:
        checker.row(row_number, raw)
    checker.finish()
    order = {name: index for index, name in enumerate(checker.headers)}
    warnings += checker.warnings.listed(order)
    if checker.row_count == 0:
        warnings.append(Problem(None, None, "import.warning.no_rows"))
    return ImportPlan(
        table,
        columns,
        checker.measures,
        checker.budget_lines,
        checker.cost_centre_names,
        checker.errors.listed(order),
        warnings,
        checker.row_count,
        checker.errors.total,
    )


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
                shown = cells.text(value) or ""
            except cells.CellError:
                shown = str(value)
            texts.append(shown if len(shown) <= PREVIEW_CELL_CHARS else shown[:PREVIEW_CELL_CHARS] + "…")
        numbers.append(number)
        values.append(texts)
        marks.append([(number, headers[index]) in bad for index in range(len(headers))])
    return numbers, headers, values, marks
