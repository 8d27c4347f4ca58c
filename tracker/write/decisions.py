"""Writes of ``decisions`` and ``measure_decisions``: the decisions register
(create, save, link to measures) and the inner writes a decision's proposal
coordinates. No other module writes these two tables.

Each measure linked or unlinked gets its own audit row naming the measure,
so the change shows in that measure's history too.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from tracker import db, rules
from tracker.auth import Caller, require
from tracker.errors import NotFound, ValidationError
from tracker.write import audit
from tracker.write.base import (
    Target,
    check_version,
    fetch_row,
    in_transaction,
    raise_if,
    read_one,
    run_service,
    split_changes,
)
from tracker.write.fields import check_url, clean_date, clean_int, clean_text
from tracker.write.ids import allocate_id

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
# field -> (max length, required)
DECISION_TEXT_FIELDS = {
    "body": (rules.NAME_MAX, True),
    "case_number": (50, False),
    "title": (500, False),
    "url": (2000, False),
    "text": (200000, False),
}
# The columns a new decision is written with (after its organisation).
_INSERTED = ("body", "decided_on", "section", "case_number", "title", "outcome", "unanimous", "url", "text")


def fetch_decision(cur: duckdb.DuckDBPyConnection, decision_id: int) -> dict:
    return fetch_row(cur, "decisions", DECISION_FIELDS, decision_id, NotFound(f"decision {decision_id}"))


def read_decision(con: duckdb.DuckDBPyConnection, decision_id: int) -> dict:
    """The decision as its form loads it."""
    return read_one(con, fetch_decision, decision_id)


def validate_decision(fields: dict) -> dict:
    problems: dict = {}
    clean = {
        name: clean_text(problems, name, fields.get(name), limit, required=required)
        for name, (limit, required) in DECISION_TEXT_FIELDS.items()
    }
    check_url(problems, "url", clean["url"])
    clean["decided_on"] = clean_date(problems, "decided_on", fields.get("decided_on"))
    clean["section"] = clean_int(problems, "section", fields.get("section"), 1, rules.SECTION_MAX)
    outcome = fields.get("outcome")
    if outcome not in rules.OUTCOMES:
        problems["outcome"] = ("validation.unknown_choice", {"value": outcome or ""})
    clean["outcome"] = outcome
    unanimous = fields.get("unanimous")
    clean["unanimous"] = None if unanimous is None else bool(unanimous)
    raise_if(problems)
    return clean


def _decision_target(decision_id: int, expected_version: int) -> Target:
    return Target("decision", decision_id, expected_version, lambda cur: fetch_decision(cur, decision_id))


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

    def write(cur: duckdb.DuckDBPyConnection, now: datetime) -> int:
        decision_id = insert_decision(cur, caller, organisation_id, validate_decision(fields), now=now)
        apply_links(cur, caller, {"id": decision_id, "organisation_id": organisation_id}, measure_ids, now)
        return decision_id

    return run_service(con, caller, "editor", Target("decision"), write, now)


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
    return _save_decision(con, caller, decision_id, clean, measure_ids, expected_version, now or db.utcnow())


def _save_decision(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    decision_id: int,
    clean: dict,
    measure_ids,
    expected_version: int,
    now: datetime,
) -> int:
    """Write the validated ``clean`` fields and (unless None) the links; one
    version bump for both, and an audit row only when a field changed (each
    link keeps its own audit row). Returns the decision's version afterwards."""

    def write(cur: duckdb.DuckDBPyConnection) -> int:
        before = fetch_decision(cur, decision_id)
        check_version("decision", decision_id, before, expected_version)
        old, new = split_changes(before, clean)
        links_changed = measure_ids is not None and apply_links(cur, caller, before, measure_ids, now)
        if not new and not links_changed:
            return before["version"]
        assignments = "".join(f"{name} = ?, " for name in new)
        cur.execute(
            f"UPDATE decisions SET {assignments}updated_at = ?, version = version + 1 WHERE id = ?",  # noqa: S608
            [*new.values(), now, decision_id],
        )
        if new:
            audit.record(
                cur, caller, "decision.update", decision_id, before=old, after=new, version=expected_version, now=now
            )
        return expected_version + 1

    return in_transaction(con, _decision_target(decision_id, expected_version), write)


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
    # No fields to change: the shared save bumps the version only when a link changed.
    return _save_decision(con, caller, decision_id, {}, measure_ids, expected_version, now or db.utcnow())


def insert_decision(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    organisation_id: int,
    fields: dict,
    *,
    now: datetime,
    measure_id: int | None = None,
) -> int:
    """A new decision of an organisation from validated ``fields`` (every
    column of ``_INSERTED``), with its audit row; ``measure_id`` files the row
    under the measure the decision was recorded for."""
    decision_id = allocate_id(cur, "decisions")
    values = {name: fields[name] for name in _INSERTED}
    cur.execute(
        f"INSERT INTO decisions (id, organisation_id, {', '.join(_INSERTED)}, created_at, updated_at)"  # noqa: S608
        f" VALUES (?, ?, {', '.join('?' for _ in _INSERTED)}, ?, ?)",
        [decision_id, organisation_id, *values.values(), now, now],
    )
    audit.record(cur, caller, "decision.create", decision_id, before=None, after=values, measure_id=measure_id, now=now)
    return decision_id


def linked_measures(cur: duckdb.DuckDBPyConnection, decision_id: int) -> set[int]:
    rows = cur.execute("SELECT measure_id FROM measure_decisions WHERE decision_id = ?", [decision_id]).fetchall()
    return {row[0] for row in rows}


def set_link(
    cur: duckdb.DuckDBPyConnection, caller: Caller, decision_id: int, measure_id: int, *, linked: bool, now: datetime
) -> None:
    """Link a measure to a decision it is not yet linked to, or (``linked`` False)
    unlink one that is; the caller checked which."""
    if linked:
        cur.execute("INSERT INTO measure_decisions (measure_id, decision_id) VALUES (?, ?)", [measure_id, decision_id])
    else:
        cur.execute("DELETE FROM measure_decisions WHERE measure_id = ? AND decision_id = ?", [measure_id, decision_id])
    link = {"measure_id": measure_id}
    action = "decision.link_measure" if linked else "decision.unlink_measure"
    before, after = (None, link) if linked else (link, None)
    audit.record(cur, caller, action, decision_id, before=before, after=after, measure_id=measure_id, now=now)


def apply_links(cur: duckdb.DuckDBPyConnection, caller: Caller, decision: dict, measure_ids, now: datetime) -> bool:
    """Make the decision's links exactly ``measure_ids``; True when any changed."""
    wanted = {int(m) for m in measure_ids}
    decision_id = decision["id"]
    linked = linked_measures(cur, decision_id)
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
        set_link(cur, caller, decision_id, measure_id, linked=True, now=now)
    for measure_id in sorted(linked - wanted):
        set_link(cur, caller, decision_id, measure_id, linked=False, now=now)
    return True
