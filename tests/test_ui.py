"""The Streamlit helpers the pages share (ui/): settings read once per run,
pages that read settings only through them."""

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tracker import settings
from tracker.auth import Caller


def test_settings_are_read_once_per_run(demo_db_path, monkeypatch):
    reads = []
    real = settings.read_all
    monkeypatch.setattr(settings, "read_all", lambda con: reads.append(1) or real(con))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    # signed in: the session's idle timeout and the overview's limits both come from the settings
    at.session_state["app_caller"] = Caller(role="editor", email="coordinator@joensuu.example")
    at.run()
    assert not at.exception
    assert len(reads) == 1
    for page in ("app_pages/public.py", "app_pages/accessibility.py", "app_pages/measures.py"):
        reads.clear()
        at.switch_page(page).run()
        assert not at.exception
        assert len(reads) == 1, page


def test_pages_read_no_setting_key_by_key():
    sources = [ROOT / "dashboard.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    for path in sources:
        if path == ROOT / "ui" / "data.py":  # the one read
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"settings\.(get|all_settings)\(", text), f"{path.name}: use ui.data.settings()"
