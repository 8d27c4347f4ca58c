"""Reading a test's database from the test itself, beside the app or CLI it runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tracker import db

Read = TypeVar("Read")


def read(target: str, what: Callable[..., Read]) -> Read:
    """``what(con)`` on a connection of its own to ``target`` (a ``..._db_path`` fixture), closed after."""
    con = db.connect(target)
    try:
        return what(con)
    finally:
        con.close()
