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


def opened(page: str, who=None, lang: str | None = None, **params) -> AppTest:
    """``app_pages/<page>.py`` run in the whole app for ``who`` (a Caller; None: an
    anonymous visitor), in ``lang``, with ``params`` in its URL."""
    at = app(lang, **params)
    if who is not None:
        at.session_state["app_caller"] = who
    at.run()
    return at.switch_page(f"app_pages/{page}.py").run()


def shown(path: str, who=None, lang: str | None = None, **params) -> AppTest:
    """The page file ``path`` run in the whole app like ``opened``, and checked to have raised
    nothing; the overview is where the app opens, so it is not switched to."""
    at = app(lang, **params)
    if who is not None:
        at.session_state["app_caller"] = who
    at.run()
    if path != "app_pages/overview.py":
        at.switch_page(path).run()
    assert not at.exception, at.exception
    return at
