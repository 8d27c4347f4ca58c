"""Writes of ``settings``: an admin changes one setting. No other module
writes this table; ``tracker.settings`` reads it and holds the defaults."""

from __future__ import annotations

import duckdb

from tracker.auth import Caller, require
from tracker.errors import ValidationError
from tracker.settings import DEFAULTS
from tracker.write import audit
from tracker.write.base import Target, in_transaction


def set_setting(con: duckdb.DuckDBPyConnection, caller: Caller, key: str, value) -> None:
    """Admin only; the value is checked by the setting's parser before it is stored."""
    require(caller, "admin")
    if key not in DEFAULTS:
        raise ValidationError({key: ("validation.unknown_setting", {"key": key})})
    text = str(value).strip()
    try:
        DEFAULTS[key][1](text)
    except ValueError as exc:
        raise ValidationError({key: ("validation.bad_setting", {"key": key})}) from exc

    def write(cur: duckdb.DuckDBPyConnection) -> None:
        old = cur.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        # One row per key, kept so here (DuckLake has no PRIMARY KEY to upsert on).
        if old is None:
            cur.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, text])
        else:
            cur.execute("UPDATE settings SET value = ? WHERE key = ?", [text, key])
        audit.record(cur, caller, "setting.update", key, before={"value": old and old[0]}, after={"value": text})

    in_transaction(con, Target("setting", key), write)
