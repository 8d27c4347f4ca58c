"""The reporting cycle's pages (issue 14) under AppTest: open a period, mark
measures ready, close it (confirmed), compare two periods, the reminders page,
the settings page's test message, and the public view's ?period= / ?compare=
with public fields only."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, TODAY
from tests.html_tables import html_tables, table_links
from tracker.auth import Caller
from tracker.write import measures, periods
from ui import data

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
ADMIN = Caller(role="admin", email="admin@joensuu.example")
VIEWER = Caller(role="viewer", email="board@joensuu.example")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(data, "today", lambda: TODAY)


def open_page(page: str, caller=EDITOR, lang="fi", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if caller is not None:
        at.session_state["app_caller"] = caller
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    parts = [*at.markdown, *at.success, *at.error, *at.info, *at.caption, *at.subheader, *at.header, *at.metric]
    return "\n".join(str(getattr(p, "value", "")) + " " + str(getattr(p, "label", "")) for p in parts)


def test_open_mark_ready_and_close_a_period_in_the_browser_pages(demo_con):
    at = open_page("periods")
    at.text_input(key="periods_name_fi").input("Vuosiraportti 2025")
    at.date_input(key="periods_as_of").set_value(date(2025, 12, 31))
    at.date_input(key="periods_due_on").set_value(date(2026, 2, 15))
    at.button[0].click().run()  # the form's submit
    assert not at.exception, at.exception
    assert "Raportointikausi ”Vuosiraportti 2025” avattu." in shown(at)
    period_id = demo_con.execute("SELECT id FROM reporting_periods").fetchone()[0]
    assert at.query_params["period"] == [str(period_id)] or at.query_params["period"] == str(period_id)
    # everything is "not updated since the period opened" at first
    assert "0 / 42" in shown(at)
    measure = demo_con.execute("SELECT id FROM measures WHERE code = '1.1' AND programme_id = 1").fetchone()[0]
    at.multiselect(key="periods_to_mark").select(measure)
    next(b for b in at.button if b.label == "Merkitse valitut valmiiksi").click().run()
    assert "1 toimenpide merkitty valmiiksi." in shown(at)
    assert demo_con.execute("SELECT count(*) FROM period_ready").fetchone()[0] == 1
    close = next(b for b in at.button if b.label == "Sulje ja jäädytä luvut")
    assert close.disabled  # not before the confirmation
    at.checkbox(key="periods_confirm").check().run()
    next(b for b in at.button if b.label == "Sulje ja jäädytä luvut").click().run()
    assert "Kausi ”Vuosiraportti 2025” suljettu ja sen luvut jäädytetty." in shown(at)
    assert demo_con.execute("SELECT state FROM reporting_periods").fetchone()[0] == "closed"
    # an editor cannot reopen; the form is an admin's
    assert not [b for b in at.button if b.label == "Avaa kausi uudelleen"]
    admin = open_page("periods", caller=ADMIN, period=str(period_id))
    admin.text_area(key="periods_reason").input("Korjataan talousluvut")
    next(b for b in admin.button if b.label == "Avaa kausi uudelleen").click().run()
    assert demo_con.execute("SELECT state, reopen_reason FROM reporting_periods").fetchone() == (
        "open",
        "Korjataan talousluvut",
    )


def test_an_opening_with_a_missing_day_names_the_field(demo_con):
    at = open_page("periods", lang="sv")
    at.text_input(key="periods_name_fi").input("Vuosiraportti 2025")
    at.button[0].click().run()
    assert any("Obligatoriskt" in e.value or "obligatorisk" in e.value.lower() for e in at.error), [
        e.value for e in at.error
    ]
    assert demo_con.execute("SELECT count(*) FROM reporting_periods").fetchone()[0] == 0


def close(con, name: str, as_of: date) -> int:
    period_id = periods.open_period(con, EDITOR, 1, {"name_fi": name, "as_of": as_of})
    periods.close_period(con, EDITOR, period_id, expected_version=1)
    return period_id


def finish(con, code: str) -> None:
    measure, version = con.execute(
        "SELECT id, version FROM measures WHERE code = ? AND programme_id = 1", [code]
    ).fetchone()
    measures.update_measure(con, EDITOR, measure, expected_version=version, status="done", progress=100)


def test_the_comparison_page_shows_what_moved_between_any_two_periods(demo_con):
    first = close(demo_con, "Vuosiraportti 2024", date(2024, 12, 31))
    finish(demo_con, "1.3")
    close(demo_con, "Vuosiraportti 2025", date(2025, 12, 31))
    finish(demo_con, "1.2")
    third = close(demo_con, "Välikatsaus 2026", date(2026, 6, 30))
    at = open_page("period_compare", caller=VIEWER, compare=str(first), period=str(third))
    text = shown(at)
    assert "Vuosiraportti 2024 → Välikatsaus 2026" in text
    done = next(m for m in at.metric if m.label == "Valmiina")
    assert done.value == str(
        int(
            demo_con.execute(
                "SELECT count(*) FROM snapshot_measures WHERE closing_id = (SELECT closing_id FROM reporting_periods"
                " WHERE id = ?) AND status = 'done'",
                [third],
            ).fetchone()[0]
        )
    )
    assert "uusia 2" in str(done.delta)
    tables = html_tables(at)
    position, table = next((i, df) for i, df in enumerate(tables) if "Tila ennen" in df.columns)
    assert len(table) == 2 and set(table["Huomio"]) == {"uusi valmis"}
    # each code links to its measure in the app (switching in place), not through a data grid's new tab
    assert not [df for df in at.dataframe if "link" in df.value.columns]
    assert table_links(at)[position] == [
        {"href": f"measure?lang=fi&programme=1&code={code}", "target": "_self", "text": code}
        for code in table["Tunnus"]
    ]
    assert set(table["Tunnus"]) == {"1.2", "1.3"}


def test_the_readiness_lists_link_each_measure_in_place(demo_con):
    """The readiness lists were data grids whose link column opened a new tab with a
    full page load, losing the session's filters."""
    period_id = periods.open_period(demo_con, EDITOR, 1, {"name_fi": "Vuosiraportti 2025", "as_of": date(2025, 12, 31)})
    codes = [
        code
        for (code,) in demo_con.execute(
            "SELECT code FROM measures WHERE programme_id = 1 AND archived_at IS NULL"
        ).fetchall()
    ]
    at = open_page("periods", lang="sv", period=str(period_id))
    assert not [df for df in at.dataframe if "link" in df.value.columns]
    (waiting,) = [df for df in html_tables(at) if "Åtgärd" in df.columns]
    assert sorted(waiting["Nummer"]) == sorted(codes)
    (links,) = [links for links in table_links(at) if links]
    assert links == [
        {"href": f"measure?lang=sv&programme=1&code={code}", "target": "_self", "text": code}
        for code in waiting["Nummer"]
    ]


def test_the_public_view_shows_a_period_and_a_comparison_with_public_fields_only(demo_con):
    first = close(demo_con, "Vuosiraportti 2024", date(2024, 12, 31))
    finish(demo_con, "1.3")
    unpublished = demo_con.execute("SELECT count(*) FROM measures WHERE NOT is_published AND programme_id = 1")
    hidden = unpublished.fetchone()[0]
    second = close(demo_con, "Vuosiraportti 2025", date(2025, 12, 31))
    at = open_page("public", caller=None, period=str(second), compare=str(first))
    html = " ".join(h.value for h in at.html)
    total = demo_con.execute(
        "SELECT count(*) FROM measures WHERE is_published AND archived_at IS NULL AND programme_id = 1"
    ).fetchone()[0]
    assert hidden > 0
    assert f"/ {total} toimenpidettä" in shown(at)
    assert "Vuosiraportti 2025 (tilanne 31.12.2025)" in shown(at)
    assert "Muutokset kaudesta Vuosiraportti 2024" in shown(at)
    assert "Valmiita" in html and "1.3 " in html
    internal = demo_con.execute("SELECT internal_note FROM measures WHERE coalesce(internal_note, '') <> ''").fetchall()
    assert all(note not in html for (note,) in internal)
    # the programme view lists the reports; an unknown period falls back to it with a note
    programme = open_page("public", caller=None, lang="sv")
    assert "Vuosiraportti 2025" in " ".join(h.value for h in programme.html)
    missing = open_page("public", caller=None, period="999")
    assert "Pyydettyä raporttia ei löydy" in " ".join(h.value for h in missing.html)


def test_the_reminders_page_lists_contacts_and_saves_language_and_opt_out(demo_con):
    at = open_page("reminders")
    assert "Sähköpostia ei ole vielä määritetty" in " ".join(w.value for w in at.warning)
    email = at.selectbox(key="reminders_email").value
    at.selectbox[1].select("sv")
    at.checkbox[0].uncheck()
    next(b for b in at.button if b.label == "Tallenna").click().run()
    assert demo_con.execute(
        "SELECT language, opted_out FROM reminder_contacts WHERE email = ?", [email]
    ).fetchone() == (
        "sv",
        True,
    )
    assert at.expander  # the previews of the next run's digests


def test_the_settings_page_has_the_mail_settings_and_a_test_button(demo_con):
    at = open_page("settings", caller=ADMIN)
    labels = [t.label for t in at.text_input]
    assert "Sähköpostipalvelin (SMTP)" in labels and "Lähettäjän osoite" in labels
    assert not any("salasana" == label.lower() for label in labels)  # no password field: never in the database
    next(b for b in at.button if b.label == "Lähetä testiviesti").click().run()
    assert any("Sähköpostia ei ole määritetty" in e.value for e in at.error)


def test_an_editor_marks_a_measure_ready_on_its_own_page_where_the_reminder_leads(demo_con):
    period_id = periods.open_period(
        demo_con, EDITOR, 1, {"name_fi": "Vuosiraportti 2025", "as_of": date(2025, 12, 31), "due_on": TODAY}
    )
    measure_id = demo_con.execute("SELECT id FROM measures WHERE code = '1.1' AND programme_id = 1").fetchone()[0]
    key = f"measure_ready_{measure_id}_{period_id}"
    at = open_page("measure", code="1.1")
    toggle = at.toggle(key=key)
    assert toggle.value is False and "Valmis raportointikaudelle Vuosiraportti 2025" in toggle.label
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    assert "Merkitty valmiiksi kaudelle Vuosiraportti 2025." in shown(at)
    assert demo_con.execute("SELECT measure_id, marked_by FROM period_ready").fetchall() == [(measure_id, EDITOR.email)]
    at.toggle(key=key).set_value(False).run()
    assert "Valmis-merkintä kaudelle Vuosiraportti 2025 peruttu." in shown(at)
    assert demo_con.execute("SELECT count(*) FROM period_ready").fetchone()[0] == 0
    # a viewer sees no switch; a closed period has none either
    assert not [t for t in open_page("measure", caller=VIEWER, code="1.1").toggle if t.key == key]
    periods.close_period(demo_con, EDITOR, period_id, expected_version=1)
    assert not [t for t in open_page("measure", code="1.1").toggle if t.key == key]
