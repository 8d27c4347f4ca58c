"""An indicator's values from a CSV or .xlsx file in the measures spreadsheet's
conventions (docs/indicators.md): the same reader and cell parsers
(tracker/spreadsheet/), headers in Finnish, Swedish or English, Finnish numbers
(1 200,5), every problem by row and column, nothing written unless the whole
file is clean.

Columns: Vuosi/År/Year and Arvo/Värde/Value always; Kuukausi/Månad/Month for a
monthly indicator; Erittely/Indelning/Breakdown (or Sektori/Sektor/Sector,
Alue/Område/Area) for one with a breakdown; Ennakkotieto/Preliminär/Preliminary
optionally. A value already stored for the same year, month and category is
replaced; the others are kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from tracker import i18n, rules
from tracker.errors import ValidationError
from tracker.spreadsheet import cells
from tracker.spreadsheet.exporter import neutralise
from tracker.spreadsheet.plan import Problem
from tracker.spreadsheet.read import UnusableFile, read_table
from tracker.write.indicators import ValueKey, clean_value

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Column key -> its (fi, sv, en) header, in the template's order: the catalogue's
# indicator_sheet.column.<key> (tracker/messages/indicator_sheet.toml).
COLUMNS: dict[str, tuple[str, ...]] = {
    "year": i18n.in_every_language("indicator_sheet.column.year"),
    "month": i18n.in_every_language("indicator_sheet.column.month"),
    "sector": i18n.in_every_language("indicator_sheet.column.sector"),
    "value": i18n.in_every_language("indicator_sheet.column.value"),
    "preliminary": i18n.in_every_language("indicator_sheet.column.preliminary"),
}
# Headers files use for a breakdown besides the template's: a sector or an area.
BREAKDOWN_HEADERS = ("Sektori", "Sektor", "Sector", "Alue", "Område", "Area")
_HEADER_KEYS = {
    name.strip().lower(): key
    for key, names in {**COLUMNS, "sector": COLUMNS["sector"] + BREAKDOWN_HEADERS}.items()
    for name in names
}
_PARSERS = {
    "year": cells.year,
    "month": cells.number,
    "sector": lambda value: cells.text(value, rules.NAME_MAX),
    "value": cells.number,
    "preliminary": cells.flag,
}


@dataclass
class ValuesPlan:
    """The file's values by key, every problem, and its rows for a preview."""

    values: dict[ValueKey, dict] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    row_count: int = 0
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list]] = field(default_factory=list)


def wanted_columns(indicator: dict) -> list[str]:
    """The columns a file for this indicator needs, in the template's order."""
    keys = ["year"]
    if indicator["frequency"] == "monthly":
        keys.append("month")
    if indicator["breakdown"]:
        keys.append("sector")
    return [*keys, "value", "preliminary"]


def header(key: str, lang: str) -> str:
    """The column's header in ``lang``, as the template writes it."""
    return COLUMNS[key][i18n.LANGUAGES.index(lang)]


def template(indicator: dict, lang: str) -> bytes:
    """An empty CSV with the columns this indicator needs, in ``lang`` (;-separated, UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(header(key, lang)) for key in wanted_columns(indicator)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_values(data: bytes, file_name: str, indicator: dict) -> ValuesPlan:
    """Every row parsed and checked against the indicator's rules. Raises UnusableFile
    when the file cannot be used at all (unreadable, too large, a needed column missing)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnusableFile("too large", key="syke.file.too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    table = read_table(data, file_name)
    plan = ValuesPlan(headers=table.headers, rows=table.rows)
    columns: dict[str, int] = {}
    for index, name in enumerate(table.headers):
        if not str(name).strip():
            continue
        key = _HEADER_KEYS.get(str(name).strip().lower())
        if key is None:
            plan.warnings.append(Problem(1, name, "import.warning.unknown_column", {"column": name}))
        elif key in columns:
            raise UnusableFile(name, key="import.file.duplicate_column", column=name)
        else:
            columns[key] = index
    missing = [key for key in wanted_columns(indicator) if key != "preliminary" and key not in columns]
    if missing:
        names = ", ".join(COLUMNS[key][0] for key in missing)
        raise UnusableFile(names, key="import.file.missing_columns", columns=names)
    header_of = {key: table.headers[index] for key, index in columns.items()}
    first_row: dict[ValueKey, int] = {}
    for number, raw in table.rows:
        if all(cells.is_empty(v) for v in raw):
            continue
        plan.row_count += 1
        fields, failed = {}, False
        for key, index in columns.items():
            try:
                fields[key] = _PARSERS[key](raw[index] if index < len(raw) else None)
            except cells.CellError as problem:
                plan.errors.append(Problem(number, header_of[key], problem.key, problem.params))
                failed = True
        if failed:
            continue
        try:
            key, clean = clean_value(indicator, {**fields, "is_preliminary": bool(fields.get("preliminary"))})
        except ValidationError as invalid:
            for name, (message, params) in invalid.problems.items():
                plan.errors.append(Problem(number, header_of.get(name, name), message, params))
            continue
        if key in first_row:
            plan.errors.append(
                Problem(number, header_of["year"], "indicators.import.duplicate", {"row": first_row[key]})
            )
            continue
        first_row[key] = number
        plan.values[key] = clean
    if plan.row_count == 0:
        plan.errors.append(Problem(None, None, "import.file.empty", {}))
    return plan
