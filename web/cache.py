"""Pages and documents built once per data version and day: every write appends
an audit row, so ``max(audit_log.id)`` names the data a page was built from
(``tracker.db.data_version``; on a lake the latest snapshot that changed
data), and the day names when the late rule was applied (a measure whose end
date passed at midnight is late now, with no write). A resident's page is then a dictionary lookup, not a dozen queries
(docs/benchmarks.md: residents at once).

The version is read again when this process wrote (``db.write_count``) and
at least once a second otherwise (a write by another process: the CLI on a
shared engine).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date

from tracker import db
from web.database import connection

RECHECK_SECONDS = 1.0

_lock = threading.Lock()
_seen: tuple[int, float, int] | None = None  # (write count, when read, version)


def data_version() -> int:
    """The data version now, read from the database at most once a second unless this process wrote."""
    global _seen
    writes, now = db.write_count(), time.monotonic()
    seen = _seen
    if seen is not None and seen[0] == writes and now - seen[1] < RECHECK_SECONDS:
        return seen[2]
    version = db.data_version(connection())
    _seen = (writes, now, version)
    return version


def today() -> date:
    """The day pages are built for: the late rule measures on it (tests move it)."""
    return date.today()


def stamp(version: int, day: date) -> str:
    """What a built value was built from, for its ETag: data version and day."""
    return f"{version}-{day:%Y%m%d}"


_caches: list[VersionedCache] = []
_MISSING = object()


def known_version() -> int | None:
    """The data version if it was read within the last second and this process has not
    written since, else None (then ``data_version`` must read it: a blocking query)."""
    seen = _seen
    if seen is not None and seen[0] == db.write_count() and time.monotonic() - seen[1] < RECHECK_SECONDS:
        return seen[2]
    return None


def clear_all() -> None:
    """Forget every built value and the version (tests that change or swap the database)."""
    global _seen
    _seen = None
    for built in _caches:
        built.clear()


class VersionedCache:
    """At most ``size`` built values, each kept while the data version and the day are
    the ones it was built at. ``get`` and ``peek`` give (stamp, value)."""

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._building: dict[tuple, threading.Lock] = {}
        _caches.append(self)

    def peek(self, key: Hashable) -> tuple[str, object] | None:
        """(stamp, value) when ``key`` is built for the version known now and today, without
        touching the database (safe on the event loop); None when it must be looked up or built."""
        version = known_version()
        if version is None:
            return None
        day = today()
        with _lock:
            value = self._items.get((version, day, key), _MISSING)
        return None if value is _MISSING else (stamp(version, day), value)

    def get(self, key: Hashable, build: Callable[[], object]) -> tuple[str, object]:
        """(stamp, value) for ``key``: the value built for this version today, else ``build()``.
        Visitors who ask for the same page while it is being built wait for that one build
        (a news spike right after an update builds each page once, not once per visitor)."""
        version, day = data_version(), today()
        full = (version, day, key)
        with _lock:
            if full in self._items:
                self._items.move_to_end(full)
                return stamp(version, day), self._items[full]
            building = self._building.setdefault(full, threading.Lock())
        with building:
            with _lock:
                if full in self._items:
                    return stamp(version, day), self._items[full]
            try:
                value = build()
            except BaseException:
                with _lock:
                    self._building.pop(full, None)
                raise
            with _lock:
                self._items[full] = value
                self._building.pop(full, None)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return stamp(version, day), value

    def clear(self) -> None:
        with _lock:
            self._items.clear()
