"""Writes of ``organisations``, ``programmes`` and ``themes``: the inner writes
the spreadsheet import makes when a file names a programme, an organisation
or a theme the database does not hold yet (and that an undo of the import
takes back when nothing else uses them), and an organisation's municipality
number (which SYKE's emission files go by). No other module writes these
tables (the demo and synthetic loaders aside, see their headers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from tracker import db, rules
from tracker.auth import Caller, require
from tracker.errors import NotFound
from tracker.write import audit
from tracker.write.base import Target, in_transaction, raise_if
from tracker.write.fields import clean_int
from tracker.write.ids import allocate_id


def insert_organisation(cur: duckdb.DuckDBPyConnection, caller: Caller, name: str, *, now: datetime) -> int:
    """A new organisation (the caller checked that the name is free), with its audit row."""
    organisation_id = allocate_id(cur, "organisations")
    cur.execute("INSERT INTO organisations (id, name) VALUES (?, ?)", [organisation_id, name])
    audit.record(cur, caller, "organisation.create", organisation_id, before=None, after={"name": name}, now=now)
    return organisation_id


def insert_programme(
    cur: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, name: str, *, now: datetime
) -> int:
    """A new programme of an organisation; the first programme of the database is its default."""
    is_default = cur.execute("SELECT count(*) FROM programmes").fetchone()[0] == 0
    programme_id = allocate_id(cur, "programmes")
    cur.execute(
        "INSERT INTO programmes (id, organisation_id, name, is_default) VALUES (?, ?, ?, ?)",
        [programme_id, organisation_id, name, is_default],
    )
    audit.record(cur, caller, "programme.create", programme_id, before=None, after={"name": name}, now=now)
    return programme_id


def insert_theme(
    cur: duckdb.DuckDBPyConnection, caller: Caller, programme_id: int, position: int, name: str, *, now: datetime
) -> int:
    """A new theme of a programme at ``position``, with its audit row."""
    theme_id = allocate_id(cur, "themes")
    cur.execute(
        "INSERT INTO themes (id, programme_id, position, name_fi) VALUES (?, ?, ?, ?)",
        [theme_id, programme_id, position, name],
    )
    audit.record(
        cur, caller, "theme.create", theme_id, before=None, after={"name_fi": name, "position": position}, now=now
    )
    return theme_id


# -- an organisation's municipality number (issue 16: SYKE's files are by municipality number) --


def fetch_organisation(cur: duckdb.DuckDBPyConnection, organisation_id: int) -> dict:
    row = cur.execute(
        "SELECT id, name, municipality_number FROM organisations WHERE id = ?", [organisation_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"organisation {organisation_id}")
    return {"id": row[0], "name": row[1], "municipality_number": row[2]}


def clean_municipality_number(cur: duckdb.DuckDBPyConnection, organisation_id: int, value) -> int:
    """A municipality number (kuntanumero, 1-999) no other organisation has; ValidationError otherwise."""
    problems: dict = {}
    number = clean_int(
        problems,
        "municipality_number",
        value,
        rules.MIN_MUNICIPALITY_NUMBER,
        rules.MAX_MUNICIPALITY_NUMBER,
        required=True,
    )
    if not problems:
        other = cur.execute(
            "SELECT name FROM organisations WHERE municipality_number = ? AND id <> ?", [number, organisation_id]
        ).fetchone()
        if other:
            problems["municipality_number"] = ("validation.municipality_number_taken", {"name": other[0]})
    raise_if(problems)
    return number


def set_municipality_number(
    cur: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, value, *, now: datetime
) -> int:
    """Give an organisation its municipality number (checked) in the caller's transaction; returns it."""
    current = fetch_organisation(cur, organisation_id)
    number = clean_municipality_number(cur, organisation_id, value)
    if current["municipality_number"] != number:
        cur.execute("UPDATE organisations SET municipality_number = ? WHERE id = ?", [number, organisation_id])
        audit.record(
            cur,
            caller,
            "organisation.set_municipality_number",
            organisation_id,
            before={"municipality_number": current["municipality_number"]},
            after={"municipality_number": number},
            now=now,
        )
    return number


def save_municipality_number(
    con: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, value, *, now: datetime | None = None
) -> int:
    require(caller, "editor")

    def write(cur: duckdb.DuckDBPyConnection):
        return set_municipality_number(cur, caller, organisation_id, value, now=now or db.utcnow())

    return in_transaction(con, Target("organisation", organisation_id), write)


# -- an import's undo: what it created goes again when nothing else uses it --


def delete_unused_theme(cur: duckdb.DuckDBPyConnection, caller: Caller, theme_id: int, *, now: datetime) -> bool:
    """Remove a theme no measure uses (archived ones count); True when removed."""
    if cur.execute("SELECT count(*) FROM measures WHERE theme_id = ?", [theme_id]).fetchone()[0]:
        return False
    row = cur.execute("SELECT programme_id, position, name_fi FROM themes WHERE id = ?", [theme_id]).fetchone()
    if row is None:
        return False
    cur.execute("DELETE FROM themes WHERE id = ?", [theme_id])
    before = {"programme_id": row[0], "position": row[1], "name_fi": row[2]}
    audit.record(cur, caller, "theme.delete", theme_id, before=before, after=None, now=now)
    return True


@dataclass(frozen=True)
class _Deletable:
    """What deleting a named row of one table once nothing uses it takes: its audit
    action, a count of what still belongs to it (``$id``), and its name and delete
    statements, spelled out per table because tests/test_write_ownership.py reads
    them to see which module writes which table."""

    action: str
    users_sql: str
    name_sql: str
    delete_sql: str


_PROGRAMME = _Deletable(
    "programme.delete",
    "SELECT (SELECT count(*) FROM themes WHERE programme_id = $id)"
    " + (SELECT count(*) FROM measures WHERE programme_id = $id)"
    " + (SELECT count(*) FROM reporting_periods WHERE programme_id = $id)",
    "SELECT name FROM programmes WHERE id = ?",
    "DELETE FROM programmes WHERE id = ?",
)
_ORGANISATION = _Deletable(
    "organisation.delete",
    "SELECT (SELECT count(*) FROM programmes WHERE organisation_id = $id)"
    " + (SELECT count(*) FROM cost_centres WHERE organisation_id = $id)"
    " + (SELECT count(*) FROM decisions WHERE organisation_id = $id)"
    " + (SELECT count(*) FROM indicators WHERE organisation_id = $id)"
    " + (SELECT count(*) FROM emission_imports WHERE organisation_id = $id)",
    "SELECT name FROM organisations WHERE id = ?",
    "DELETE FROM organisations WHERE id = ?",
)


def delete_unused_programme(cur: duckdb.DuckDBPyConnection, caller: Caller, programme_id: int, *, now) -> bool:
    """Remove a programme with no theme, measure or period left; True when removed."""
    return _delete_if_unused(cur, caller, _PROGRAMME, programme_id, now=now)


def delete_unused_organisation(cur: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, *, now) -> bool:
    """Remove an organisation nothing belongs to (programme, cost centre, decision, indicator); True when removed."""
    return _delete_if_unused(cur, caller, _ORGANISATION, organisation_id, now=now)


def _delete_if_unused(cur: duckdb.DuckDBPyConnection, caller: Caller, table: _Deletable, row_id: int, *, now) -> bool:
    """Delete the row when nothing still belongs to it; its audit row keeps the name. True when removed."""
    used = cur.execute(table.users_sql, {"id": row_id}).fetchone()[0]
    row = cur.execute(table.name_sql, [row_id]).fetchone()
    if used or row is None:
        return False
    cur.execute(table.delete_sql, [row_id])
    audit.record(cur, caller, table.action, row_id, before={"name": row[0]}, after=None, now=now)
    return True
