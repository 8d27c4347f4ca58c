"""Step 2½ of the import (docs/import-format.md): what a clean plan would
change in the database, worked out before anything is written, field by
field, with a flag on what a coordinator would not expect.

``resolve`` reads the programme as it is and returns a ``Resolution``: the
rows to create and update, the themes and cost centres to add, and the
``changes`` the preview and the CLI show. The write (importer.py) works from
the same resolution inside its transaction, so a dry run and an import
always agree, and the page can ask the write to refuse when the database
changed since the coordinator looked (``fingerprint``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import duckdb

from tracker.spreadsheet import sheet_format
from tracker.spreadsheet.plan import ImportPlan, PlannedBudgetLine, PlannedMeasure
from tracker.write import budget

# The measure columns an import sets (the file can say nothing of the others).
MEASURE_COLUMNS = (
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
    *sheet_format.FRAMEWORK_FIELD_COLUMNS.values(),  # the reporting frameworks' fields
)
# file key -> measures column
FIELD_COLUMNS = {
    "title": "title_fi",
    "description": "description_fi",
    "responsible": "responsible_unit",
    "status": "status",
    "progress": "progress",
    "start": "start_date",
    "end": "end_date",
    "continuous": "is_continuous",
    "public": "is_published",
    **sheet_format.FRAMEWORK_FIELD_COLUMNS,
}
DEFAULTS = {"progress": 0, "is_continuous": False, "is_published": True}

# What a coordinator would not expect from an import, each said on the page:
FLAGS = (
    "status_backwards",  # the status moves back (Valmis -> Myöhässä)
    "progress_down",  # less progress than before
    "cleared",  # a value there before is emptied (a description, a date)
    "replaced",  # a title or a description is rewritten
    "unpublished",  # the measure leaves the public view
    "money_down",  # less money planned or spent than before
    "new_theme",  # an existing measure moves to a theme that does not exist yet (a typo?)
)
# How far along a status is; moving to a lower rank is moving backwards.
STATUS_RANK = {"not_started": 0, "postponed": 1, "in_progress": 1, "late": 1, "cancelled": 2, "done": 3}
_TEXT_FIELDS = ("title", "description", "responsible")
_REWRITE_FLAGGED = ("title", "description")


@dataclass(frozen=True)
class Change:
    """One field of one measure or budget line, before -> after. ``before`` is
    None for something new; ``field`` is a column key of the file, or
    "measure" for a measure the import creates (after = its title)."""

    row: int
    code: str
    field: str
    before: object
    after: object
    flag: str | None = None
    year: int | None = None
    cost_centre: str | None = None

    def as_dict(self) -> dict:
        """The change as the CLI's JSON says it: dates ISO, euros exact decimal text."""
        return {
            "row": self.row,
            "code": self.code,
            "field": self.field,
            "year": self.year,
            "cost_centre": self.cost_centre,
            "before": _plain(self.before),
            "after": _plain(self.after),
            "flag": self.flag,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Change:
        """A change read back from its JSON form (values stay as JSON gives them)."""
        before, after = data["before"], data["after"]
        if data["field"] in ("start", "end"):
            before, after = (None if v is None else date.fromisoformat(v) for v in (before, after))
        if data["field"] in ("planned", "actual"):
            before, after = (None if v is None else Decimal(v) for v in (before, after))
        fields = ("row", "code", "field", "flag", "year", "cost_centre")
        return cls(before=before, after=after, **{name: data[name] for name in fields})


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class MeasureUpdate:
    current: dict  # the stored row: id, code, version and MEASURE_COLUMNS
    wanted: dict  # MEASURE_COLUMNS as the file wants them; theme_id None when the theme is new
    theme: str  # the theme's name in the file
    planned: PlannedMeasure


@dataclass
class LineUpdate:
    current: dict  # the stored budget line (tracker.write.budget.BUDGET_FIELDS)
    line: PlannedBudgetLine
    wanted: dict  # planned_eur, actual_eur


@dataclass
class Resolution:
    """What writing a clean plan into a programme would do."""

    programme_id: int | None  # None: the programme is created
    organisation_id: int | None
    theme_ids: dict[str, int]  # lower-case theme name (any language) -> id
    new_themes: list[str]  # names to create, in the order the file first uses them
    stored: dict[str, dict]  # code -> stored measure row
    creates: list[tuple[PlannedMeasure, dict]] = field(default_factory=list)  # (plan, wanted row)
    updates: list[MeasureUpdate] = field(default_factory=list)
    unchanged: int = 0
    centres: dict[str, dict] = field(default_factory=dict)  # cost-centre code -> stored centre
    new_centres: dict[str, str | None] = field(default_factory=dict)  # code -> name
    centre_names: list[tuple[dict, str]] = field(default_factory=list)  # (stored unnamed centre, name)
    line_inserts: list[PlannedBudgetLine] = field(default_factory=list)
    line_updates: list[LineUpdate] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def created(self) -> int:
        return len(self.creates)

    @property
    def updated(self) -> int:
        return len(self.updates)

    @property
    def flagged(self) -> list[Change]:
        return [change for change in self.changes if change.flag]

    def fingerprint(self) -> str:
        """A digest of every change: the write refuses when it differs from the preview's."""
        digest = hashlib.sha256()
        for change in self.changes:
            digest.update(repr(change.as_dict()).encode("utf-8"))
        digest.update(repr(sorted(self.new_themes)).encode("utf-8"))
        return digest.hexdigest()


def find_programme(cur: duckdb.DuckDBPyConnection, name: str) -> tuple[int, int] | None:
    """(programme id, organisation id) of the programme named ``name`` in any language."""
    from tracker.errors import UserError

    rows = cur.execute(
        "SELECT id, organisation_id FROM programmes WHERE lower(trim(?)) IN"
        " (lower(name), lower(coalesce(name_sv, '')), lower(coalesce(name_en, ''))) ORDER BY id",
        [name],
    ).fetchall()
    if len(rows) > 1:
        raise UserError(name, key="import.programme_ambiguous", name=name)
    return tuple(rows[0]) if rows else None


def _stored_measures(cur, programme_id: int) -> dict[str, dict]:
    """code -> the measure's id, version and the columns an import sets."""
    names = ("id", "code", *MEASURE_COLUMNS, "version")
    rows = cur.execute(
        f"SELECT {', '.join(names)} FROM measures WHERE programme_id = ?",  # noqa: S608 (constant columns)
        [programme_id],
    ).fetchall()
    return {row[1]: dict(zip(names, row, strict=True)) for row in rows}


def _themes(cur, programme_id: int) -> tuple[dict[str, int], dict[int, str]]:
    """(lower-case name in any language -> id, id -> Finnish name) of a programme's themes."""
    rows = cur.execute(
        "SELECT id, name_fi, name_sv, name_en FROM themes WHERE programme_id = ? ORDER BY position", [programme_id]
    ).fetchall()
    ids: dict[str, int] = {}
    for theme_id, *names in rows:
        for name in names:
            if name:
                ids.setdefault(name.strip().lower(), theme_id)
    return ids, {row[0]: row[1] for row in rows}


def desired(measure: PlannedMeasure, columns: dict[str, int], current: dict | None, theme_id) -> dict:
    """The measure's row as the file wants it. A column the file lacks keeps
    the stored value; an empty cell in a present column clears an optional
    field (continuous: no, public: yes, progress: kept)."""
    row = {"theme_id": theme_id}
    for key, column in FIELD_COLUMNS.items():
        value = measure.fields.get(key)
        if value is None:
            if key not in columns or key == "progress":
                value = current[column] if current else DEFAULTS.get(column)
            else:
                value = DEFAULTS.get(column)
        row[column] = value
    return row


def _flag(key: str, before, after) -> str | None:
    if key == "status":
        return "status_backwards" if STATUS_RANK.get(after, 0) < STATUS_RANK.get(before, 0) else None
    if key == "progress":
        return "progress_down" if after is not None and before is not None and after < before else None
    if key == "public":
        return "unpublished" if before and not after else None
    if key in ("planned", "actual"):
        if before is None:
            return None
        return "money_down" if after is None or after < before else None
    if key in ("continuous",):
        return None
    if _filled(before) and not _filled(after):
        return "cleared"
    if key in _REWRITE_FLAGGED and _filled(before) and _filled(after):
        return "replaced"
    return None


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def _measure_changes(update: MeasureUpdate, theme_names: dict[int, str], columns: dict[str, int]) -> list[Change]:
    planned, current, wanted = update.planned, update.current, update.wanted
    found = []
    if current["theme_id"] != wanted["theme_id"]:
        row = planned.field_rows.get("theme", planned.first_row)
        flag = "new_theme" if wanted["theme_id"] is None else None
        found.append(Change(row, planned.code, "theme", theme_names.get(current["theme_id"]), update.theme, flag))
    for key, column in FIELD_COLUMNS.items():
        before, after = current[column], wanted[column]
        if before == after:
            continue
        row = planned.field_rows.get(key, planned.first_row)
        found.append(Change(row, planned.code, key, before, after, _flag(key, before, after)))
    return found


def resolve(cur: duckdb.DuckDBPyConnection, plan: ImportPlan, programme: tuple[int, int] | None) -> Resolution:
    """What writing the clean ``plan`` into ``programme`` ((id, organisation id),
    or None for a programme to create) would change. Reads only."""
    if programme is None:
        result = Resolution(None, None, {}, [], {})
        theme_names: dict[int, str] = {}
    else:
        theme_ids, theme_names = _themes(cur, programme[0])
        result = Resolution(programme[0], programme[1], theme_ids, [], _stored_measures(cur, programme[0]))
    new_theme_keys: set[str] = set()
    for measure in plan.measures.values():
        theme = measure.fields["theme"]
        theme_id = result.theme_ids.get(theme.lower())
        if theme_id is None and theme.lower() not in new_theme_keys:
            new_theme_keys.add(theme.lower())
            result.new_themes.append(theme)
        current = result.stored.get(measure.code)
        wanted = desired(measure, plan.columns, current, theme_id)
        if current is None:
            result.creates.append((measure, wanted))
            result.changes.append(Change(measure.first_row, measure.code, "measure", None, wanted["title_fi"]))
        elif any(current[k] != v for k, v in wanted.items()):
            update = MeasureUpdate(current, wanted, theme, measure)
            result.updates.append(update)
            result.changes.extend(_measure_changes(update, theme_names, plan.columns))
        else:
            result.unchanged += 1
    _resolve_money(cur, plan, result)
    result.changes.sort(key=lambda change: change.row)  # in file order; a row's fields in column order
    return result


def _resolve_money(cur, plan: ImportPlan, result: Resolution) -> None:
    """Cost centres to add or name, budget lines to insert or update, and their changes."""
    if result.organisation_id is not None:
        result.centres = budget.organisation_cost_centres(cur, result.organisation_id)
    for code, name in plan.cost_centre_names.items():
        stored = result.centres.get(code)
        if stored is None:
            result.new_centres[code] = name
        elif name and stored["name"] is None:
            result.centre_names.append((stored, name))
    stored_lines: dict[tuple[str, int, str], dict] = {}
    if result.programme_id is not None:
        codes = {row["id"]: code for code, row in result.stored.items()}
        centre_codes = {centre["id"]: code for code, centre in result.centres.items()}
        for (measure_id, year, centre_id), line in budget.programme_budget_lines(cur, result.programme_id).items():
            stored_lines[(codes.get(measure_id), year, centre_codes.get(centre_id))] = line
    for line in plan.budget_lines:
        planned = line.planned if line.planned is not None else Decimal("0.00")
        current = stored_lines.get((line.code, line.year, line.cost_centre))
        where = {"year": line.year, "cost_centre": line.cost_centre}
        if current is None:
            result.line_inserts.append(line)
            result.changes.append(Change(line.row, line.code, "planned", None, planned, **where))
            if line.actual is not None:
                result.changes.append(Change(line.row, line.code, "actual", None, line.actual, **where))
            continue
        wanted = {"planned_eur": planned, "actual_eur": line.actual}
        if (current["planned_eur"], current["actual_eur"]) == (planned, line.actual):
            continue
        result.line_updates.append(LineUpdate(current, line, wanted))
        for key, column in (("planned", "planned_eur"), ("actual", "actual_eur")):
            before, after = current[column], wanted[column]
            if before != after:
                result.changes.append(
                    Change(line.row, line.code, key, before, after, _flag(key, before, after), **where)
                )
