"""Writes of ``organisations``, ``programmes`` and ``themes``: the inner writes
the spreadsheet import makes when a file names a programme, an organisation
or a theme the database does not hold yet. No other module writes these
tables (the demo and synthetic loaders aside, see their headers)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from tracker.auth import Caller
from tracker.write import audit
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
