"""Money the admin keeps from the public (issue 17): with "show money publicly"
off, no page an anonymous visitor can open shows a euro, an amount or a money
column (the overview, budget, measure and national pages, the public view and
the files they offer); signed-in users still see it."""

from __future__ import annotations

import gc

import pytest
from streamlit.testing.v1 import AppTest

from tests.hostile_data import _elements, _strings
from tests.page_app import opened
from tracker import write
from tracker.auth import SYSTEM, Caller

# (page, URL parameters): every page an anonymous visitor can open, a measure's pages included.
ANONYMOUS = [
    ("overview", {}),
    ("measures", {}),
    ("measure", {"code": "6.1"}),
    ("budget", {}),
    ("national", {}),
    ("public", {}),
    ("public", {"measure": "6.1"}),
    ("accessibility", {}),
]
# What money looks like in each language (the ICLEI measure: 1 200 € a year, 3 600 € in all). The
# measure's description says "EUR 1,200 a year" in its own words: that is text, not a money field.
MONEY_SIGNS = ("€", "1\u00a0200", "3\u00a0600", "planned_eur", "actual_eur")


def everything_sent(at: AppTest) -> str:
    """Every string the page sends the browser: texts, labels, HTML, chart specs,
    the data of every table (all its columns, shown or not) and every download."""
    parts = []
    for element in _elements(at._tree):
        proto = getattr(element, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            parts += [text for _name, text in _strings(proto, fields=_AnyField())]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    managers = [o for o in gc.get_objects() if type(o).__name__ == "MediaFileManager"]
    for button in at.get("download_button"):
        url = button.proto.url
        for manager in managers:
            stored = manager.read_file(url.rsplit("/", 1)[-1]) if url else None
            if stored is not None:
                parts.append(stored.content.decode("utf-8-sig", errors="replace"))
    return "\n".join(parts)


class _AnyField:
    def __contains__(self, name) -> bool:
        return True


@pytest.fixture
def money_hidden(demo_con, demo_db_path):
    write.settings.set_setting(demo_con, SYSTEM, "public_show_money", "false")
    return demo_db_path


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize(("page", "params"), ANONYMOUS)
def test_no_page_shows_an_anonymous_visitor_money_the_admin_keeps_from_the_public(money_hidden, page, params, lang):
    at = opened(page, lang=lang, **params)
    assert not at.exception, at.exception
    sent = everything_sent(at)
    assert [sign for sign in MONEY_SIGNS if sign in sent] == []


def test_the_budget_page_says_the_money_is_not_published(money_hidden):
    at = opened("budget")
    assert [i.value for i in at.info] == ["Toimenpiteiden rahoitusta ei julkaista. Kirjautuneet käyttäjät näkevät sen."]
    assert not at.dataframe and not at.metric


@pytest.mark.parametrize(
    ("page", "params"), [("overview", {}), ("measure", {"code": "6.1"}), ("budget", {}), ("national", {})]
)
def test_signed_in_users_and_the_public_by_default_see_the_money(demo_con, demo_db_path, page, params):
    assert "€" in everything_sent(opened(page, **params))  # shown publicly by default
    write.settings.set_setting(demo_con, SYSTEM, "public_show_money", "false")
    viewer = Caller(role="viewer", email="viewer@joensuu.example")
    assert "€" in everything_sent(opened(page, viewer, **params))
