"""Markdown from a URL or from stored data is shown as text on every page
(issue 17): ``/public?measure=[Click](https://evil.example)``,
``/measure?code=![i](…)``, a measure title ``[Login](…)``, a programme name
from the CLI never become a live link or a remote image. The pages' markdown is
built through ``ui.text.md``/``tr_md`` (checked statically by
tests/markdown_lint.py) and the payloads are fed through every page."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.hostile_data import (
    CODE_PAYLOAD,
    MARKDOWN_PAYLOADS,
    PAYLOADS,
    evil_targets,
    live_links_in_markdown,
    make_hostile_copy,
    points_at_evil,
)
from tests.markdown_lint import check_sources, check_tree
from tests.page_app import opened
from tracker import db
from tracker.auth import Caller
from ui.pages import PAGES, SIGN_IN
from ui.text import md, md_link, tr_md

ADMIN = Caller(role="admin", email="admin@joensuu.example")
ANONYMOUS_PAGES = [page.module for page in PAGES if page.least_role == "anonymous"] + [SIGN_IN.module]
SIGNED_IN_PAGES = [page.module for page in PAGES if page.least_role != "anonymous"]
# Every URL parameter a page reads.
URL_PARAMETERS = ("measure", "code", "programme", "theme", "status", "q", "unit", "from", "to", "show", "year", "org")


@pytest.fixture
def hostile_db_path(databases, demo_template, monkeypatch):
    path = make_hostile_copy(databases, demo_template)
    monkeypatch.setenv("TRACKER_DB", str(path))
    return path


# -- the escaping helper --


@pytest.mark.parametrize("text", [*PAYLOADS, CODE_PAYLOAD])
def test_md_shows_any_text_as_itself_and_links_nothing(text):
    escaped = md(text)
    assert live_links_in_markdown(escaped) == []
    # every character is still there, in order: only backslashes and invisible word joiners were added
    assert escaped.replace("\\", "").replace("\u2060", "") == text.replace("\\", "")


def test_the_payloads_are_live_links_without_it():
    for text in [*MARKDOWN_PAYLOADS, CODE_PAYLOAD]:
        assert [t for t in live_links_in_markdown(text) if points_at_evil(t)], text


def test_tr_md_escapes_parameters_but_keeps_the_catalogues_markdown():
    message = tr_md("app.demo_notice", measure=md_link("6.1 [x](https://evil.example)", "measure?code=6.1"),
                    status="Valmis", details=" · https://evil.example")  # fmt: skip
    assert message.startswith("**Esimerkkiaineisto.**")
    assert [t for t in live_links_in_markdown(message) if points_at_evil(t)] == []
    assert "](measure?code=6.1)" in message
    # only the app's own pages and http(s) addresses become a link's target
    assert md_link("x", "javascript:alert(1)") == "x"


# -- the pages' markdown is built through the helper --


def test_no_page_puts_unescaped_data_into_markdown():
    findings = check_tree(ROOT)
    assert not findings, "text reaches markdown unescaped (use md/tr_md):\n" + "\n".join(map(str, findings))


@pytest.mark.parametrize(
    "source",
    [
        "st.warning(tr('measure.not_found', code=code))",
        "st.title(programme['name'])",
        "st.caption(f'{row.theme} · {tr(\"x\")}')",
        "left.selectbox(row.title, [1])",
        "st.info(tr(key, **params))",
        "st.markdown('**' + esc(name) + '**')",
        "st.button('x', help=measure.title)",
        "def chart(summary: Markdown): pass\nchart(row.title)",
        "for label in names:\n    st.metric(label, 1)",
    ],
)
def test_the_static_check_finds_data_in_markdown(source):
    assert check_sources({"page.py": source})


@pytest.mark.parametrize(
    "source",
    [
        "st.warning(tr_md('measure.not_found', code=code))",
        "st.title(md(programme['name']))",
        "st.caption(tr('x', days=int(days)))",
        "labels = {f: tr(f'field.{f}') for f in FIELDS}\nst.checkbox(labels['a'])",
        "for column, label in ((a, tr('x')), (b, tr('y'))):\n    column.metric(label, 1)",
        "st.progress(share, text=tr('x'))",
        "st.markdown(f'<b>{esc(name)}</b>', unsafe_allow_html=True)",
    ],
)
def test_the_static_check_lets_the_apps_own_text_through(source):
    assert not check_sources({"page.py": source})


# -- payloads through the URL --


@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
@pytest.mark.parametrize("text", MARKDOWN_PAYLOADS)
def test_markdown_in_the_url_is_shown_as_text_on_every_anonymous_page(demo_db_path, page, text):
    at = opened(page, **dict.fromkeys(URL_PARAMETERS, text))
    assert not at.exception, at.exception
    assert evil_targets(at) == []


@pytest.mark.parametrize(("page", "parameter"), [("public", "measure"), ("measure", "code")])
@pytest.mark.parametrize("embed", [False, True])
def test_a_measure_named_in_the_url_is_quoted_as_text_in_the_warning(demo_db_path, page, parameter, embed):
    text = "[Click here to sign in](https://evil.example/login)"
    at = opened(page, **{parameter: text, **({"embed": "true"} if embed else {})})
    assert not at.exception, at.exception
    warning = next(w.value for w in at.warning)
    assert "Click here to sign in" in warning.replace("\\", "")
    assert live_links_in_markdown(warning) == []


# -- payloads in the data --


def hostile_codes(path) -> list[str]:
    con = db.connect(path)
    try:
        return [row[0] for row in con.execute("SELECT code FROM measures WHERE is_published ORDER BY id").fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
def test_stored_markdown_is_shown_as_text_on_every_anonymous_page(hostile_db_path, page, lang):
    at = opened(page, lang=lang)
    assert not at.exception, at.exception
    assert evil_targets(at) == []


@pytest.mark.parametrize("index", range(4))
def test_stored_markdown_is_shown_as_text_on_measure_pages(hostile_db_path, index):
    codes = hostile_codes(hostile_db_path)
    code = [CODE_PAYLOAD, *codes][index * 7 % (len(codes) + 1)] if index else CODE_PAYLOAD
    for page, parameter in (("public", "measure"), ("measure", "code")):
        at = opened(page, **{parameter: code})
        assert not at.exception, at.exception
        assert not at.warning or page == "measure", [w.value for w in at.warning]  # found, not "no such measure"
        assert evil_targets(at) == [], (page, code)


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_stored_markdown_is_shown_as_text_on_the_workspace_pages(hostile_db_path, page):
    at = opened(page, ADMIN)
    assert not at.exception, at.exception
    assert evil_targets(at) == []
