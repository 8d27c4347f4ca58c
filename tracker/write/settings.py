"""Writes of ``settings``: an admin changes settings. No other module writes
this table; ``tracker.settings`` reads it and holds the defaults and ranges."""

from __future__ import annotations

import duckdb

from tracker import settings
from tracker.auth import Caller, require
from tracker.errors import ValidationError
from tracker.write import audit
from tracker.write.base import Target, in_transaction


def set_setting(con: duckdb.DuckDBPyConnection, caller: Caller, key: str, value) -> None:
    """Admin only; the value is checked against the setting's range before it is stored."""
    set_settings(con, caller, {key: value})


def set_settings(con: duckdb.DuckDBPyConnection, caller: Caller, changes: dict) -> None:
    """Store several settings at once (admin only), all or none: each value is
    checked against its setting's range, the freshness limits keep their order
    (fresh ≤ acceptable ≤ stale), and a default programme must exist.
    ValidationError names every setting refused."""
    require(caller, "admin")
    problems: dict[str, tuple[str, dict]] = {}
    texts = {}
    for key, value in changes.items():
        if key not in settings.DEFAULTS:
            problems[key] = ("validation.unknown_setting", {"key": key})
            continue
        texts[key] = "" if value is None else str(value).strip()
        try:
            settings.parse(key, texts[key])
        except settings.SettingRefused as refused:
            problems[key] = (refused.key, refused.params)
        except ValueError:
            problems[key] = ("validation.bad_setting", {"key": key})
    if problems:
        raise ValidationError(problems)

    def write(cur: duckdb.DuckDBPyConnection):
        stored = dict(cur.execute("SELECT key, value FROM settings").fetchall())
        values, _refused = settings.from_stored(stored)
        values.update({key: settings.parse(key, text) for key, text in texts.items()})
        problems = settings.order_problems(values, texts)
        programme = values["public_programme_id"]
        if "public_programme_id" in texts and programme is not None:
            if cur.execute("SELECT count(*) FROM programmes WHERE id = ?", [programme]).fetchone()[0] == 0:
                problems["public_programme_id"] = ("validation.setting_id", {})
        if problems:
            raise ValidationError(problems)
        for key, text in texts.items():
            old = stored.get(key)
            if old == text:
                continue
            # One row per key, kept so here (DuckLake has no PRIMARY KEY to upsert on).
            if old is None:
                cur.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, text])
            else:
                cur.execute("UPDATE settings SET value = ? WHERE key = ?", [text, key])
            audit.record(cur, caller, "setting.update", key, before={"value": old}, after={"value": text})

    return in_transaction(con, Target("setting", ",".join(texts)), write)
