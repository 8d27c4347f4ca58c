"""Files that may be fetched for a short while only: the internal downloads
(the audit log, the measures spreadsheet, its templates), which a signed-in
person asks for with a click and fetches at once. A file's id is registered
with its expiry when it is built; the web layer (web/media.py) answers an
expired id as if the file were gone. No Streamlit here."""

from __future__ import annotations

import os
import threading
import time

# How long an internal download stays fetchable after it was built (seconds);
# the browser fetches it at once. The real-browser test shortens it.
LIFETIME = float(os.environ.get("TRACKER_DOWNLOAD_SECONDS", "60"))

_expiry: dict[str, float] = {}
_lock = threading.Lock()


def register(file_id: str, lifetime: float | None = None) -> None:
    """The file ``file_id`` may be fetched for ``lifetime`` seconds from now."""
    now = time.monotonic()
    with _lock:
        for old in [key for key, until in _expiry.items() if until < now - 3600]:
            del _expiry[old]  # long expired: nobody asks for them any more
        _expiry[file_id] = now + (LIFETIME if lifetime is None else lifetime)


def expired(file_id: str) -> bool:
    """Whether ``file_id`` is a short-lived file past its time (an unknown id is not)."""
    with _lock:
        until = _expiry.get(file_id)
    return until is not None and time.monotonic() > until
