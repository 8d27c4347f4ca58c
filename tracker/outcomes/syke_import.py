"""A SYKE emission file into the organisations it is for, all or nothing.

1. ``read(data, file_name, ...)``: the file's rows checked (tracker/outcomes/syke.py),
   through the measures spreadsheet's CSV reader or the workbook's streaming reader;
2. ``plan(con, data, file_name, organisation_id, ...)``: which organisations the rows
   go to: a municipality's CSV to the organisation named, the all-municipality workbook
   to it and to every other organisation whose municipality number is known; every
   problem by row and column; an older file than the one stored is refused;
3. ``apply(con, caller, plan, dry_run=...)``: each organisation's rows replaced in ONE
   transaction (tracker/write/emissions.py), and what changed per year under each
   reading: a year added, changed, removed, or its preliminary figure replaced by the
   final one. A dry run does the same and rolls back, so the preview is the write.

``import_bytes`` does all three and returns the report the CLI prints as JSON;
``show`` gives ``emissions show`` its figures; ``fetch_municipality_file`` takes a
municipality's file from SYKE's site when the app is online.

The module is long because it is one pipeline whose stages pass the same plan
and outcome records along; split apart, each stage would have to import the
others' records and the all-or-nothing order would be harder to follow.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import duckdb

from tracker import db, i18n
from tracker.auth import SYSTEM, Caller, require
from tracker.errors import ConflictError, UserError, ValidationError
from tracker.outcomes import syke, workbook
from tracker.spreadsheet.plan import Problem
from tracker.spreadsheet.read import UnusableFile, read_table
from tracker.write import emissions, programmes
from tracker.write.base import Target, in_transaction

MAX_CSV_BYTES = 20 * 1024 * 1024
WORKBOOK_SHEET = "DATA"
READINGS = ("total_kt", "non_ets_kt", "hinku_kt")
SYKE_FILE_URL = "https://paastot.hiilineutraalisuomi.fi/Tulokset_taso_5/kunta_{number}.csv"
FETCH_TIMEOUT_SECONDS = 20


# -- 1. reading --


def read(
    data: bytes, file_name: str, *, wanted: set[int] | None = None, preliminary: frozenset[int] = frozenset()
) -> tuple[str, syke.ReadRows]:
    """(kind, rows): ``workbook`` for an .xlsx (its DATA sheet), else ``municipality_csv``.
    ``wanted``: only rows of these municipality numbers are kept (a file with a
    kuntanumero column). Raises UnusableFile when the file cannot be used at all."""
    if not data:
        raise UnusableFile("empty file", key="import.file.empty")
    if data.startswith(b"PK\x03\x04"):
        kind = "workbook"
        rows = workbook.read_rows(data, WORKBOOK_SHEET)
        first = next(rows, None)
        if first is None:
            raise UnusableFile("empty sheet", key="import.file.empty")
        header = first[1]
    else:
        if len(data) > MAX_CSV_BYTES:
            raise UnusableFile("too large", key="syke.file.too_large", limit=MAX_CSV_BYTES // (1024 * 1024))
        kind = "municipality_csv"
        table = read_table(data, file_name)
        header, rows = table.headers, iter(table.rows)
    reader = syke.RowReader(syke.map_columns(header), wanted=wanted, preliminary=preliminary)
    for number, values in rows:
        reader.add(number, values)
    return kind, reader.finish()


# -- 2. planning --


@dataclass
class Destination:
    """An organisation the file's rows go to."""

    organisation_id: int
    name: str
    municipality_number: int
    rows: list[dict]
    # the organisation is given this number (it had none, or the user gave another)
    sets_number: bool = False


@dataclass(frozen=True)
class Choices:
    """What the person importing a SYKE file says about it: whose rows to take (else the
    organisation's own municipality number, or the one in the file's name), a year to count
    as preliminary besides those the file's name marks, and whether a file older than the
    one stored may replace its figures."""

    municipality_number: int | None = None
    preliminary_year: int | None = None
    allow_older: bool = False


@dataclass
class SykePlan:
    file_name: str
    kind: str
    meta: syke.FileName
    read: syke.ReadRows | None
    destinations: list[Destination] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    # warnings of the plan itself (an organisation the workbook has no rows for)
    notes: list[Problem] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return ([] if self.read is None else self.read.warnings) + self.notes

    @property
    def all_errors(self) -> list[Problem]:
        return ([] if self.read is None else self.read.errors) + self.errors

    @property
    def preliminary_years(self) -> list[int]:
        return sorted(self.read.preliminary_years) if self.read else []


def find_organisation(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """The id of the organisation named ``name`` in any language (case aside)."""
    cur = con.cursor()
    try:
        rows = cur.execute(
            "SELECT id FROM organisations WHERE lower(trim(?)) IN"
            " (lower(name), lower(coalesce(name_sv, '')), lower(coalesce(name_en, ''))) ORDER BY id",
            [name],
        ).fetchall()
    finally:
        cur.close()
    if not rows:
        raise UserError(name, key="syke.organisation_unknown", name=name)
    return rows[0][0]


def plan(
    con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, organisation_id: int, choices: Choices = Choices()
) -> SykePlan:
    """Read the file and decide where its rows go; problems in ``all_errors``.
    Raises UnusableFile when the file cannot be used at all."""
    municipality_number = choices.municipality_number
    meta = syke.read_file_name(file_name)
    cur = con.cursor()
    try:
        organisation = programmes.fetch_organisation(cur, organisation_id)
        known = {
            number: (org_id, name)
            for org_id, name, number in cur.execute(
                "SELECT id, name, municipality_number FROM organisations WHERE municipality_number IS NOT NULL"
            ).fetchall()
        }
        number_problem = None
        if municipality_number is not None:
            try:
                municipality_number = programmes.clean_municipality_number(cur, organisation_id, municipality_number)
            except ValidationError as invalid:
                key, params = invalid.problems["municipality_number"]
                number_problem = Problem(None, None, key, params)
    finally:
        cur.close()
    number = municipality_number or organisation["municipality_number"]
    preliminary = meta.preliminary_years | ({choices.preliminary_year} if choices.preliminary_year else set())
    others = {n for n, (org_id, _name) in known.items() if org_id != organisation_id}
    wanted = ({number} if number else set()) | others
    kind, rows = read(data, file_name, wanted=wanted, preliminary=frozenset(preliminary))
    result = SykePlan(file_name, kind, meta, rows)
    if number_problem:
        result.errors.append(number_problem)
        return result
    single = None in rows.rows or not rows.municipalities
    if number is None and single and kind == "municipality_csv":
        number = meta.municipality_number
    if number is None:
        result.errors.append(Problem(None, None, "syke.municipality_number_needed", {"name": organisation["name"]}))
        return result
    if single:
        if meta.municipality_number is not None and meta.municipality_number != number:
            result.errors.append(
                Problem(None, None, "syke.file_for_other", {"file": meta.municipality_number, "number": number})
            )
            return result
        targets = [(organisation_id, organisation["name"], number, rows.rows.get(None, []))]
    else:
        if number not in rows.municipalities:
            result.errors.append(Problem(None, None, "syke.municipality_not_in_file", {"number": number}))
            return result
        targets = [(organisation_id, organisation["name"], number, rows.rows.get(number, []))]
        for other in sorted(others):
            org_id, name = known[other]
            if other in rows.municipalities:
                targets.append((org_id, name, other, rows.rows.get(other, [])))
            else:
                result.notes.append(Problem(None, None, "syke.warning.not_in_file", {"name": name, "number": other}))
    for org_id, name, target_number, target_rows in targets:
        if not target_rows:
            result.errors.append(Problem(None, None, "syke.no_rows", {"name": name, "number": target_number}))
            continue
        sets_number = org_id == organisation_id and organisation["municipality_number"] != target_number
        result.destinations.append(Destination(org_id, name, target_number, target_rows, sets_number))
    if not choices.allow_older and not rows.errors:
        _refuse_older(con, result)
    return result


def _refuse_older(con: duckdb.DuckDBPyConnection, result: SykePlan) -> None:
    """A file older than the one stored (an earlier last year, or a final year made
    preliminary again) would undo SYKE's newer figures: refused unless asked for."""
    cur = con.cursor()
    try:
        for destination in result.destinations:
            stored = emissions.current_import(cur, destination.organisation_id)
            if stored is None:
                continue
            last = max(row["year"] for row in destination.rows)
            stored_preliminary = {int(y) for y in (stored["preliminary_years"] or "").split(",") if y}
            new_preliminary = {row["year"] for row in destination.rows if row["is_preliminary"]}
            reverted = sorted(y for y in new_preliminary - stored_preliminary if y <= stored["last_year"])
            if last < stored["last_year"] or reverted:
                result.errors.append(
                    Problem(
                        None,
                        None,
                        "syke.older_file",
                        {
                            "name": destination.name,
                            "stored": stored["file_name"],
                            "stored_last": stored["last_year"],
                            "last": last,
                        },
                    )
                )
    finally:
        cur.close()


# -- 3. writing --


@dataclass
class YearChange:
    year: int
    change: str  # added, changed, finalised, removed
    before: dict | None
    after: dict | None


@dataclass
class Outcome:
    """What the import did (or, in a dry run, would do) to one organisation."""

    organisation_id: int
    name: str
    municipality_number: int
    rows: int
    years: list[int]
    changes: list[YearChange]
    unchanged_years: int


class _DryRun(Exception):
    def __init__(self, outcomes: list[Outcome]):
        super().__init__("dry run")
        self.outcomes = outcomes


def run_query(cur: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    """A named query on the cursor of an open transaction (db.query takes a new cursor,
    which would not see the transaction's writes)."""
    sql = db.query_sql(name)
    used = {key: value for key, value in params.items() if f"${key}" in sql}
    cursor = cur.execute(sql, used)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def readings(cur: duckdb.DuckDBPyConnection, organisation_id: int) -> dict[int, dict]:
    """year -> the three readings and whether the year is preliminary."""
    return {
        row["year"]: {**{key: row[key] for key in READINGS}, "preliminary": bool(row["is_preliminary"])}
        for row in run_query(cur, "emission_totals", organisation_id=organisation_id)
    }


def year_changes(before: dict[int, dict], after: dict[int, dict]) -> tuple[list[YearChange], int]:
    """(the years that changed, how many did not)."""
    changes, unchanged = [], 0
    for year in sorted(set(before) | set(after)):
        old, new = before.get(year), after.get(year)
        if old is None:
            changes.append(YearChange(year, "added", None, new))
        elif new is None:
            changes.append(YearChange(year, "removed", old, None))
        elif old["preliminary"] and not new["preliminary"]:
            changes.append(YearChange(year, "finalised", old, new))
        elif old != new:
            changes.append(YearChange(year, "changed", old, new))
        else:
            unchanged += 1
    return changes, unchanged


def _years_text(years) -> str:
    years = sorted(years)
    return "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _audit_summary(file_name: str | None, rows: int, years, preliminary, changes: list[YearChange] | None) -> dict:
    summary = {
        "file": file_name,
        "rows": rows,
        "years": _years_text(years),
        "preliminary_years": ", ".join(str(y) for y in sorted(preliminary)),
    }
    if changes is not None:
        summary["changed_years"] = "; ".join(
            f"{c.year} {c.change}"
            + (f" {emissions.exact(c.before['hinku_kt'])}" if c.before else "")
            + (f" → {emissions.exact(c.after['hinku_kt'])}" if c.after else "")
            for c in changes
        )
    return summary


def apply(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    result: SykePlan,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    illustrative: bool = False,
) -> list[Outcome]:
    """Write a clean plan in one transaction (or, with ``dry_run``, do it and roll back);
    what changed per organisation."""
    require(caller, "editor")
    if result.all_errors or not result.destinations:
        raise ValueError("a plan with errors cannot be written")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection) -> list[Outcome]:
        outcomes = [_write_one(cur, caller, result, d, now, illustrative) for d in result.destinations]
        if dry_run:
            raise _DryRun(outcomes)
        return outcomes

    try:
        return in_transaction(con, Target("emissions"), write)
    except _DryRun as rolled_back:
        return rolled_back.outcomes
    except ConflictError as exc:
        raise UserError(str(exc), key="syke.write_conflict") from exc


def _write_one(cur, caller, result: SykePlan, destination: Destination, now, illustrative) -> Outcome:
    if destination.sets_number:
        programmes.set_municipality_number(
            cur, caller, destination.organisation_id, destination.municipality_number, now=now
        )
    before = readings(cur, destination.organisation_id)
    stored = emissions.current_import(cur, destination.organisation_id)
    years = sorted({row["year"] for row in destination.rows})
    preliminary = sorted({row["year"] for row in destination.rows if row["is_preliminary"]})
    info = emissions.ImportInfo(
        result.file_name, result.kind, result.meta.model_version, destination.municipality_number, tuple(preliminary)
    )
    emissions.replace_rows(
        cur, caller, destination.organisation_id, destination.rows, info, now=now, illustrative=illustrative
    )
    after = readings(cur, destination.organisation_id)
    changes, unchanged = year_changes(before, after)
    emissions.record_import(
        cur,
        caller,
        destination.organisation_id,
        before=_audit_summary(
            stored["file_name"] if stored else None,
            stored["row_count"] if stored else 0,
            list(before),
            [y for y, r in before.items() if r["preliminary"]],
            None,
        ),
        after=_audit_summary(result.file_name, len(destination.rows), years, preliminary, changes),
        now=now,
    )
    return Outcome(
        destination.organisation_id,
        destination.name,
        destination.municipality_number,
        len(destination.rows),
        years,
        changes,
        unchanged,
    )


# -- the whole import, as the CLI and the page run it --


def _number(value: Decimal | None):
    """A reading as JSON has it: a number written exactly as stored (no float noise), or null."""
    if value is None:
        return None
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(emissions.exact(value))


def _reading_json(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {**{key: _number(values[key]) for key in READINGS}, "preliminary": values["preliminary"]}


def report(result: SykePlan | None, outcomes: list[Outcome], lang: str, *, written: bool, errors=None) -> dict:
    """The JSON report of ``emissions import`` (docs/emissions.md)."""
    problems = errors if errors is not None else (result.all_errors if result else [])
    return {
        "file": result.file_name if result else None,
        "kind": result.kind if result else None,
        "model_version": result.meta.model_version if result else None,
        "preliminary_years": result.preliminary_years if result else [],
        "rows": result.read.row_count if result and result.read else 0,
        "errors": [p.as_dict(lang) for p in problems],
        "warnings": [p.as_dict(lang) for p in result.warnings] if result else [],
        "organisations": [
            {
                "organisation": outcome.name,
                "municipality_number": outcome.municipality_number,
                "rows": outcome.rows,
                "years": [outcome.years[0], outcome.years[-1]] if outcome.years else [],
                "unchanged_years": outcome.unchanged_years,
                "changes": [
                    {
                        "year": change.year,
                        "change": change.change,
                        "before": _reading_json(change.before),
                        "after": _reading_json(change.after),
                    }
                    for change in outcome.changes
                ],
            }
            for outcome in outcomes
        ],
        "written": written,
        # the file is older than the stored one (the page offers to import it all the same)
        "refused_as_older": any(problem.key == "syke.older_file" for problem in problems),
    }


def import_bytes(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    organisation_id: int,
    *,
    caller: Caller = SYSTEM,
    choices: Choices = Choices(),
    dry_run: bool = False,
    lang: str = "fi",
    now: datetime | None = None,
) -> tuple[int, dict]:
    """(exit code, report): 0 clean (written unless dry_run), 1 problems and nothing
    written, 2 the file cannot be used at all."""
    try:
        result = plan(con, data, file_name, organisation_id, choices)
    except UnusableFile as exc:
        return 2, report(None, [], lang, written=False, errors=[Problem(None, None, exc.key, exc.params)])
    if result.all_errors:
        return 1, report(result, [], lang, written=False)
    outcomes = apply(con, caller, result, dry_run=dry_run, now=now)
    return 0, report(result, outcomes, lang, written=not dry_run)


def change_lines(organisation: dict, lang: str) -> list[str]:
    """What an import did to one organisation (an entry of the report's ``organisations``), in words."""

    def kt(value) -> str:
        return "–" if value is None else i18n.format_number(value, lang, 3)

    lines = [
        i18n.t(
            "syke.outcome",
            lang,
            name=organisation["organisation"],
            number=organisation["municipality_number"],
            years=_years_text(organisation["years"]),
            rows=organisation["rows"],
        )
    ]
    for change in organisation["changes"]:
        before, after = change["before"] or {}, change["after"] or {}
        lines.append(
            i18n.t(
                f"syke.change.{change['change']}",
                lang,
                year=change["year"],
                before=kt(before.get("hinku_kt")),
                after=kt(after.get("hinku_kt")),
                total_before=kt(before.get("total_kt")),
                total_after=kt(after.get("total_kt")),
            )
        )
    if organisation["unchanged_years"]:
        lines.append(i18n.t("syke.unchanged_years", lang, count=organisation["unchanged_years"]))
    return lines


# -- emissions show --


def show(con: duckdb.DuckDBPyConnection, organisation_id: int) -> list[dict]:
    """Per year: the three readings, whether preliminary, and the level-3 sectors' kt under
    the all-sectors reading (they sum to total_kt). JSON-ready: exact numbers."""
    cur = con.cursor()
    try:
        totals = run_query(cur, "emission_totals", organisation_id=organisation_id)
        sectors = run_query(cur, "emission_sectors", organisation_id=organisation_id, level=3, reading="total")
    finally:
        cur.close()
    by_year: dict[int, dict] = {}
    for row in sectors:
        by_year.setdefault(row["year"], {})[row["sector"]] = _number(row["kt"])
    return [
        {
            "year": row["year"],
            "total_kt": _number(row["total_kt"]),
            "non_ets_kt": _number(row["non_ets_kt"]),
            "hinku_kt": _number(row["hinku_kt"]),
            "preliminary": bool(row["is_preliminary"]),
            "sectors": by_year.get(row["year"], {}),
        }
        for row in totals
    ]


# -- SYKE's site --


def fetch_municipality_file(number: int, *, opener=urllib.request.urlopen) -> tuple[bytes, str]:
    """(bytes, file name) of a municipality's file on SYKE's results site. UserError
    (``syke.fetch_failed``) when the site cannot be reached or answers otherwise."""
    url = SYKE_FILE_URL.format(number=int(number))
    request = urllib.request.Request(url, headers={"User-Agent": "climate-programme-tracker"})
    try:
        with opener(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            data = response.read(MAX_CSV_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise UserError(url, key="syke.fetch_failed", url=url, reason=f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise UserError(url, key="syke.fetch_failed", url=url, reason=str(reason)[:200]) from exc
    if len(data) > MAX_CSV_BYTES:
        raise UserError(url, key="syke.fetch_failed", url=url, reason="> 20 MB")
    return data, f"kunta_{int(number)}.csv"
