"""Writes of ``indicators``, ``indicator_values``, ``indicator_goals`` and
``measure_indicators``: the indicator form, one value or goal at a time, the
values spreadsheet, a measure's link with the effect expected of it, and the
inner writes the SYKE import makes (the organisation's emissions indicator and
its values, derived from its emission rows). No other module writes these
tables (the demo and synthetic loaders aside, see their headers).

Every change is audited: an indicator's fields as a versioned form; each value
and goal set or removed with what it was; each link. An indicator is at most
one per organisation in each role (emissions, population); the rules the
schema's keys express are checked here before writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb
import pyarrow as pa

from tracker import db, rules
from tracker.auth import Caller, require
from tracker.errors import NotFound, UserError, ValidationError
from tracker.write import audit
from tracker.write.base import (
    Target,
    check_version,
    fetch_row,
    in_transaction,
    raise_if,
    read_one,
    split_changes,
)
from tracker.write.fields import clean_decimal, clean_int, clean_text
from tracker.write.ids import allocate_id
from tracker.write.measures import organisation_of

DIRECTIONS = ("decrease", "increase")
FREQUENCIES = ("yearly", "monthly")
BREAKDOWNS = ("sector", "area")
# roles a person may give an indicator; "emissions" is given by the SYKE import only
FORM_ROLES = ("population",)
# the readings of SYKE's rows an emissions indicator may follow (the macro emission_value)
READINGS = ("hinku", "total", "non_ets")
EFFECTS = ("decrease", "increase")

INDICATOR_FIELDS = (
    "id",
    "organisation_id",
    "name_fi",
    "name_sv",
    "name_en",
    "description_fi",
    "description_sv",
    "description_en",
    "unit",
    "direction",
    "frequency",
    "breakdown",
    "role",
    "emission_reading",
    "base_year",
    "target_year",
    "target_reduction_pct",
    "is_published",
    "is_illustrative",
    "version",
)
# what the indicator form edits
FORM_FIELDS = tuple(f for f in INDICATOR_FIELDS if f not in ("id", "organisation_id", "is_illustrative", "version"))
_UPDATE_SQL = "UPDATE indicators SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"
_VALUE_TYPES = {
    "indicator_id": pa.int32(),
    "year": pa.int32(),
    "month": pa.int32(),
    "sector": pa.string(),
    "value": pa.decimal128(24, 6),
    "is_preliminary": pa.bool_(),
    "source": pa.string(),
}

# The emissions indicator the SYKE import makes: Hinku's target (−80 % from 2007 by 2030) until
# the organisation sets its own.
HINKU_BASE_YEAR, HINKU_TARGET_YEAR, HINKU_REDUCTION_PCT = 2007, 2030, Decimal(80)
EMISSIONS_INDICATOR = {
    "name_fi": "Kasvihuonekaasupäästöt",
    "name_sv": "Växthusgasutsläpp",
    "name_en": "Greenhouse-gas emissions",
    "description_fi": "Suomen ympäristökeskuksen (SYKE) ALas-mallin kuntakohtaiset päästöt.",
    "description_sv": "Kommunens utsläpp enligt Finlands miljöcentrals (SYKE) ALas-modell.",
    "description_en": "The municipality's emissions from the Finnish Environment Institute's (SYKE) ALas model.",
    "unit": "kt CO2e",
    "direction": "decrease",
    "frequency": "yearly",
    "breakdown": "sector",
    "role": "emissions",
    "emission_reading": "hinku",
    "base_year": HINKU_BASE_YEAR,
    "target_year": HINKU_TARGET_YEAR,
    "target_reduction_pct": HINKU_REDUCTION_PCT,
    "is_published": True,
}


# -- indicators --


def fetch_indicator(cur: duckdb.DuckDBPyConnection, indicator_id: int) -> dict:
    return fetch_row(
        cur, "indicators", INDICATOR_FIELDS, indicator_id, NotFound(f"indicator {indicator_id}", key="error.not_found")
    )


def read_indicator(con: duckdb.DuckDBPyConnection, indicator_id: int) -> dict:
    """The indicator as its form loads it."""
    return read_one(con, fetch_indicator, indicator_id)


def _choice(problems: dict, field: str, value, allowed: tuple, *, required: bool = False):
    value = None if value is None or (isinstance(value, str) and not value.strip()) else value
    if value is None:
        if required:
            problems[field] = ("validation.required", {})
        return None
    if value not in allowed:
        problems[field] = ("validation.unknown_choice", {})
        return None
    return value


def _validate_indicator(cur, organisation_id: int, current: dict | None, fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "name_fi": clean_text(problems, "name_fi", fields.get("name_fi"), rules.NAME_MAX, required=True),
        "name_sv": clean_text(problems, "name_sv", fields.get("name_sv"), rules.NAME_MAX),
        "name_en": clean_text(problems, "name_en", fields.get("name_en"), rules.NAME_MAX),
        "unit": clean_text(problems, "unit", fields.get("unit"), rules.INDICATOR_UNIT_MAX, required=True),
        "direction": _choice(problems, "direction", fields.get("direction"), DIRECTIONS, required=True),
        "frequency": _choice(problems, "frequency", fields.get("frequency"), FREQUENCIES, required=True),
        "breakdown": _choice(problems, "breakdown", fields.get("breakdown"), BREAKDOWNS),
        "is_published": bool(fields.get("is_published", True)),
    }
    for lang in ("fi", "sv", "en"):
        field = f"description_{lang}"
        clean[field] = clean_text(problems, field, fields.get(field), rules.INDICATOR_DESCRIPTION_MAX)
    # The emissions role is the SYKE import's; it stays with its indicator, and only there is a reading chosen.
    if current is not None and current["role"] == "emissions":
        for field in ("unit", "direction", "frequency", "breakdown"):
            clean[field] = current[field]
            problems.pop(field, None)
        clean["role"] = "emissions"
        clean["emission_reading"] = _choice(
            problems, "emission_reading", fields.get("emission_reading"), READINGS, required=True
        )
    else:
        clean["role"] = _choice(problems, "role", fields.get("role"), FORM_ROLES)
        clean["emission_reading"] = None
    _clean_target(problems, clean, fields)
    _check_against_stored(cur, problems, organisation_id, current, clean)
    raise_if(problems)
    return clean


def _clean_target(problems: dict, clean: dict, fields: dict) -> None:
    """The reduction target: base year, target year and % together, or none of them."""
    clean["base_year"] = clean_int(problems, "base_year", fields.get("base_year"), rules.MIN_YEAR, rules.MAX_YEAR)
    clean["target_year"] = clean_int(problems, "target_year", fields.get("target_year"), rules.MIN_YEAR, rules.MAX_YEAR)
    pct = clean_decimal(
        problems, "target_reduction_pct", fields.get("target_reduction_pct"), decimals=2, largest=Decimal(100)
    )
    clean["target_reduction_pct"] = pct
    if "target_reduction_pct" not in problems and pct is not None and pct <= 0:
        problems["target_reduction_pct"] = ("validation.reduction_range", {})
    given = [clean[f] is not None for f in ("base_year", "target_year", "target_reduction_pct")]
    if any(given) and not all(given):
        for field, present in zip(("base_year", "target_year", "target_reduction_pct"), given, strict=True):
            if not present and field not in problems:
                problems[field] = ("validation.target_incomplete", {})
    if (
        all(given)
        and "target_year" not in problems
        and "base_year" not in problems
        and clean["target_year"] <= clean["base_year"]
    ):
        problems["target_year"] = ("validation.target_before_base", {})


def _check_against_stored(cur, problems: dict, organisation_id: int, current: dict | None, clean: dict) -> None:
    indicator_id = None if current is None else current["id"]
    if "name_fi" not in problems:
        taken = cur.execute(
            "SELECT id FROM indicators WHERE organisation_id = ? AND lower(name_fi) = lower(?)"
            " AND id IS DISTINCT FROM ?",
            [organisation_id, clean["name_fi"], indicator_id],
        ).fetchone()
        if taken:
            problems["name_fi"] = ("validation.indicator_name_taken", {"name": clean["name_fi"]})
    if clean["role"] == "population" and "role" not in problems:
        taken = cur.execute(
            "SELECT id FROM indicators WHERE organisation_id = ? AND role = 'population' AND id IS DISTINCT FROM ?",
            [organisation_id, indicator_id],
        ).fetchone()
        if taken:
            problems["role"] = ("validation.population_taken", {})
    if current is None:
        return
    # Values already stored must still fit: their months and categories.
    if "frequency" not in problems and clean["frequency"] != current["frequency"]:
        if _count(cur, "SELECT count(*) FROM indicator_values WHERE indicator_id = ?", indicator_id):
            problems["frequency"] = ("validation.frequency_has_values", {})
    if "breakdown" not in problems and clean["breakdown"] is None and current["breakdown"] is not None:
        if _count(cur, "SELECT count(*) FROM indicator_values WHERE indicator_id = ? AND sector <> ''", indicator_id):
            problems["breakdown"] = ("validation.breakdown_has_values", {})
    if "breakdown" not in problems and clean["breakdown"] is not None and current["breakdown"] is None:
        if _count(cur, "SELECT count(*) FROM indicator_values WHERE indicator_id = ? AND sector = ''", indicator_id):
            problems["breakdown"] = ("validation.breakdown_has_values", {})


def _count(cur, sql: str, *params) -> int:
    return cur.execute(sql, list(params)).fetchone()[0]


def create_indicator(
    con: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, fields: dict, *, now: datetime | None = None
) -> int:
    """A new indicator of an organisation; returns its id."""
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        if cur.execute("SELECT 1 FROM organisations WHERE id = ?", [organisation_id]).fetchone() is None:
            raise NotFound(f"organisation {organisation_id}")
        clean = _validate_indicator(cur, organisation_id, None, fields)
        return insert_indicator(cur, caller, organisation_id, clean, now=now)

    return in_transaction(con, Target("indicator"), write)


def insert_indicator(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    organisation_id: int,
    clean: dict,
    *,
    now: datetime,
    is_illustrative: bool = False,
) -> int:
    """A new indicator from validated fields, with its audit row."""
    indicator_id = allocate_id(cur, "indicators")
    names = list(clean)
    cur.execute(
        f"INSERT INTO indicators (id, organisation_id, {', '.join(names)}, is_illustrative, updated_at, version)"  # noqa: S608
        f" VALUES (?, ?, {', '.join('?' for _ in names)}, ?, ?, 1)",
        [indicator_id, organisation_id, *clean.values(), is_illustrative, now],
    )
    audit.record(cur, caller, "indicator.create", indicator_id, before=None, after=clean, now=now)
    return indicator_id


def save_indicator(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    fields: dict,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Save the indicator form over the version it loaded; returns the version now current.
    An emissions indicator whose reading changed gets its values summed again from its
    rows in the same transaction."""
    require(caller, "editor")
    now = now or db.utcnow()
    target = Target("indicator", indicator_id, expected_version, lambda cur: fetch_indicator(cur, indicator_id))

    def write(cur: duckdb.DuckDBPyConnection):
        before = fetch_indicator(cur, indicator_id)
        clean = _validate_indicator(cur, before["organisation_id"], before, fields)
        check_version("indicator", indicator_id, before, expected_version)
        old, new = split_changes(before, clean)
        if not new:
            return expected_version
        # Column names are the validated field names, never user text; values are parameters.
        assignments = ", ".join(f"{name} = ?" for name in new)
        cur.execute(_UPDATE_SQL.format(assignments=assignments), [*new.values(), now, indicator_id, expected_version])
        audit.record(
            cur,
            caller,
            "indicator.update",
            indicator_id,
            before={**old, "version": expected_version},
            after={**new, "version": expected_version + 1},
            now=now,
        )
        if before["role"] == "emissions" and "emission_reading" in new:
            refresh_emission_values(cur, fetch_indicator(cur, indicator_id), now=now)
        return expected_version + 1

    return in_transaction(con, target, write)


def remove_indicator(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> None:
    """Delete an indicator no measure is linked to, with its values and goals; the audit
    row keeps its fields and how many values and goals went with it."""
    require(caller, "editor")
    now = now or db.utcnow()
    target = Target("indicator", indicator_id, expected_version, lambda cur: fetch_indicator(cur, indicator_id))

    def write(cur: duckdb.DuckDBPyConnection):
        before = fetch_indicator(cur, indicator_id)
        check_version("indicator", indicator_id, before, expected_version)
        links = _count(cur, "SELECT count(*) FROM measure_indicators WHERE indicator_id = ?", indicator_id)
        if links:
            raise ValidationError({"indicator": ("validation.indicator_in_use", {"count": links})})
        if before["role"] == "emissions":
            raise ValidationError({"indicator": ("validation.emissions_indicator_kept", {})})
        values = _count(cur, "SELECT count(*) FROM indicator_values WHERE indicator_id = ?", indicator_id)
        goals = _count(cur, "SELECT count(*) FROM indicator_goals WHERE indicator_id = ?", indicator_id)
        cur.execute("DELETE FROM indicator_values WHERE indicator_id = ?", [indicator_id])
        cur.execute("DELETE FROM indicator_goals WHERE indicator_id = ?", [indicator_id])
        cur.execute("DELETE FROM indicators WHERE id = ?", [indicator_id])
        audit.record(
            cur,
            caller,
            "indicator.delete",
            indicator_id,
            before={**{k: v for k, v in before.items() if k != "id"}, "values": values, "goals": goals},
            after=None,
            now=now,
        )

    return in_transaction(con, target, write)


# -- values --


@dataclass(frozen=True)
class ValueKey:
    year: int
    month: int
    sector: str


def _clean_key(problems: dict, indicator: dict, fields: dict) -> ValueKey | None:
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


def _clean_amount(problems: dict, field: str, value, *, required: bool = True) -> Decimal | None:
    return clean_decimal(
        problems, field, value, decimals=rules.INDICATOR_DECIMALS, largest=rules.MAX_INDICATOR_VALUE, required=required
    )


def clean_value(indicator: dict, fields: dict) -> tuple[ValueKey, dict]:
    """A value's key and fields (value, is_preliminary) as a form or a file gives them;
    ValidationError names every field that breaks a rule."""
    problems: dict = {}
    key = _clean_key(problems, indicator, fields)
    value = _clean_amount(problems, "value", fields.get("value"))
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
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        indicator = fetch_indicator(cur, indicator_id)
        _editable_values(indicator)
        key, clean = clean_value(indicator, fields)
        return bool(write_values(cur, caller, indicator_id, {key: clean}, source="form", now=now)[:2] != (0, 0))

    return in_transaction(con, Target("indicator", indicator_id), write)


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
    require(caller, "editor")
    now = now or db.utcnow()
    key = ValueKey(int(year), int(month or 0), sector or "")

    def write(cur: duckdb.DuckDBPyConnection):
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

    return in_transaction(con, Target("indicator", indicator_id), write)


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
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        indicator = fetch_indicator(cur, indicator_id)
        _editable_values(indicator)
        return write_values(cur, caller, indicator_id, values, source=f"import:{file_name}", now=now)

    return in_transaction(con, Target("indicator", indicator_id), write)


# -- goals --


def set_goal(
    con: duckdb.DuckDBPyConnection, caller: Caller, indicator_id: int, fields: dict, *, now: datetime | None = None
) -> None:
    """Set the goal of a year (or a month of it), replacing the one stored there."""
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        indicator = fetch_indicator(cur, indicator_id)
        problems: dict = {}
        key = _clean_key(problems, {**indicator, "breakdown": None}, {**fields, "sector": None})
        value = _clean_amount(problems, "value", fields.get("value"))
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

    return in_transaction(con, Target("indicator", indicator_id), write)


def remove_goal(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    year: int,
    month: int = 0,
    *,
    now: datetime | None = None,
) -> bool:
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
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

    return in_transaction(con, Target("indicator", indicator_id), write)


# -- links to measures --

LINK_FIELDS = ("effect", "effect_amount", "effect_year", "effect_note")


def _clean_link(fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "effect": _choice(problems, "effect", fields.get("effect"), EFFECTS, required=True),
        "effect_amount": tidy(_clean_amount(problems, "effect_amount", fields.get("effect_amount"), required=False)),
        "effect_year": clean_int(problems, "effect_year", fields.get("effect_year"), rules.MIN_YEAR, rules.MAX_YEAR),
        "effect_note": clean_text(problems, "effect_note", fields.get("effect_note"), rules.EFFECT_NOTE_MAX),
    }
    if clean["effect_amount"] is not None and "effect_amount" not in problems and clean["effect_amount"] < 0:
        problems["effect_amount"] = ("validation.effect_amount_negative", {})
    raise_if(problems)
    return clean


def link_measure(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    indicator_id: int,
    measure_id: int,
    fields: dict,
    *,
    now: datetime | None = None,
) -> bool:
    """Link a measure of the indicator's organisation to the indicator with the effect
    expected of it, or change the effect of a link; returns whether anything changed."""
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        indicator = fetch_indicator(cur, indicator_id)
        if organisation_of(cur, measure_id) != indicator["organisation_id"]:
            raise ValidationError({"measure_id": ("validation.measure_other_organisation", {})})
        clean = _clean_link(fields)
        columns = ", ".join(LINK_FIELDS)
        row = cur.execute(
            f"SELECT {columns} FROM measure_indicators WHERE measure_id = ? AND indicator_id = ?",  # noqa: S608
            [measure_id, indicator_id],
        ).fetchone()
        if row is None:
            cur.execute(
                f"INSERT INTO measure_indicators (measure_id, indicator_id, {columns}) VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608
                [measure_id, indicator_id, *clean.values()],
            )
            after = {"measure_id": measure_id} | clean
            audit.record(
                cur,
                caller,
                "indicator.link_measure",
                indicator_id,
                before=None,
                after=after,
                measure_id=measure_id,
                now=now,
            )
            return True
        current = dict(zip(LINK_FIELDS, row, strict=True))
        current["effect_amount"] = tidy(current["effect_amount"])
        old = {k: v for k, v in current.items() if clean[k] != v}
        if not old:
            return False
        assignments = ", ".join(f"{name} = ?" for name in old)
        cur.execute(
            f"UPDATE measure_indicators SET {assignments} WHERE measure_id = ? AND indicator_id = ?",  # noqa: S608
            [*(clean[k] for k in old), measure_id, indicator_id],
        )
        audit.record(
            cur,
            caller,
            "indicator.update_link",
            indicator_id,
            before={"measure_id": measure_id} | old,
            after={"measure_id": measure_id} | {k: clean[k] for k in old},
            measure_id=measure_id,
            now=now,
        )
        return True

    return in_transaction(con, Target("indicator", indicator_id), write)


def unlink_measure(
    con: duckdb.DuckDBPyConnection, caller: Caller, indicator_id: int, measure_id: int, *, now: datetime | None = None
) -> bool:
    require(caller, "editor")
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        columns = ", ".join(LINK_FIELDS)
        row = cur.execute(
            f"SELECT {columns} FROM measure_indicators WHERE measure_id = ? AND indicator_id = ?",  # noqa: S608
            [measure_id, indicator_id],
        ).fetchone()
        if row is None:
            return False
        cur.execute(
            "DELETE FROM measure_indicators WHERE measure_id = ? AND indicator_id = ?", [measure_id, indicator_id]
        )
        before = {"measure_id": measure_id} | dict(zip(LINK_FIELDS, row, strict=True))
        before["effect_amount"] = tidy(before["effect_amount"])
        audit.record(
            cur,
            caller,
            "indicator.unlink_measure",
            indicator_id,
            before=before,
            after=None,
            measure_id=measure_id,
            now=now,
        )
        return True

    return in_transaction(con, Target("indicator", indicator_id), write)


# -- the emissions indicator (inner writes of the SYKE import) --


def emissions_indicator(cur: duckdb.DuckDBPyConnection, organisation_id: int) -> dict | None:
    row = cur.execute(
        "SELECT id FROM indicators WHERE organisation_id = ? AND role = 'emissions' ORDER BY id LIMIT 1",
        [organisation_id],
    ).fetchone()
    return None if row is None else fetch_indicator(cur, row[0])


def ensure_emissions_indicator(
    cur: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, *, now: datetime, illustrative: bool = False
) -> dict:
    """The organisation's emissions indicator, made with Hinku's target when it has none.
    A name another indicator of the organisation already has gets "(SYKE)" after it."""
    found = emissions_indicator(cur, organisation_id)
    if found is not None:
        return found
    fields = dict(EMISSIONS_INDICATOR)
    taken = cur.execute(
        "SELECT count(*) FROM indicators WHERE organisation_id = ? AND lower(name_fi) = lower(?)",
        [organisation_id, fields["name_fi"]],
    ).fetchone()[0]
    if taken:
        for lang in ("fi", "sv", "en"):
            fields[f"name_{lang}"] += " (SYKE)"
    indicator_id = insert_indicator(cur, caller, organisation_id, fields, now=now, is_illustrative=illustrative)
    return fetch_indicator(cur, indicator_id)


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
