"""Writes of ``indicators``: the indicator form and the organisation's emissions
indicator the SYKE import makes. Its values and goals are written by
indicator_values.py, its links to measures by indicator_links.py; every name those
modules and indicator_fields.py give is importable from here too, so callers keep
one ``write.indicators`` to reach. No other module writes these tables (the demo and
synthetic loaders aside, see their headers).

Every change is audited: an indicator's fields as a versioned form; each value
and goal set or removed with what it was; each link. An indicator is at most
one per organisation in each role (emissions, population); the rules the
schema's keys express are checked here before writing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import duckdb

from tracker import rules
from tracker.auth import Caller
from tracker.errors import NotFound, ValidationError
from tracker.write import audit
from tracker.write.base import Target, check_version, raise_if, run_service, split_changes
from tracker.write.fields import clean_decimal, clean_int, clean_text
from tracker.write.ids import allocate_id
from tracker.write.indicator_fields import (
    BREAKDOWNS,
    DIRECTIONS,
    EFFECTS,
    FORM_FIELDS,
    FORM_ROLES,
    FREQUENCIES,
    INDICATOR_FIELDS,
    READINGS,
    TEXT_FIELDS,
    choice,
    fetch_indicator,
    read_indicator,
)
from tracker.write.indicator_links import LINK_FIELDS, link_measure, unlink_measure
from tracker.write.indicator_values import (
    ValueKey,
    clean_value,
    import_values,
    refresh_emission_values,
    remove_goal,
    remove_value,
    remove_values_and_goals,
    set_goal,
    set_value,
    tidy,
    write_values,
)

# names other modules reach through write.indicators
__all__ = [
    "BREAKDOWNS",
    "DIRECTIONS",
    "EFFECTS",
    "EMISSIONS_INDICATOR",
    "FORM_FIELDS",
    "FORM_ROLES",
    "FREQUENCIES",
    "INDICATOR_FIELDS",
    "LINK_FIELDS",
    "READINGS",
    "TEXT_FIELDS",
    "ValueKey",
    "clean_value",
    "create_indicator",
    "emissions_indicator",
    "ensure_emissions_indicator",
    "fetch_indicator",
    "import_values",
    "insert_indicator",
    "link_measure",
    "read_indicator",
    "refresh_emission_values",
    "remove_goal",
    "remove_indicator",
    "remove_value",
    "save_indicator",
    "set_goal",
    "set_value",
    "tidy",
    "unlink_measure",
    "write_values",
]

_UPDATE_SQL = "UPDATE indicators SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"

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


def _validate_indicator(cur, organisation_id: int, current: dict | None, fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "name_fi": clean_text(problems, "name_fi", fields.get("name_fi"), rules.NAME_MAX, required=True),
        "name_sv": clean_text(problems, "name_sv", fields.get("name_sv"), rules.NAME_MAX),
        "name_en": clean_text(problems, "name_en", fields.get("name_en"), rules.NAME_MAX),
        "unit": clean_text(problems, "unit", fields.get("unit"), rules.INDICATOR_UNIT_MAX, required=True),
        "direction": choice(problems, "direction", fields.get("direction"), DIRECTIONS, required=True),
        "frequency": choice(problems, "frequency", fields.get("frequency"), FREQUENCIES, required=True),
        "breakdown": choice(problems, "breakdown", fields.get("breakdown"), BREAKDOWNS),
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
        clean["emission_reading"] = choice(
            problems, "emission_reading", fields.get("emission_reading"), READINGS, required=True
        )
    else:
        clean["role"] = choice(problems, "role", fields.get("role"), FORM_ROLES)
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

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        if cur.execute("SELECT 1 FROM organisations WHERE id = ?", [organisation_id]).fetchone() is None:
            raise NotFound(f"organisation {organisation_id}")
        clean = _validate_indicator(cur, organisation_id, None, fields)
        return insert_indicator(cur, caller, organisation_id, clean, now=now)

    return run_service(con, caller, "editor", Target("indicator"), write, now)


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
    target = Target("indicator", indicator_id, expected_version, lambda cur: fetch_indicator(cur, indicator_id))

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
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
            cur, caller, "indicator.update", indicator_id, before=old, after=new, version=expected_version, now=now
        )
        if before["role"] == "emissions" and "emission_reading" in new:
            refresh_emission_values(cur, fetch_indicator(cur, indicator_id), now=now)
        return expected_version + 1

    return run_service(con, caller, "editor", target, write, now)


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
    target = Target("indicator", indicator_id, expected_version, lambda cur: fetch_indicator(cur, indicator_id))

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        before = fetch_indicator(cur, indicator_id)
        check_version("indicator", indicator_id, before, expected_version)
        links = _count(cur, "SELECT count(*) FROM measure_indicators WHERE indicator_id = ?", indicator_id)
        if links:
            raise ValidationError({"indicator": ("validation.indicator_in_use", {"count": links})})
        if before["role"] == "emissions":
            raise ValidationError({"indicator": ("validation.emissions_indicator_kept", {})})
        values, goals = remove_values_and_goals(cur, indicator_id)
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

    return run_service(con, caller, "editor", target, write, now)


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
