"""An indicator's columns and the choices its fields allow, and reading one: shared by
the indicator's own writes (tracker/write/indicators.py), its values and goals
(indicator_values.py) and its links to measures (indicator_links.py)."""

from __future__ import annotations

import duckdb

from tracker.errors import NotFound
from tracker.write.base import fetch_row, read_one

DIRECTIONS = ("decrease", "increase")
FREQUENCIES = ("yearly", "monthly")
BREAKDOWNS = ("sector", "area")
# roles a person may give an indicator; "emissions" is given by the SYKE import only
FORM_ROLES = ("population",)
# the readings of SYKE's rows an emissions indicator may follow (the macro emission_value)
READINGS = ("hinku", "total", "non_ets")
EFFECTS = ("decrease", "increase")

# the fields a person types as free text
TEXT_FIELDS = (
    "name_fi",
    "name_sv",
    "name_en",
    "description_fi",
    "description_sv",
    "description_en",
    "unit",
)
INDICATOR_FIELDS = (
    "id",
    "organisation_id",
    *TEXT_FIELDS,
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


def fetch_indicator(cur: duckdb.DuckDBPyConnection, indicator_id: int) -> dict:
    return fetch_row(
        cur, "indicators", INDICATOR_FIELDS, indicator_id, NotFound(f"indicator {indicator_id}", key="error.not_found")
    )


def read_indicator(con: duckdb.DuckDBPyConnection, indicator_id: int) -> dict:
    """The indicator as its form loads it."""
    return read_one(con, fetch_indicator, indicator_id)


def choice(problems: dict, field: str, value, allowed: tuple, *, required: bool = False):
    value = None if value is None or (isinstance(value, str) and not value.strip()) else value
    if value is None:
        if required:
            problems[field] = ("validation.required", {})
        return None
    if value not in allowed:
        problems[field] = ("validation.unknown_choice", {})
        return None
    return value
