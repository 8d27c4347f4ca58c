"""Where pages get their data: the one DuckDB connection, named queries cached
until the next write, the settings read once per run, and the day lateness and
staleness are measured on."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from tracker import db
from tracker import settings as stored_settings
from ui import per_run


@st.cache_resource
def connection():
    """One DuckDB connection per process; every call takes its own cursor."""
    return db.connect()


def data_version() -> tuple[int, int]:
    """The database's data version, read once per run, and this process's write
    count, which every committed write bumps: a page that writes and then reads
    in the same run sees its own write."""
    version = per_run.value("version")
    if version is None:
        version = db.data_version(connection())
        per_run.remember("version", version)
    return version, db.write_count()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(name: str, version: tuple[int, int], params: tuple) -> pd.DataFrame:
    return db.query(connection(), name, **dict(params))


def run(name: str, **params) -> pd.DataFrame:
    """A named query (queries/<name>.sql), cached until the next write bumps the data version."""
    return _cached_query(name, data_version(), tuple(sorted(params.items())))


def settings() -> dict:
    """Every setting (tracker.settings), read in one query once per run, and
    again after a write in this run; a stored value out of its range reads as
    the setting's default (``refused_settings`` says which)."""
    return _settings_read()[0]


def refused_settings() -> dict[str, str]:
    """The settings whose stored text was refused (key -> that text): their defaults are in use."""
    return _settings_read()[1]


def _settings_read() -> tuple[dict, dict[str, str]]:
    writes = db.write_count()
    remembered = per_run.value("settings")
    if remembered is not None and remembered[0] == writes:
        return remembered[1]
    read = stored_settings.read_all(connection())
    per_run.remember("settings", (writes, read))
    return read


def today() -> date:
    """The day lateness, staleness and "this year" are measured on (tests pin it)."""
    return date.today()
