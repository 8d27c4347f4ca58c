"""The page registry (ui.pages): named records, importable without Streamlit,
from which dashboard.py builds its navigation."""

import ast
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


def test_no_page_script_holds_a_string_streamlit_would_print():
    """Streamlit's magic writes a string standing alone on the page; only a docstring
    (the first statement of a module, class or function) is spared."""
    for page in (*PAGES, SIGN_IN):
        tree = ast.parse((ROOT / page.file).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            blocks = [getattr(node, name, None) for name in ("body", "orelse", "finalbody")]
            statements = [(index, s) for block in blocks if isinstance(block, list) for index, s in enumerate(block)]
            for index, statement in statements:
                docstring = index == 0 and isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                alone = isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
                assert docstring or not (alone and isinstance(statement.value.value, str)), (
                    f"{page.file}:{statement.lineno} would be printed on the page"
                )
