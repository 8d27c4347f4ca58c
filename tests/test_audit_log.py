"""One audit vocabulary (entity.verb), said in fi/sv/en on the audit page with
the entity named and the time in Helsinki time; rows stored under the old
names read in the new vocabulary."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.spreadsheet_files import csv_bytes, measure_row
from tests.test_workspace_services import ADMIN_ONLY, WRITES, ids
from tracker import db, i18n, write
from tracker.auth import SYSTEM, Caller
from tracker.present import audit_log
from tracker.spreadsheet import importer
from tracker.write.ids import allocate_id

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
DEMO_PROGRAMME = "Joensuun ilmasto-ohjelma (esimerkkiaineisto)"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_action_and_entity_is_said_in_every_language(lang):
    for action, entity in write.audit.ACTIONS.items():
        assert i18n.has(f"audit.event.{action}"), action
        assert i18n.has(f"audit.entity.{entity}"), entity
        assert audit_log.action_label(action, entity, lang) != action
    labels = [audit_log.action_label(action, entity, lang) for action, entity in write.audit.ACTIONS.items()]
    assert len(set(labels)) == len(labels), "two actions read the same"


def test_actions_are_entity_dot_verb():
    for action, entity in write.audit.ACTIONS.items():
        prefix, verb = action.split(".")
        assert verb and prefix in (entity, "import", "demo"), action


def test_every_old_name_reads_in_the_new_vocabulary():
    # the entities the import wrote its import_create / import_update rows for
    entities = {
        "import_create": ("measure", "budget_line", "theme", "cost_centre", "organisation", "programme"),
        "import_update": ("measure", "budget_line", "cost_centre"),
    }
    for old in write.audit.LEGACY_ACTIONS:
        for entity in entities.get(old, ("measure",)):
            assert write.audit.current_action(old, entity) in write.audit.ACTIONS, (old, entity)
    assert write.audit.current_action("add_decision", "decision") == "decision.create"
    assert write.audit.current_action("create_decision", "decision") == "decision.create"
    assert write.audit.current_action("import_create", "budget_line") == "budget_line.create"
    assert write.audit.current_action("add_budget_line", "budget_line") == "budget_line.create"
    assert write.audit.current_action("import_update", "cost_centre") == "cost_centre.update"
    assert write.audit.current_action("link_decision", "measure_decision") == "decision.link_measure"
    assert write.audit.current_action("synth", "organisations") == "demo.synth"
    assert write.audit.current_entity("measure_decision", "12:5") == ("decision", "5")


def test_an_action_outside_the_vocabulary_is_refused(demo_con):
    with pytest.raises(KeyError, match="audit vocabulary"):
        write.audit.record(demo_con, SYSTEM, "add_budget_line", 1, before=None, after={})


def test_times_are_shown_in_helsinki_time_with_the_zone_named():
    assert audit_log.local_time(datetime(2022, 1, 10, 12, 5), "fi") == "10.1.2022 14:05 (Helsinki)"
    assert audit_log.local_time(datetime(2022, 7, 10, 12, 5), "fi") == "10.7.2022 15:05 (Helsinki)"
    assert audit_log.local_time(datetime(2022, 7, 10, 22, 30), "sv") == "11.7.2022 01:30 (Helsingfors)"


def test_every_field_the_writes_audit_has_a_name(demo_con):
    write.accounts.add_user(demo_con, SYSTEM, "someone@x.example", "viewer")
    # unlinking the decision last: ids() finds the decision through its link
    for name in sorted(set(WRITES) - {"remove_cost_centre"}, key=lambda name: name == "set_decision_links"):
        WRITES[name](demo_con, SYSTEM if name in ADMIN_ONLY else EDITOR, ids(demo_con))
    rows = [
        measure_row(
            "6.1", theme="Uusi teema", status="Käynnissä", cost_centre="77 Uusi paikka", year="2030", planned="5"
        ),
        measure_row("12.1", theme="Uusi"),
    ]
    importer.import_bytes(demo_con, csv_bytes(rows), "f.csv", "Toinen ohjelma", organisation="Toinen kunta")
    unnamed = set()
    for before, after in demo_con.execute("SELECT before, after FROM audit_log").fetchall():
        for value in (before, after):
            unnamed |= {key for key in json.loads(value or "{}") if not i18n.has(f"audit.field.{key}")}
    assert unnamed == set()


def _old_row(con, action: str, entity: str, entity_id: str, *, before=None, after=None, measure_id=None) -> None:
    """An audit row as an earlier release wrote it (old action and entity names)."""
    con.execute(
        "INSERT INTO audit_log (id, occurred_at, actor, action, entity, entity_id, measure_id, before, after)"
        " VALUES (?, ?, 'old@joensuu.example', ?, ?, ?, ?, ?, ?)",
        [allocate_id(con, "audit_log"), db.utcnow(), action, entity, entity_id, measure_id, before, after],
    )


def audit_page(lang: str = "fi") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = EDITOR
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    return at


def test_the_audit_page_names_actions_entities_and_fields_in_the_readers_language(demo_db_path):
    con = db.connect(demo_db_path)
    i = ids(con)
    at_utc = db.utcnow().replace(microsecond=0)
    write.budget.save_budget_line(
        con,
        EDITOR,
        i["line"],
        {"year": 2022, "cost_centre_id": i["centre"], "planned_eur": "5"},
        expected_version=i["line_version"],
        now=at_utc,
    )
    removed = write.budget.add_budget_line(
        con, EDITOR, i["measure"], {"year": 2030, "cost_centre_id": i["centre"], "planned_eur": "10"}, now=at_utc
    )
    write.budget.remove_budget_line(con, EDITOR, removed, expected_version=1, now=at_utc)
    other = con.execute("SELECT id FROM measures WHERE code = '6.2'").fetchone()[0]
    write.decisions.set_decision_links(
        con, EDITOR, i["decision"], [i["measure"], other], expected_version=i["decision_version"], now=at_utc
    )
    decision = con.execute("SELECT body, decided_on, section FROM decisions WHERE id = ?", [i["decision"]]).fetchone()
    _old_row(
        con,
        "add_budget_line",
        "budget_line",
        str(i["line"]),
        after='{"planned_eur": "1200.00"}',
        measure_id=i["measure"],
    )
    _old_row(con, "link_decision", "measure_decision", f"{i['measure']}:{i['decision']}", measure_id=i["measure"])
    con.close()

    table = audit_page("fi").dataframe[0].value
    rows = {(row["Toiminto"], row["Kohde"]) for _, row in table.iterrows()}
    assert ("Talousarviorivi muutettu", "Talousarviorivi 6.1 · 2022 · 1275") in rows
    # a deleted line is still named, from what its audit row kept
    assert ("Talousarviorivi poistettu", "Talousarviorivi 6.1 · 2030 · 1275") in rows
    # rows of an earlier release, in today's words
    assert ("Talousarviorivi lisätty", "Talousarviorivi 6.1 · 2022 · 1275") in rows
    linked = {kohde for toiminto, kohde in rows if toiminto == "Päätös liitetty toimenpiteeseen"}
    body, day, section = decision
    words = [body, *([i18n.format_date(day, "fi")] if day else []), *([f"§ {section}"] if section else [])]
    # the new link names the decision; the old row (its id was "measure:decision") at least says which one
    assert linked == {"Päätös " + " ".join(words), f"Päätös {i['decision']}"}
    changed = table[table["Toiminto"] == "Talousarviorivi muutettu"].iloc[0]
    assert changed["Aika"] == audit_log.local_time(at_utc, "fi")
    assert "Budjetoitu: 1\u00a0200\u00a0€ → 5\u00a0€" in changed["Muutokset (ennen → jälkeen)"]

    swedish = audit_page("sv").dataframe[0].value
    assert "Budgetrad borttagen" in set(swedish["Händelse"])
    assert any(when.endswith("(Helsingfors)") for when in swedish["Tid"])


def test_import_rows_name_the_programme_and_the_new_lines(demo_con):
    rows = [
        measure_row(
            "6.1", theme="Yhteistyö ja viestintä", status="Käynnissä", cost_centre="1275", year="2031", planned="100"
        )
    ]
    code, _report = importer.import_bytes(demo_con, csv_bytes(rows), "v.csv", DEMO_PROGRAMME, caller=EDITOR)
    assert code == 0
    frame = db.query(demo_con, "workspace_audit_log", measure_id=None, actor=EDITOR.email, date_from=None, date_to=None)
    named = dict(zip(frame["action"], frame["entity_name"], strict=True))
    assert named["import.run"] == DEMO_PROGRAMME
    assert named["budget_line.create"].startswith("6.1 · 2031 · ")
    line = demo_con.execute("SELECT planned_eur FROM budget_lines WHERE year = 2031").fetchone()[0]
    assert line == Decimal("100.00")
