"""Writes of ``measure_indicators``: a measure of the indicator's organisation linked to
the indicator with the effect expected of it, each link and change audited."""

from __future__ import annotations

from datetime import datetime

import duckdb

from tracker import rules
from tracker.auth import Caller
from tracker.errors import ValidationError
from tracker.write import audit
from tracker.write.base import Target, raise_if, run_service
from tracker.write.fields import clean_int, clean_text
from tracker.write.indicator_fields import EFFECTS, choice, fetch_indicator
from tracker.write.indicator_values import clean_amount, tidy
from tracker.write.measures import organisation_of

# -- links to measures --

LINK_FIELDS = ("effect", "effect_amount", "effect_year", "effect_note")


def _clean_link(fields: dict) -> dict:
    problems: dict = {}
    clean = {
        "effect": choice(problems, "effect", fields.get("effect"), EFFECTS, required=True),
        "effect_amount": tidy(clean_amount(problems, "effect_amount", fields.get("effect_amount"), required=False)),
        "effect_year": clean_int(problems, "effect_year", fields.get("effect_year"), rules.MIN_YEAR, rules.MAX_YEAR),
        "effect_note": clean_text(problems, "effect_note", fields.get("effect_note"), rules.EFFECT_NOTE_MAX),
    }
    if clean["effect_amount"] is not None and "effect_amount" not in problems and clean["effect_amount"] < 0:
        problems["effect_amount"] = ("validation.effect_amount_negative", {})
    raise_if(problems)
    return clean


def _stored_link(cur: duckdb.DuckDBPyConnection, measure_id: int, indicator_id: int) -> dict | None:
    """The link's effect as stored (its amount tidied), or None when the two are not linked."""
    columns = ", ".join(LINK_FIELDS)
    row = cur.execute(
        f"SELECT {columns} FROM measure_indicators WHERE measure_id = ? AND indicator_id = ?",  # noqa: S608
        [measure_id, indicator_id],
    ).fetchone()
    if row is None:
        return None
    stored = dict(zip(LINK_FIELDS, row, strict=True))
    stored["effect_amount"] = tidy(stored["effect_amount"])
    return stored


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

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        indicator = fetch_indicator(cur, indicator_id)
        if organisation_of(cur, measure_id) != indicator["organisation_id"]:
            raise ValidationError({"measure_id": ("validation.measure_other_organisation", {})})
        clean = _clean_link(fields)
        current = _stored_link(cur, measure_id, indicator_id)
        if current is None:
            columns = ", ".join(LINK_FIELDS)
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

    return run_service(con, caller, "editor", Target("indicator", indicator_id), write, now)


def unlink_measure(
    con: duckdb.DuckDBPyConnection, caller: Caller, indicator_id: int, measure_id: int, *, now: datetime | None = None
) -> bool:
    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        stored = _stored_link(cur, measure_id, indicator_id)
        if stored is None:
            return False
        cur.execute(
            "DELETE FROM measure_indicators WHERE measure_id = ? AND indicator_id = ?", [measure_id, indicator_id]
        )
        before = {"measure_id": measure_id} | stored
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

    return run_service(con, caller, "editor", Target("indicator", indicator_id), write, now)
