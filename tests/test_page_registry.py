"""The page registry (ui.pages): named records, importable without Streamlit,
from which dashboard.py builds its navigation."""

import subprocess
import sys

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tracker import i18n
from tracker.auth import ROLES, Caller
from ui.pages import PAGES, SIGN_IN


def test_every_page_has_its_own_file_url_and_icon():
    for field in ("file", "url_path", "icon", "title_key"):
        values = [getattr(page, field) for page in (*PAGES, SIGN_IN)]
        assert len(values) == len(set(values)), f"two pages share a {field}"
    for page in (*PAGES, SIGN_IN):
        assert (ROOT / page.file).is_file(), page.file
        assert page.icon.startswith(":material/") and page.icon.endswith(":"), page.icon
        assert i18n.has(page.title_key) and i18n.has(page.section_key), page
        assert page.least_role in ("anonymous", *ROLES), page


def test_the_registry_imports_without_streamlit():
    code = "import sys, ui.pages; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_navigation_is_the_registry(demo_db_path):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = Caller(role="admin", email="admin@x.example")
    at.run()
    assert not at.exception
    registered = {info["url_pathname"]: str(info["script_path"]) for info in at._registered_pages.values()}
    expected = {page.url_path: page.file for page in PAGES}
    expected[""] = expected[PAGES[0].url_path]  # the first page is the default, at the root (and, hidden, /overview)
    assert {url: path.split(str(ROOT) + "/")[-1] for url, path in registered.items()} == expected
