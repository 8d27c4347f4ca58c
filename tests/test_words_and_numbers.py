"""The small things a coordinator reads (issue 12): phases in words, the audit
log's values in words, money rounded by one rule with a real minus sign, and
placeholders that read as examples."""

import pytest

from tests.conftest import TODAY
from tests.html_tables import html_tables
from tests.test_audit_log import audit_page
from tests.test_dashboard_pages import open_page
from tests.test_workspace_pages import EDITOR, app, open_form, save
from tracker import db, i18n, write
from tracker.auth import SYSTEM, Caller
from tracker.present import audit_log
from tracker.status import PHASES
from ui import data
from ui.formats import display_value

MINUS = "\u2212"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(data, "today", lambda: TODAY)


# -- phases --


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ["Suunnittelu", "Toteutus", "Seuranta", "Päättynyt"]),
        ("sv", ["Planering", "Genomförande", "Uppföljning", "Avslutad"]),
        ("en", ["Planning", "Implementation", "Monitoring", "Completed"]),
    ],
)
def test_the_measure_form_names_the_phase_in_words(demo_db_path, lang, words):
    con = db.connect(demo_db_path)
    measure_id, phase = con.execute("SELECT id, phase FROM measures WHERE code = '1.3'").fetchone()
    con.close()
    at = app(EDITOR, lang)
    at.run()
    at.switch_page("app_pages/measure_form.py").run()
    at.selectbox(key="measureform_choice").set_value(measure_id).run()
    chooser = at.selectbox(key="measureform_phase")
    assert chooser.value == phase == "implementation"
    assert chooser.format_func(chooser.value) == words[1]
    assert [chooser.format_func(code) for code in PHASES] == words
    assert "implementation" not in chooser.format_func(chooser.value)


def test_a_phase_is_saved_by_its_code_and_an_old_typed_one_is_kept(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id = con.execute("SELECT id FROM measures WHERE code = '1.3'").fetchone()[0]
    other = con.execute("SELECT id FROM measures WHERE code = '1.2'").fetchone()[0]
    con.execute("UPDATE measures SET phase = 'esiselvitys' WHERE id = ?", [other])
    con.close()
    at = open_form("app_pages/measure_form.py", "measureform_choice", measure_id)
    at.selectbox(key="measureform_phase").set_value("monitoring")
    save(at)
    assert not at.exception, at.exception
    con = db.connect(demo_db_path)
    assert con.execute("SELECT phase FROM measures WHERE id = ?", [measure_id]).fetchone()[0] == "monitoring"
    con.close()
    # a phase typed before the vocabulary is offered as it was, and saving keeps it
    at.selectbox(key="measureform_choice").set_value(other).run()
    assert at.selectbox(key="measureform_phase").value == "esiselvitys"
    assert at.selectbox(key="measureform_phase").format_func("esiselvitys") == "esiselvitys"


# -- the audit log's values --


def test_the_audit_log_says_values_in_words(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id, version = con.execute("SELECT id, version FROM measures WHERE code = '1.3'").fetchone()
    fields = {
        k: v for k, v in write.measures.read_measure(con, measure_id).items() if k in write.measures.MEASURE_EDITABLE
    }
    transport = con.execute("SELECT id FROM themes WHERE position = 2").fetchone()[0]
    changed = {**fields, "phase": "monitoring", "theme_id": transport}
    write.measures.save_measure(con, EDITOR, measure_id, changed, expected_version=version)
    write.measures.update_measure(con, EDITOR, measure_id, expected_version=version + 1, status="in_progress")
    write.accounts.add_user(con, SYSTEM, "katsoja@joensuu.example", "viewer")
    write.accounts.set_role(
        con, Caller(role="admin", email="admin@joensuu.example"), "katsoja@joensuu.example", "editor"
    )
    con.close()
    changes = " | ".join(audit_page("fi").dataframe[0].value["Muutokset (ennen → jälkeen)"])
    assert "Vaihe: Toteutus → Seuranta" in changes
    assert "Teema: Energia → Liikenne" in changes
    assert "Tila: Myöhässä → Käynnissä" in changes
    assert "Rooli: katselija → muokkaaja" in changes
    for raw in ("implementation", "in_progress", "viewer", "Versio"):
        assert raw not in changes
    swedish = " | ".join(audit_page("sv").dataframe[0].value.iloc[:, -1])
    assert "Genomförande → Uppföljning" in swedish and "Försenad → Pågår" in swedish


def test_audit_values_in_the_readers_format():
    def value(field, stored, lang="fi"):
        return audit_log.value_text(field, stored, lang, display_value)

    assert value("planned_eur", "-1200.50") == f"{MINUS}1\u00a0200,50\u00a0€"
    assert value("end_date", "2025-12-31") == "31.12.2025"
    assert value("outcome", "approved", "sv") == i18n.t("outcome.approved", "sv")
    assert value("phase", "esiselvitys") == "esiselvitys"
    assert value("archived_at", "2026-01-10T12:00:00") == "10.1.2026 14:00 (Helsinki)"


# -- money, one rule --


def test_the_summary_rounds_money_and_shares_as_the_overview_does(demo_db_path):
    national = open_page("app_pages/national.py")
    money = next(c.value for c in national.caption if "talousarvio yhteensä" in c.value)
    overview = open_page("app_pages/overview.py")
    assert ",75\u00a0€" not in money and ",75 €" not in money
    con = db.connect(demo_db_path)
    actual = con.execute(
        "SELECT sum(actual_eur) FROM budget_lines b JOIN measures m ON m.id = b.measure_id WHERE m.is_published"
    ).fetchone()[0]
    con.close()
    assert i18n.format_eur(actual, "fi") in money
    assert i18n.format_eur(actual, "fi") in " ".join(m.value for m in overview.markdown)
    table = html_tables(national)[-1]
    assert table["Valmiina (osuus)"].tolist() == ["32\u00a0%"]  # whole percent points, as fmt_pct says 32 %


def test_a_negative_variance_has_a_real_minus_sign(demo_db_path):
    at = open_page("app_pages/budget.py")
    variance = next(m for m in at.metric if m.label == "Erotus").value
    assert variance.startswith(MINUS) and "-" not in variance


# -- placeholders read as examples --


@pytest.mark.parametrize(("lang", "example"), [("fi", "esim. "), ("sv", "t.ex. "), ("en", "e.g. ")])
def test_placeholders_read_as_examples(demo_db_path, lang, example):
    at = app(EDITOR, lang)
    at.run()
    at.switch_page("app_pages/budget_lines.py").run()
    assert at.text_input(key="budgetlines_planned_eur").placeholder.startswith(example)
    at.switch_page("app_pages/decisions_register.py").run()
    assert at.text_input(key="decisions_body").placeholder.startswith(example)
