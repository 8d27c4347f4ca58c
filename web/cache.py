"""Pages and documents built once per data version: every write appends an
audit row, so ``max(audit_log.id)`` names the data a page was built from
(``tracker.db.data_version``). A resident's page is then a dictionary lookup,
not a dozen queries (docs/benchmarks.md: residents at once).

The version is read again when this process wrote (``db.write_count``) and
at least once a second otherwise (a write by another process: the CLI on a
shared engine).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

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


_caches: list[VersionedCache] = []


def clear_all() -> None:
    """Forget every built value and the version (tests that change or swap the database)."""
    global _seen
    _seen = None
    for built in _caches:
        built.clear()


class VersionedCache:
    """At most ``size`` built values, each kept while the data version is the one it was built at."""

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        _caches.append(self)

    def get(self, key: Hashable, build: Callable[[], object]) -> tuple[int, object]:
        """(version, value) for ``key``: the cached value of this version, else ``build()``."""
        version = data_version()
        full = (version, key)
        with _lock:
            if full in self._items:
                self._items.move_to_end(full)
                return version, self._items[full]
        value = build()
        with _lock:
            self._items[full] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return version, value

    def clear(self) -> None:
        with _lock:
            self._items.clear()
