"""One copy of each rule (tracker/rules.py): the form services, the spreadsheet
cells, a decision's proposal and the register all follow it, so changing it
in its one place changes every writer. And the uniqueness rules the schema's
UNIQUE/PRIMARY KEY say are kept by the write layer itself (DuckLake has none)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.test_workspace_services import EDITOR, ids
from tracker import i18n, rules, write
from tracker.auth import SYSTEM
from tracker.errors import ValidationError
from tracker.minutes import proposals
from tracker.spreadsheet import cells, sheet_format
from tracker.status import STATUSES


def test_every_writer_takes_the_year_range_from_its_one_place(demo_con, monkeypatch):
    monkeypatch.setattr(rules, "MAX_YEAR", 2030)
    i = ids(demo_con)
    with pytest.raises(cells.CellError) as cell:
        cells.year("2031")
    assert cell.value.params == {"low": 1990, "high": 2030}
    with pytest.raises(ValidationError) as form:
        write.budget.add_budget_line(
            demo_con, EDITOR, i["measure"], {"year": 2031, "cost_centre_id": i["centre"], "planned_eur": "1"}
        )
    assert form.value.problems["year"] == ("validation.whole_number", {"low": 1990, "high": 2030})
    with pytest.raises(ValidationError) as register:
        write.decisions.add_decision(
            demo_con,
            EDITOR,
            i["organisation"],
            {"body": "Valtuusto", "outcome": "approved", "decided_on": "2031-01-01"},
        )
    assert "decided_on" in register.value.problems
    line = proposals.ProposedLine(2031, "1275", None, Decimal("5"))
    with pytest.raises(ValidationError) as proposal:
        proposals.apply_decision(
            demo_con, EDITOR, i["measure"], expected_version=i["version"], existing_decision_id=1, lines=[line]
        )
    assert "line 1 year" in proposal.value.problems


def test_the_largest_amount_and_the_outcomes_are_one_rule(monkeypatch):
    monkeypatch.setattr(rules, "MAX_EUROS", Decimal("100.00"))
    with pytest.raises(cells.CellError) as cell:
        cells.money("100,01")
    assert cell.value.key == "import.cell.money_too_large"
    problems: dict = {}
    write.fields.clean_euros(problems, "planned_eur", "100,01")
    assert problems == {"planned_eur": ("validation.euros_too_big", {})}
    with pytest.raises(ValidationError) as refused:
        write.decisions.validate_decision({"body": "Valtuusto", "outcome": "postponed"})
    assert refused.value.problems["outcome"][0] == "validation.unknown_choice"
    assert all(write.decisions.validate_decision({"body": "B", "outcome": o})["outcome"] == o for o in rules.OUTCOMES)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_spreadsheet_says_and_reads_a_status_with_the_catalogues_label(lang):
    for code in STATUSES:
        label = i18n.status_label(code, lang)
        assert sheet_format.status_label(code, lang) == label
        assert cells.status(label.upper()) == code
    allowed = ", ".join(i18n.status_label(code, lang) for code in STATUSES)
    assert allowed in i18n.t("import.cell.status_unknown", lang, value="x", allowed=allowed)


def test_a_setting_changed_twice_is_still_one_row(demo_con):
    write.settings.set_setting(demo_con, SYSTEM, "stale_days", "200")
    write.settings.set_setting(demo_con, SYSTEM, "stale_days", "210")
    assert demo_con.execute("SELECT value FROM settings WHERE key = 'stale_days'").fetchall() == [("210",)]
    changes = demo_con.execute(
        "SELECT before ->> 'value', after ->> 'value' FROM audit_log WHERE action = 'setting.update' ORDER BY id"
    ).fetchall()
    assert changes == [(None, "200"), ("200", "210")]


def test_statuses_are_shown_in_one_order_in_sql_and_python(con):
    from tracker.present import public_html
    from tracker.status import SHOWN_ORDER

    in_sql = [row[0] for row in con.execute("SELECT status FROM status_order() ORDER BY ordinal").fetchall()]
    assert list(SHOWN_ORDER) == in_sql and sorted(SHOWN_ORDER) == sorted(STATUSES)
    # the residents' status bar and its legend follow it (as the theme bars beside it do)
    bar = public_html.status_bar({"not_started": 3, "done": 5, "late": 1}, "en")
    assert bar.index("Done") < bar.index("Late") < bar.index("Not started")
