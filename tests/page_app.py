"""The whole app under AppTest (dashboard.py, so navigation and language work
as in the browser), opened with URL parameters."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def app(lang: str | None = None, **params) -> AppTest:
    """dashboard.py in ``lang`` (else Finnish) with ``params`` in its URL, not yet run."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at
