"""Write services of the coordinator workspace: the weekly update of many
measures, the measure form (create, edit, archive), budget lines and cost
centres, decisions and their links to measures.

Each service checks the caller's role, validates every field before writing
(problems map a field to a catalogue key), writes in one transaction together
with audit rows holding before -> after of every changed field, and refuses
with ConflictError when the row is no longer at the version the form loaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import duckdb

from tracker import db
from tracker.auth import Caller, require
from tracker.errors import ConflictError, NotFound, ValidationError
from tracker.write.measures import (
    NOTE_MAX_LENGTH,
    apply_status_update,
    audit,
    changed_fields,
    fetch_measure,
    validate_status_update,
)

MAX_EUROS = Decimal("999999999999.99")
YEAR_RANGE = (1990, 2100)
OUTCOMES = ("approved", "approved_amended", "rejected", "tabled", "returned", "withdrawn")
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)

# field -> (max length, required) of the measure form's text fields
MEASURE_TEXT_FIELDS = {
    "code": (20, True),
    "title_fi": (300, True),
    "title_sv": (300, False),
    "title_en": (300, False),
    "description_fi": (10000, False),
    "description_sv": (10000, False),
    "description_en": (10000, False),
    "responsible_unit": (200, False),
    "contact_name": (200, False),
    "contact_email": (254, False),
    "phase": (100, False),
    "internal_note": (NOTE_MAX_LENGTH, False),
}
MEASURE_EDITABLE = (*MEASURE_TEXT_FIELDS, "theme_id", "start_date", "end_date", "is_continuous", "is_published")
BUDGET_FIELDS = (
    "id",
    "measure_id",
    "year",
    "cost_centre_id",
    "planned_eur",
    "actual_eur",
    "funding_source",
    "note",
    "version",
)
DECISION_FIELDS = (
    "id",
    "organisation_id",
    "body",
    "decided_on",
    "section",
    "case_number",
    "title",
    "outcome",
    "unanimous",
    "url",
    "text",
    "version",
)
DECISION_TEXT_FIELDS = {
    "body": (200, True),
    "case_number": (50, False),
    "title": (500, False),
    "url": (2000, False),
    "text": (200000, False),
}


# -- validation helpers: each records a problem and returns the clean value --


def clean_text(problems: dict, field: str, value, max_length: int, *, required: bool = False) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            problems[field] = ("validation.required", {})
        return None
    if len(text) > max_length:
        problems[field] = ("validation.too_long", {"max": max_length})
    return text


def clean_euros(problems: dict, field: str, value, *, required: bool = False) -> Decimal | None:
    """Euros as typed (``1 200,50``, ``1200.5 €``): not negative, at most two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[field] = ("validation.required", {})
        return None
    if isinstance(value, bool):
        problems[field] = ("validation.euros", {})
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        problems[field] = ("validation.euros", {})
        return None
    if not amount.is_finite():
        problems[field] = ("validation.euros", {})
        return None
    if amount < 0:
        problems[field] = ("validation.euros_negative", {})
    elif amount != amount.quantize(Decimal("0.01")):
        problems[field] = ("validation.euros_cents", {})
    elif amount > MAX_EUROS:
        problems[field] = ("validation.euros_too_big", {})
    return amount


def clean_int(problems: dict, field: str, value, low: int, high: int, *, required: bool = False) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[field] = ("validation.required", {})
        return None
    try:
        number = Decimal(str(value).strip())
        if isinstance(value, bool) or number != number.to_integral_value():
            raise InvalidOperation
        number = int(number)
    except (InvalidOperation, ValueError):
        problems[field] = ("validation.whole_number", {"low": low, "high": high})
        return None
    if not low <= number <= high:
        problems[field] = ("validation.whole_number", {"low": low, "high": high})
    return number


def clean_date(problems: dict, field: str, value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        problems[field] = ("validation.date", {})
        return None


def clean_year(problems: dict, field: str, value) -> int | None:
    return clean_int(problems, field, value, *YEAR_RANGE, required=True)


def check_date_order(problems: dict, start: date | None, end: date | None, end_field: str = "end_date") -> None:
    if start and end and end < start:
        problems[end_field] = ("validation.end_before_start", {})


def check_email(problems: dict, field: str, value: str | None) -> None:
    if value and field not in problems and not EMAIL_PATTERN.match(value):
        problems[field] = ("validation.email", {})


def check_url(problems: dict, field: str, value: str | None) -> None:
    """Only http(s) links: a ``javascript:`` or ``data:`` URL never reaches a page."""
    if value and field not in problems and not URL_PATTERN.match(value):
        problems[field] = ("validation.url", {})


def _raise_if(problems: dict) -> None:
    if problems:
        raise ValidationError(problems)


@contextmanager
def _write(con: duckdb.DuckDBPyConnection, entity: str, entity_id, expected_version, reload) -> Iterator:
    """A transaction whose write-write clash with another session is reported
    as the same ConflictError a stale version gets."""
    try:
        with db.transaction(con) as cur:
            yield cur
    except duckdb.TransactionException as exc:
        cur = con.cursor()
        try:
            current = reload(cur)
        finally:
            cur.close()
        if callable(entity_id):
            entity_id = entity_id()
        if callable(expected_version):
            expected_version = expected_version()
        raise ConflictError(entity, entity_id, expected_version, current) from exc


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    diff = changed_fields(before, after)
    return {k: old for k, (old, _new) in diff.items()}, {k: new for k, (_old, new) in diff.items()}


_VERSIONED_TABLES = {"measure": "measures", "budget_line": "budget_lines"}


def _save_versioned(
    cur,
    caller: Caller,
    entity: str,
    entity_id: int,
    before: dict,
    clean: dict,
    expected_version: int,
    *,
    measure_id,
    now,
) -> int:
    """Write the validated fields of ``clean`` that differ from ``before`` over version
    ``expected_version``, with their audit row; returns the version now current."""
    if before["version"] != expected_version:
        raise ConflictError(entity, entity_id, expected_version, before)
    old, new = _changes(before, clean)
    if not new:
        return before["version"]
    # Column names are the validated field names, never user text; values are parameters.
    assignments = ", ".join(f"{name} = ?" for name in new)
    cur.execute(
        f"UPDATE {_VERSIONED_TABLES[entity]} SET {assignments}, updated_at = ?, version = version + 1"  # noqa: S608
        " WHERE id = ? AND version = ?",
        [*new.values(), now, entity_id, expected_version],
    )
    audit(
        cur,
        caller,
        f"edit_{entity}",
        entity,
        entity_id,
        before={**old, "version": expected_version},
        after={**new, "version": expected_version + 1},
        measure_id=measure_id,
        now=now,
    )
    return expected_version + 1


# -- the weekly update --


def update_measures(
    con: duckdb.DuckDBPyConnection, caller: Caller, changes: list[dict], *, now: datetime | None = None
) -> dict[int, int]:
    """Save the weekly update of many measures at once, all or nothing.

    Each change holds ``measure_id``, ``expected_version`` and any of
    ``status``, ``progress``, ``note``, ``note_is_public``. Each changed
    measure gets its status event and audit row. Returns measure id -> new
    version. Problems are keyed ``"<measure id>.<field>"``.
    """
    require(caller, "editor")
    problems: dict = {}
    cleaned = []
    for change in changes:
        note = (change.get("note") or "").strip() or None
        try:
            validate_status_update(change.get("status"), change.get("progress"), note)
        except ValidationError as invalid:
            problems.update({f"{change['measure_id']}.{field}": p for field, p in invalid.problems.items()})
        cleaned.append({**change, "note": note})
    _raise_if(problems)
    now = now or db.utcnow()
    versions = {}
    current = {}

    def reload(cur):
        return fetch_measure(cur, current["measure_id"])

    with _write(con, "measure", lambda: current["measure_id"], lambda: current["expected_version"], reload) as cur:
        for change in cleaned:
            current.update(change)
            current_id = change["measure_id"]
            versions[current_id] = apply_status_update(
                cur,
                caller,
                current_id,
                expected_version=change["expected_version"],
                status=change.get("status"),
                progress=change.get("progress"),
                note=change["note"],
                note_is_public=change.get("note_is_public", True),
                source="weekly",
                now=now,
            )
    return versions


# -- the measure form --


def validate_measure(cur: duckdb.DuckDBPyConnection, programme_id: int, measure_id: int | None, fields: dict) -> dict:
    """The clean values of the measure form, or ValidationError naming each bad field."""
    problems: dict = {}
    clean = {
        name: clean_text(problems, name, fields.get(name), *spec[:1], required=spec[1])
        for name, spec in MEASURE_TEXT_FIELDS.items()
    }
    check_email(problems, "contact_email", clean["contact_email"])
    clean["start_date"] = clean_date(problems, "start_date", fields.get("start_date"))
    clean["end_date"] = clean_date(problems, "end_date", fields.get("end_date"))
    check_date_order(problems, clean["start_date"], clean["end_date"])
    clean["is_continuous"] = bool(fields.get("is_continuous", False))
    clean["is_published"] = bool(fields.get("is_published", True))
    theme_id = fields.get("theme_id")
    theme = None
    if theme_id is not None:
        theme = cur.execute(
            "SELECT id FROM themes WHERE id = ? AND programme_id = ?", [theme_id, programme_id]
        ).fetchone()
    if theme is None:
        problems["theme_id"] = ("validation.required", {})
    clean["theme_id"] = theme_id
    if clean["code"] and "code" not in problems:
        taken = cur.execute(
            "SELECT id FROM measures WHERE programme_id = ? AND code = ? AND id IS DISTINCT FROM ?",
            [programme_id, clean["code"], measure_id],
        ).fetchone()
        if taken:
            problems["code"] = ("validation.code_taken", {"code": clean["code"]})
    _raise_if(problems)
    return clean


def create_measure(
    con: duckdb.DuckDBPyConnection, caller: Caller, programme_id: int, fields: dict, *, now: datetime | None = None
) -> int:
    """A new measure (status not started, progress 0); returns its id."""
    require(caller, "editor")
    now = now or db.utcnow()
    with db.transaction(con) as cur:
        clean = validate_measure(cur, programme_id, None, fields)
        names = list(clean)
        measure_id = cur.execute(
            f"INSERT INTO measures (programme_id, {', '.join(names)}, created_at, updated_at)"  # noqa: S608
            f" VALUES (?, {', '.join('?' for _ in names)}, ?, ?) RETURNING id",
            [programme_id, *clean.values(), now, now],
        ).fetchone()[0]
        audit(
            cur,
            caller,
            "create_measure",
            "measure",
            measure_id,
            before=None,
            after=clean,
            measure_id=measure_id,
            now=now,
        )
    return measure_id


def save_measure(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    measure_id: int,
    fields: dict,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Save the measure form over version ``expected_version``; returns the new version."""
    require(caller, "editor")
    now = now or db.utcnow()
    with _write(con, "measure", measure_id, expected_version, lambda cur: fetch_measure(cur, measure_id)) as cur:
        before = fetch_measure(cur, measure_id)
        clean = validate_measure(cur, before["programme_id"], measure_id, fields)
        return _save_versioned(
            cur, caller, "measure", measure_id, before, clean, expected_version, measure_id=measure_id, now=now
        )


def archive_measure(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    measure_id: int,
    *,
    expected_version: int,
    restore: bool = False,
    now: datetime | None = None,
) -> int:
    """Archive a measure (it leaves every list; nothing is deleted), or restore it."""
    require(caller, "editor")
    now = now or db.utcnow()
    with _write(con, "measure", measure_id, expected_version, lambda cur: fetch_measure(cur, measure_id)) as cur:
        before = fetch_measure(cur, measure_id)
        if before["version"] != expected_version:
            raise ConflictError("measure", measure_id, expected_version, before)
        archived_at = None if restore else now
        cur.execute(
            "UPDATE measures SET archived_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
            [archived_at, now, measure_id],
        )
        audit(
            cur,
            caller,
            "restore_measure" if restore else "archive_measure",
            "measure",
            measure_id,
            before={"archived_at": before["archived_at"], "version": expected_version},
            after={"archived_at": archived_at, "version": expected_version + 1},
            measure_id=measure_id,
            now=now,
        )
    return expected_version + 1


# -- budget lines and cost centres --


def fetch_budget_line(cur: duckdb.DuckDBPyConnection, line_id: int) -> dict:
    sql = f"SELECT {', '.join(BUDGET_FIELDS)} FROM budget_lines WHERE id = ?"  # noqa: S608 (constant columns)
    row = cur.execute(sql, [line_id]).fetchone()
    if row is None:
        raise NotFound(f"budget line {line_id}", key="error.not_found")
    return dict(zip(BUDGET_FIELDS, row, strict=True))


def _validate_budget_line(cur, measure_id: int, line_id: int | None, fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "year": clean_year(problems, "year", fields.get("year")),
        "cost_centre_id": fields.get("cost_centre_id"),
        "planned_eur": clean_euros(problems, "planned_eur", fields.get("planned_eur"), required=True),
        "actual_eur": clean_euros(problems, "actual_eur", fields.get("actual_eur")),
        "funding_source": clean_text(problems, "funding_source", fields.get("funding_source"), 200),
        "note": clean_text(problems, "note", fields.get("note"), 2000),
    }
    organisation = cur.execute(
        "SELECT p.organisation_id FROM measures AS m JOIN programmes AS p ON p.id = m.programme_id WHERE m.id = ?",
        [measure_id],
    ).fetchone()
    if organisation is None:
        raise NotFound(f"measure {measure_id}", key="error.measure_not_found", id=measure_id)
    centre = None
    if clean["cost_centre_id"] is not None:
        centre = cur.execute(
            "SELECT id FROM cost_centres WHERE id = ? AND organisation_id = ?",
            [clean["cost_centre_id"], organisation[0]],
        ).fetchone()
    if centre is None:
        problems["cost_centre_id"] = ("validation.required", {})
    if not problems:
        duplicate = cur.execute(
            "SELECT id FROM budget_lines WHERE measure_id = ? AND year = ? AND cost_centre_id = ?"
            " AND id IS DISTINCT FROM ?",
            [measure_id, clean["year"], clean["cost_centre_id"], line_id],
        ).fetchone()
        if duplicate:
            problems["year"] = ("validation.budget_line_exists", {"year": clean["year"]})
    _raise_if(problems)
    return clean


def add_budget_line(
    con: duckdb.DuckDBPyConnection, caller: Caller, measure_id: int, fields: dict, *, now: datetime | None = None
) -> int:
    require(caller, "editor")
    now = now or db.utcnow()
    with db.transaction(con) as cur:
        clean = _validate_budget_line(cur, measure_id, None, fields)
        line_id = cur.execute(
            "INSERT INTO budget_lines (measure_id, year, cost_centre_id, planned_eur, actual_eur, funding_source,"
            " note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [measure_id, *clean.values(), now],
        ).fetchone()[0]
        audit(
            cur,
            caller,
            "add_budget_line",
            "budget_line",
            line_id,
            before=None,
            after=clean,
            measure_id=measure_id,
            now=now,
        )
    return line_id


def save_budget_line(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    line_id: int,
    fields: dict,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    require(caller, "editor")
    now = now or db.utcnow()
    with _write(con, "budget_line", line_id, expected_version, lambda cur: fetch_budget_line(cur, line_id)) as cur:
        before = fetch_budget_line(cur, line_id)
        clean = _validate_budget_line(cur, before["measure_id"], line_id, fields)
        return _save_versioned(
            cur,
            caller,
            "budget_line",
            line_id,
            before,
            clean,
            expected_version,
            measure_id=before["measure_id"],
            now=now,
        )


def remove_budget_line(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    line_id: int,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> None:
    """Remove a budget line; the audit row keeps everything it held."""
    require(caller, "editor")
    now = now or db.utcnow()
    with _write(con, "budget_line", line_id, expected_version, lambda cur: fetch_budget_line(cur, line_id)) as cur:
        before = fetch_budget_line(cur, line_id)
        if before["version"] != expected_version:
            raise ConflictError("budget_line", line_id, expected_version, before)
        cur.execute("DELETE FROM budget_lines WHERE id = ?", [line_id])
        audit(
            cur,
            caller,
            "remove_budget_line",
            "budget_line",
            line_id,
            before=before,
            after=None,
            measure_id=before["measure_id"],
            now=now,
        )


def _fetch_cost_centre(cur, centre_id: int) -> dict:
    row = cur.execute("SELECT id, organisation_id, code, name FROM cost_centres WHERE id = ?", [centre_id]).fetchone()
    if row is None:
        raise NotFound(f"cost centre {centre_id}", key="error.not_found")
    return dict(zip(("id", "organisation_id", "code", "name"), row, strict=True))


def _validate_cost_centre(cur, organisation_id: int, centre_id: int | None, fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "code": clean_text(problems, "code", fields.get("code"), 40, required=True),
        "name": clean_text(problems, "name", fields.get("name"), 200),
    }
    if "code" not in problems:
        taken = cur.execute(
            "SELECT id FROM cost_centres WHERE organisation_id = ? AND code = ? AND id IS DISTINCT FROM ?",
            [organisation_id, clean["code"], centre_id],
        ).fetchone()
        if taken:
            problems["code"] = ("validation.code_taken", {"code": clean["code"]})
    _raise_if(problems)
    return clean


def add_cost_centre(
    con: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, fields: dict, *, now=None
) -> int:
    require(caller, "editor")
    with db.transaction(con) as cur:
        clean = _validate_cost_centre(cur, organisation_id, None, fields)
        centre_id = cur.execute(
            "INSERT INTO cost_centres (organisation_id, code, name) VALUES (?, ?, ?) RETURNING id",
            [organisation_id, clean["code"], clean["name"]],
        ).fetchone()[0]
        audit(cur, caller, "add_cost_centre", "cost_centre", centre_id, before=None, after=clean, now=now)
    return centre_id


def save_cost_centre(
    con: duckdb.DuckDBPyConnection, caller: Caller, centre_id: int, fields: dict, *, expected: dict, now=None
) -> None:
    """Rename a cost centre; ``expected`` is the code and name the form loaded
    (cost centres carry no version number, so the values themselves are compared)."""
    require(caller, "editor")
    with _write(con, "cost_centre", centre_id, None, lambda cur: _fetch_cost_centre(cur, centre_id)) as cur:
        before = _fetch_cost_centre(cur, centre_id)
        clean = _validate_cost_centre(cur, before["organisation_id"], centre_id, fields)
        if (before["code"], before["name"]) != (expected.get("code"), expected.get("name")):
            raise ConflictError("cost_centre", centre_id, None, before)
        old, new = _changes(before, clean)
        if not new:
            return
        assignments = ", ".join(f"{name} = ?" for name in new)
        cur.execute(f"UPDATE cost_centres SET {assignments} WHERE id = ?", [*new.values(), centre_id])  # noqa: S608
        audit(cur, caller, "edit_cost_centre", "cost_centre", centre_id, before=old, after=new, now=now)


def remove_cost_centre(con: duckdb.DuckDBPyConnection, caller: Caller, centre_id: int, *, now=None) -> None:
    """Only a cost centre no budget line uses can be removed."""
    require(caller, "editor")
    with db.transaction(con) as cur:
        before = _fetch_cost_centre(cur, centre_id)
        used = cur.execute("SELECT count(*) FROM budget_lines WHERE cost_centre_id = ?", [centre_id]).fetchone()[0]
        if used:
            raise ValidationError({"cost_centre_id": ("validation.cost_centre_in_use", {"count": used})})
        cur.execute("DELETE FROM cost_centres WHERE id = ?", [centre_id])
        audit(cur, caller, "remove_cost_centre", "cost_centre", centre_id, before=before, after=None, now=now)


# -- decisions --


def fetch_decision(cur: duckdb.DuckDBPyConnection, decision_id: int) -> dict:
    sql = f"SELECT {', '.join(DECISION_FIELDS)} FROM decisions WHERE id = ?"  # noqa: S608 (constant columns)
    row = cur.execute(sql, [decision_id]).fetchone()
    if row is None:
        raise NotFound(f"decision {decision_id}", key="error.not_found")
    return dict(zip(DECISION_FIELDS, row, strict=True))


def validate_decision(fields: dict) -> dict:
    problems: dict = {}
    clean = {
        name: clean_text(problems, name, fields.get(name), limit, required=required)
        for name, (limit, required) in DECISION_TEXT_FIELDS.items()
    }
    check_url(problems, "url", clean["url"])
    clean["decided_on"] = clean_date(problems, "decided_on", fields.get("decided_on"))
    if clean["decided_on"] and not YEAR_RANGE[0] <= clean["decided_on"].year <= YEAR_RANGE[1]:
        problems["decided_on"] = ("validation.year_range", {"low": YEAR_RANGE[0], "high": YEAR_RANGE[1]})
    clean["section"] = clean_int(problems, "section", fields.get("section"), 1, 99999)
    outcome = fields.get("outcome")
    if outcome not in OUTCOMES:
        problems["outcome"] = ("validation.unknown_choice", {"value": outcome or ""})
    clean["outcome"] = outcome
    unanimous = fields.get("unanimous")
    clean["unanimous"] = None if unanimous is None else bool(unanimous)
    _raise_if(problems)
    return clean


def add_decision(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    organisation_id: int,
    fields: dict,
    *,
    measure_ids=(),
    now: datetime | None = None,
) -> int:
    """A new decision, linked to ``measure_ids`` in the same transaction."""
    require(caller, "editor")
    clean = validate_decision(fields)
    now = now or db.utcnow()
    with db.transaction(con) as cur:
        names = list(clean)
        decision_id = cur.execute(
            f"INSERT INTO decisions (organisation_id, {', '.join(names)}, created_at, updated_at)"  # noqa: S608
            f" VALUES (?, {', '.join('?' for _ in names)}, ?, ?) RETURNING id",
            [organisation_id, *clean.values(), now, now],
        ).fetchone()[0]
        audit(cur, caller, "add_decision", "decision", decision_id, before=None, after=clean, now=now)
        _apply_links(cur, caller, {"id": decision_id, "organisation_id": organisation_id}, measure_ids, now)
    return decision_id


def save_decision(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    decision_id: int,
    fields: dict,
    *,
    expected_version: int,
    measure_ids=None,
    now: datetime | None = None,
) -> int:
    """Save the decision form (and, unless ``measure_ids`` is None, its links) in one transaction."""
    require(caller, "editor")
    clean = validate_decision(fields)
    now = now or db.utcnow()
    with _write(con, "decision", decision_id, expected_version, lambda cur: fetch_decision(cur, decision_id)) as cur:
        before = fetch_decision(cur, decision_id)
        if before["version"] != expected_version:
            raise ConflictError("decision", decision_id, expected_version, before)
        old, new = _changes(before, clean)
        links_changed = measure_ids is not None and _apply_links(cur, caller, before, measure_ids, now)
        if not new and not links_changed:
            return before["version"]
        assignments = "".join(f"{name} = ?, " for name in new)
        cur.execute(
            f"UPDATE decisions SET {assignments}updated_at = ?, version = version + 1 WHERE id = ?",  # noqa: S608
            [*new.values(), now, decision_id],
        )
        if new:
            audit(
                cur,
                caller,
                "edit_decision",
                "decision",
                decision_id,
                before={**old, "version": expected_version},
                after={**new, "version": expected_version + 1},
                now=now,
            )
    return expected_version + 1


def set_decision_links(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    decision_id: int,
    measure_ids,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Link the decision to exactly ``measure_ids``; each measure linked or
    unlinked gets its audit row (so it shows in that measure's history)."""
    require(caller, "editor")
    now = now or db.utcnow()
    with _write(con, "decision", decision_id, expected_version, lambda cur: fetch_decision(cur, decision_id)) as cur:
        before = fetch_decision(cur, decision_id)
        if before["version"] != expected_version:
            raise ConflictError("decision", decision_id, expected_version, before)
        if not _apply_links(cur, caller, before, measure_ids, now):
            return before["version"]
        cur.execute("UPDATE decisions SET updated_at = ?, version = version + 1 WHERE id = ?", [now, decision_id])
    return expected_version + 1


def _apply_links(cur, caller: Caller, decision: dict, measure_ids, now: datetime) -> bool:
    """Make the decision's links exactly ``measure_ids``; True when any changed."""
    wanted = {int(m) for m in measure_ids}
    decision_id = decision["id"]
    linked = {
        row[0]
        for row in cur.execute(
            "SELECT measure_id FROM measure_decisions WHERE decision_id = ?", [decision_id]
        ).fetchall()
    }
    if wanted == linked:
        return False
    known = {
        row[0]
        for row in cur.execute(
            "SELECT m.id FROM measures AS m JOIN programmes AS p ON p.id = m.programme_id WHERE p.organisation_id = ?",
            [decision["organisation_id"]],
        ).fetchall()
    }
    if wanted - known:
        raise ValidationError({"measures": ("validation.unknown_choice", {"value": sorted(wanted - known)[0]})})
    for measure_id in sorted(wanted - linked):
        cur.execute("INSERT INTO measure_decisions (measure_id, decision_id) VALUES (?, ?)", [measure_id, decision_id])
        audit(
            cur,
            caller,
            "link_decision",
            "decision",
            decision_id,
            before=None,
            after={"measure_id": measure_id},
            measure_id=measure_id,
            now=now,
        )
    for measure_id in sorted(linked - wanted):
        cur.execute("DELETE FROM measure_decisions WHERE measure_id = ? AND decision_id = ?", [measure_id, decision_id])
        audit(
            cur,
            caller,
            "unlink_decision",
            "decision",
            decision_id,
            before={"measure_id": measure_id},
            after=None,
            measure_id=measure_id,
            now=now,
        )
    return True


# -- reading one row for a form (plain Python values, as the services compare them) --


def _read(con: duckdb.DuckDBPyConnection, fetch, row_id: int) -> dict:
    cur = con.cursor()
    try:
        return fetch(cur, row_id)
    finally:
        cur.close()


def read_measure(con: duckdb.DuckDBPyConnection, measure_id: int) -> dict:
    return _read(con, fetch_measure, measure_id)


def read_budget_line(con: duckdb.DuckDBPyConnection, line_id: int) -> dict:
    return _read(con, fetch_budget_line, line_id)


def read_decision(con: duckdb.DuckDBPyConnection, decision_id: int) -> dict:
    return _read(con, fetch_decision, decision_id)


# -- reading the audit log --


def describe_changes(before, after) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field an audit row changed."""
    old, new = (json.loads(v) if isinstance(v, str) else v if isinstance(v, dict) else {} for v in (before, after))
    return [(key, old.get(key), new.get(key)) for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]


def conflict_differences(loaded: dict, current: dict) -> list[tuple[str, object, object]]:
    """(field, what the form loaded, what is there now) for each field another person changed."""
    return [
        (key, loaded.get(key), current.get(key))
        for key in current
        if key not in ("version", "updated_at") and key in loaded and loaded.get(key) != current.get(key)
    ]
