"""Writes of ``indicator_values`` and ``indicator_goals``: one value or goal at a time,
the values spreadsheet, the values the SYKE import derives for the emissions indicator,
and an indicator's values and goals going with it when it is removed. Every change a
person makes is audited with what it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb
import pyarrow as pa

from tracker import rules
from tracker.auth import Caller
from tracker.errors import UserError
from tracker.write import audit
from tracker.write.base import Target, raise_if, run_service
from tracker.write.fields import clean_decimal, clean_int, clean_text
from tracker.write.indicator_fields import fetch_indicator

_VALUE_TYPES = {
    "indicator_id": pa.int32(),
    "year": pa.int32(),
    "month": pa.int32(),
    "sector": pa.string(),
    "value": pa.decimal128(24, 6),
    "is_preliminary": pa.bool_(),
    "source": pa.string(),
}


# -- values --


@dataclass(frozen=True)
class ValueKey:
    year: int
    month: int
    sector: str


def clean_key(problems: dict, indicator: dict, fields: dict) -> ValueKey | None:
    year = clean_int(problems, "year", fields.get("year"), rules.MIN_YEAR, rules.MAX_YEAR, required=True)
    month = 0
    if indicator["frequency"] == "monthly":
        month = clean_int(problems, "month", fields.get("month"), 1, 12, required=True)
    elif fields.get("month") not in (None, "", 0):
        problems["month"] = ("validation.month_not_monthly", {})
    sector = clean_text(problems, "sector", fields.get("sector"), rules.NAME_MAX) or ""
    if indicator["breakdown"] is None and sector:
        problems["sector"] = ("validation.no_breakdown", {})
    elif indicator["breakdown"] is not None and not sector and "sector" not in problems:
        problems["sector"] = ("validation.required", {})
    if problems:
        return None
    return ValueKey(year, month, sector)


def tidy(value: Decimal | None) -> Decimal | None:
    """A stored DECIMAL(24, 6) as the number it is (9.500000 -> 9.5, 20.000000 -> 20), for
    comparing with what a form or file gives and for the audit log."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


def clean_amount(problems: dict, field: str, value, *, required: bool = True) -> Decimal | None:
    return clean_decimal(
        problems, field, value, decimals=rules.INDICATOR_DECIMALS, largest=rules.MAX_INDICATOR_VALUE, required=required
    )


def clean_value(indicator: dict, fields: dict) -> tuple[ValueKey, dict]:
    """A value's key and fields (value, is_preliminary) as a form or a file gives them;
    ValidationError names every field that breaks a rule."""
    problems: dict = {}
    key = clean_key(problems, indicator, fields)
    value = clean_amount(problems, "value", fields.get("value"))
    raise_if(problems)
    return key, {"value": tidy(value), "is_preliminary": bool(fields.get("is_preliminary"))}


def _editable_values(indicator: dict) -> None:
    if indicator["role"] == "emissions":
        raise UserError("emission values come from SYKE's file", key="validation.emission_values_from_syke")


def _stored_value(cur, indicator_id: int, key: ValueKey) -> dict | None:
    row = cur.execute(
        "SELECT value, is_preliminary FROM indicator_values WHERE indicator_id = ? AND year = ? AND month = ?"
        " AND sector = ?",
        [indicator_id, key.year, key.month, key.sector],
    ).fetchone()
    return None if row is None else {"value": tidy(row[0]), "is_preliminary": row[1]}


def _key_fields(key: ValueKey) -> dict:
    return {"year": key.year, "month": key.month, "sector": key.sector}


def set_value(
    con: duckdb.DuckDBPyConnection, caller: Caller, indicator_id: int, fields: dict, *, now: datetime | None = None
) -> bool:
    """Set one value (a new one, or over the one stored for its year, month and category);
    returns whether anything changed."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        indicator = fetch_indicator(cur, indicator_id)
        _editable_values(indicator)
        key, clean = clean_value(indicator, fields)
        return bool(write_values(cur, caller, indicator_id, {key: clean}, source="form", now=now)[:2] != (0, 0))

    return run_service(con, caller, "editor", Target("indicator", indicator_id), write, now)


def remove_value(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    year: int,
    month: int = 0,
    sector: str = "",
    *,
    now: datetime | None = None,
) -> bool:
    """Delete one value; returns False when there was none. The audit row keeps it."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        key = ValueKey(int(year), int(month or 0), sector or "")
        indicator = fetch_indicator(cur, indicator_id)
        _editable_values(indicator)
        stored = _stored_value(cur, indicator_id, key)
        if stored is None:
            return False
        cur.execute(
            "DELETE FROM indicator_values WHERE indicator_id = ? AND year = ? AND month = ? AND sector = ?",
            [indicator_id, key.year, key.month, key.sector],
        )
        audit.record(
            cur, caller, "indicator.remove_value", indicator_id, before=_key_fields(key) | stored, after=None, now=now
        )
        return True

    return run_service(con, caller, "editor", Target("indicator", indicator_id), write, now)


def write_values(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    values: dict[ValueKey, dict],
    *,
    source: str,
    now: datetime,
) -> tuple[int, int, int]:
    """Set many validated values of one indicator in the caller's transaction (a value
    stored for the same key is replaced, others are kept), each change with its audit
    row; returns (created, updated, unchanged)."""
    stored = {
        ValueKey(*row[:3]): {"value": tidy(row[3]), "is_preliminary": row[4]}
        for row in cur.execute(
            "SELECT year, month, sector, value, is_preliminary FROM indicator_values WHERE indicator_id = ?",
            [indicator_id],
        ).fetchall()
    }
    new, changed, unchanged, audits = [], [], 0, []
    for key, wanted in values.items():
        current = stored.get(key)
        if current is None:
            new.append((key, wanted))
            audits.append(("indicator.set_value", indicator_id, None, None, _key_fields(key) | wanted))
        elif current != wanted:
            changed.append((key, wanted))
            old = {k: v for k, v in current.items() if wanted[k] != v}
            audits.append(
                (
                    "indicator.set_value",
                    indicator_id,
                    None,
                    _key_fields(key) | old,
                    _key_fields(key) | {k: wanted[k] for k in old},
                )
            )
        else:
            unchanged += 1
    rows = [
        {"indicator_id": indicator_id, **_key_fields(key), **wanted, "source": source} for key, wanted in new + changed
    ]
    if rows:
        frame = pa.table({column: pa.array([r[column] for r in rows], kind) for column, kind in _VALUE_TYPES.items()})
        cur.register("staged_values", frame)
        try:
            cur.execute(
                "DELETE FROM indicator_values USING staged_values AS s"
                " WHERE indicator_values.indicator_id = s.indicator_id AND indicator_values.year = s.year"
                " AND indicator_values.month = s.month"
                " AND indicator_values.sector = s.sector"
            )
            cur.execute(
                "INSERT INTO indicator_values (indicator_id, year, month, sector, value, is_preliminary, source,"
                " updated_at) SELECT indicator_id, year, month, sector, value, is_preliminary, source, $now"
                " FROM staged_values",
                {"now": now},
            )
        finally:
            cur.unregister("staged_values")
    audit.record_many(cur, caller, now, audits)
    return len(new), len(changed), unchanged


def import_values(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    values: dict[ValueKey, dict],
    *,
    file_name: str,
    now: datetime | None = None,
) -> tuple[int, int, int]:
    """A values file's clean rows written in one transaction: (created, updated, unchanged)."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        indicator = fetch_indicator(cur, indicator_id)
        _editable_values(indicator)
        return write_values(cur, caller, indicator_id, values, source=f"import:{file_name}", now=now)

    return run_service(con, caller, "editor", Target("indicator", indicator_id), write, now)


def remove_values_and_goals(cur: duckdb.DuckDBPyConnection, indicator_id: int) -> tuple[int, int]:
    """Delete all of an indicator's values and goals in the caller's transaction (the
    indicator itself is being removed, and its audit row counts them): (values, goals)."""
    values = cur.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = ?", [indicator_id]).fetchone()[0]
    goals = cur.execute("SELECT count(*) FROM indicator_goals WHERE indicator_id = ?", [indicator_id]).fetchone()[0]
    cur.execute("DELETE FROM indicator_values WHERE indicator_id = ?", [indicator_id])
    cur.execute("DELETE FROM indicator_goals WHERE indicator_id = ?", [indicator_id])
    return values, goals


# -- goals --


def set_goal(
    con: duckdb.DuckDBPyConnection, caller: Caller, indicator_id: int, fields: dict, *, now: datetime | None = None
) -> None:
    """Set the goal of a year (or a month of it), replacing the one stored there."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        indicator = fetch_indicator(cur, indicator_id)
        problems: dict = {}
        key = clean_key(problems, {**indicator, "breakdown": None}, {**fields, "sector": None})
        value = clean_amount(problems, "value", fields.get("value"))
        note = clean_text(problems, "note", fields.get("note"), rules.EFFECT_NOTE_MAX)
        raise_if(problems)
        row = cur.execute(
            "SELECT value, note FROM indicator_goals WHERE indicator_id = ? AND year = ? AND month = ?",
            [indicator_id, key.year, key.month],
        ).fetchone()
        wanted = {"value": tidy(value), "note": note}
        where = {"year": key.year, "month": key.month}
        if row is not None:
            current = {"value": tidy(row[0]), "note": row[1]}
            if current == wanted:
                return
            cur.execute(
                "DELETE FROM indicator_goals WHERE indicator_id = ? AND year = ? AND month = ?",
                [indicator_id, key.year, key.month],
            )
        cur.execute(
            "INSERT INTO indicator_goals (indicator_id, year, month, value, note) VALUES (?, ?, ?, ?, ?)",
            [indicator_id, key.year, key.month, value, note],
        )
        before = None if row is None else where | current
        audit.record(cur, caller, "indicator.set_goal", indicator_id, before=before, after=where | wanted, now=now)

    return run_service(con, caller, "editor", Target("indicator", indicator_id), write, now)


def remove_goal(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    year: int,
    month: int = 0,
    *,
    now: datetime | None = None,
) -> bool:
    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        fetch_indicator(cur, indicator_id)
        row = cur.execute(
            "SELECT value, note FROM indicator_goals WHERE indicator_id = ? AND year = ? AND month = ?",
            [indicator_id, year, month or 0],
        ).fetchone()
        if row is None:
            return False
        cur.execute(
            "DELETE FROM indicator_goals WHERE indicator_id = ? AND year = ? AND month = ?",
            [indicator_id, year, month or 0],
        )
        before = {"year": year, "month": month or 0, "value": tidy(row[0]), "note": row[1]}
        audit.record(cur, caller, "indicator.remove_goal", indicator_id, before=before, after=None, now=now)
        return True

    return run_service(con, caller, "editor", Target("indicator", indicator_id), write, now)


def refresh_emission_values(cur: duckdb.DuckDBPyConnection, indicator: dict, *, now: datetime) -> None:
    """The emissions indicator's values summed again from the organisation's emission rows:
    its reading per year and level-3 sector. Derived data of an audited import (or of the
    audited choice of reading), so not audited value by value."""
    cur.execute("DELETE FROM indicator_values WHERE indicator_id = ?", [indicator["id"]])
    cur.execute(
        """INSERT INTO indicator_values (indicator_id, year, month, sector, value, is_preliminary, source, updated_at)
        SELECT $indicator_id, year, 0, level_3, CAST(value AS DECIMAL(24, 6)), is_preliminary, source, $now
        FROM (
            SELECT
                r.year,
                r.level_3,
                sum(emission_value($reading, r.kt, r.kt_wind, r.is_hinku, r.is_ets, r.is_credit)) AS value,
                bool_or(r.is_preliminary) AS is_preliminary,
                'syke:' || any_value(i.file_name) AS source
            FROM emission_rows AS r
            JOIN emission_imports AS i ON i.id = r.import_id
            WHERE r.organisation_id = $organisation_id
            GROUP BY r.year, r.level_3
        )
        WHERE value IS NOT NULL""",
        {
            "indicator_id": indicator["id"],
            "organisation_id": indicator["organisation_id"],
            "reading": indicator["emission_reading"] or "hinku",
            "now": now,
        },
    )
