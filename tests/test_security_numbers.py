"""Numbers nobody expected (issue 17): an amount of 1e30, a progress of NaN, a
start date in year 1 get the same one validation in every writer (the form
services, a decision's proposal, the importer) and a message beside the field,
never a traceback."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_workspace_services import EDITOR, ids
from tracker import rules, write
from tracker.errors import ValidationError
from tracker.minutes import proposals
from tracker.spreadsheet import cells
from tracker.write import fields

HUGE_AMOUNTS = ["1e30", 1e30, "1E+30", Decimal("1e30"), "9" * 40, "1e999999"]
NOT_AMOUNTS = ["NaN", float("nan"), float("inf"), "-inf", "Infinity", "sNaN"]
BAD_PROGRESS = [float("nan"), float("inf"), -float("inf"), 50.5, 101, -1, "50", True, Decimal("NaN"), 1e30]
FAR_DATES = [date(1, 1, 1), "0001-01-01", date(1989, 12, 31), "2101-01-01", date(9999, 12, 31)]


@pytest.mark.parametrize("amount", HUGE_AMOUNTS)
def test_a_huge_amount_is_too_big_not_a_traceback(amount):
    problems: dict = {}
    fields.clean_euros(problems, "planned_eur", amount)
    assert problems == {"planned_eur": ("validation.euros_too_big", {})}


@pytest.mark.parametrize("amount", NOT_AMOUNTS)
def test_nan_and_infinity_are_no_amounts(amount):
    problems: dict = {}
    fields.clean_euros(problems, "planned_eur", amount)
    assert problems == {"planned_eur": ("validation.euros", {})}


def test_the_budget_lines_page_says_a_huge_amount_is_too_big_beside_the_field(demo_db_path):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = EDITOR
    at.run()
    at.switch_page("app_pages/budget_lines.py").run()
    at.number_input(key="budgetlines_year").set_value(2031)
    at.text_input(key="budgetlines_planned_eur").input("1e30")
    next(b for b in at.button if b.label == "Tallenna").click().run()
    assert not at.exception, at.exception
    assert "Summa on liian suuri." in [e.value for e in at.error]


@pytest.mark.parametrize("progress", BAD_PROGRESS, ids=repr)
def test_update_measure_refuses_progress_that_is_no_whole_percent(demo_con, progress):
    i = ids(demo_con)
    with pytest.raises(ValidationError) as refused:
        write.measures.update_measure(demo_con, EDITOR, i["measure"], expected_version=i["version"], progress=progress)
    assert refused.value.problems == {"progress": ("validation.progress_range", {})}
    with pytest.raises(ValidationError) as weekly:
        write.measures.update_measures(
            demo_con, EDITOR, [{"measure_id": i["measure"], "expected_version": i["version"], "progress": progress}]
        )
    assert weekly.value.problems == {f"{i['measure']}.progress": ("validation.progress_range", {})}


def test_a_whole_progress_given_as_a_float_is_taken(demo_con):
    i = ids(demo_con)
    write.measures.update_measure(demo_con, EDITOR, i["measure"], expected_version=i["version"], progress=40.0)
    assert demo_con.execute("SELECT progress FROM measures WHERE id = ?", [i["measure"]]).fetchone()[0] == 40


@pytest.mark.parametrize("day", FAR_DATES, ids=str)
def test_every_date_a_form_writes_falls_in_the_importers_years(demo_con, day):
    # The measure form's date widgets stop at these years too; a request that
    # goes around them (a raw websocket message) meets the service's check.
    i = ids(demo_con)
    expected = ("validation.year_range", {"low": rules.MIN_YEAR, "high": rules.MAX_YEAR})
    with pytest.raises(ValidationError) as measure:
        write.measures.save_measure(
            demo_con, EDITOR, i["measure"], {"start_date": day, "title_fi": "T", "code": "6.1"}, expected_version=1
        )
    assert measure.value.problems["start_date"] == expected
    with pytest.raises(ValidationError) as decision:
        write.decisions.validate_decision({"body": "Valtuusto", "outcome": "approved", "decided_on": day})
    assert decision.value.problems["decided_on"] == expected
    # the importer refuses the same years
    text = day if isinstance(day, str) else day.isoformat()
    with pytest.raises(cells.CellError) as cell:
        cells.start_date(text)
    assert cell.value.params == {"low": rules.MIN_YEAR, "high": rules.MAX_YEAR}


@pytest.mark.parametrize("amount", [Decimal("1e30"), Decimal("NaN"), Decimal("0.001")], ids=str)
def test_a_decisions_budget_line_with_an_impossible_amount_is_refused_by_row(demo_con, amount):
    i = ids(demo_con)
    line = proposals.ProposedLine(2030, "1275", None, amount)
    with pytest.raises(ValidationError) as refused:
        proposals.apply_decision(
            demo_con, EDITOR, i["measure"], expected_version=i["version"], existing_decision_id=1, lines=[line]
        )
    assert refused.value.problems["line 1 planned"] == ("decisions.line_amount_invalid", {"row": 1})
    assert not math.isnan(float(demo_con.execute("SELECT sum(planned_eur) FROM budget_lines").fetchone()[0]))
