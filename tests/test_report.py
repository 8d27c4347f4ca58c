"""The board report (issue 14): the PDF's text, read back with pypdf, holds the
figures the report page and the budget page show for the same period; A4, page
numbers, title and language set, tagged; a closed period's report never
changes; the CLI writes it in any language."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from functools import partial

import pypdf
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, TODAY
from tests.html_tables import html_tables
from tracker import cli, db
from tracker.auth import Caller
from tracker.report import content, pdf
from tracker.write import budget, measures, periods
from ui import data

VIEWER = Caller(role="viewer", email="board@joensuu.example")
EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
PROGRAMME = "Joensuun ilmasto-ohjelma (esimerkkiaineisto)"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(data, "today", lambda: TODAY)


def flat(text: str) -> str:
    """Text with every run of white space (no-break spaces, line breaks of wrapped cells) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def pdf_text(data_bytes: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data_bytes))
    return flat(" ".join(page.extract_text() for page in reader.pages))


def close_2025(con) -> int:
    period_id = periods.open_period(con, EDITOR, 1, {"name_fi": "Vuosiraportti 2025", "as_of": date(2025, 12, 31)})
    periods.close_period(con, EDITOR, period_id, expected_version=1)
    return period_id


def report_pdf(con, lang="fi", *, period_id=None, compare_id=None, summary=False, include_unpublished=True) -> bytes:
    frame = db.query(con, "reporting_periods", programme_id=1, lang=lang)
    scope = content.scope_for(
        frame, 1, lang, include_unpublished=include_unpublished, today=TODAY, period_id=period_id, compare_id=compare_id
    )
    report = content.build(content.collect(partial(db.query, con), scope), scope, generated=TODAY)
    return pdf.render(report, summary=summary)


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["app_caller"] = VIEWER
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, *columns: str):
    """The first table on the page that has all these columns (tables carry no key in AppTest)."""
    return next(df for df in at.dataframe if set(columns) <= set(df.value.columns))


def frame_cells(element) -> list[str]:
    frame = element.value
    return [str(v) for v in frame.to_numpy().ravel() if str(v).strip()] + [str(c) for c in frame.columns if str(c)]


def test_the_pdf_holds_the_figures_the_report_page_shows_for_the_period(demo_con):
    period_id = close_2025(demo_con)
    at = open_page("app_pages/report.py", period=str(period_id))
    text = pdf_text(report_pdf(demo_con, period_id=period_id, include_unpublished=True))
    shown = [at.subheader[0].value, *[m.label for m in at.metric], *[str(m.value) for m in at.metric]]
    late, money = frame_with(at, "Viive"), frame_with(at, "Kustannuspaikka", "", "Yhteensä")
    shown += frame_cells(late) + frame_cells(money)
    shown += [at.dataframe[0].value.to_numpy().ravel()[0]]  # the status-by-theme table's first theme
    missing = [figure for figure in shown if flat(str(figure)) not in text]
    assert missing == []
    assert "Vuosiraportti 2025" in text and "Tilannepäivä 31.12.2025" in text
    # and the money matches the database, independently of both
    planned = demo_con.execute(
        "SELECT sum(b.planned_eur) FROM budget_lines AS b JOIN measures AS m ON m.id = b.measure_id"
        " WHERE m.programme_id = 1 AND m.archived_at IS NULL AND b.year = 2025"
    ).fetchone()[0]
    assert f"Vuonna 2025 suunniteltu {Decimal(planned):,.0f} €".replace(",", " ") in text


def test_the_budget_pages_year_by_cost_centre_table_is_the_reports(demo_con):
    at = open_page("app_pages/budget.py")
    # the budget page draws its tables as HTML (ui/tables.py)
    table = next(df for df in html_tables(at) if {"Kustannuspaikka", "", "Yhteensä"} <= set(df.columns))
    assert list(table.columns)[-1] == "Yhteensä" and table.iloc[-2, 0] == "Yhteensä"
    text = pdf_text(report_pdf(demo_con, include_unpublished=True))  # a viewer sees unpublished measures too
    cells = [str(v) for v in table.to_numpy().ravel() if str(v).strip()] + [str(c) for c in table.columns if str(c)]
    missing = [cell for cell in cells if flat(cell) not in text]
    assert missing == []
    # a cost centre's total is the sum of its years
    centre = table.iloc[0]
    years = [c for c in table.columns if c.isdigit()]
    amounts = [int(re.sub(r"\D", "", centre[y])) for y in years if centre[y] != "–"]
    assert sum(amounts) == int(re.sub(r"\D", "", centre["Yhteensä"]))


def test_a_closed_periods_report_never_changes_and_compares_with_another(demo_con):
    first = close_2025(demo_con)
    before = pdf_text(report_pdf(demo_con, period_id=first))
    line = budget.read_budget_line(demo_con, demo_con.execute("SELECT min(id) FROM budget_lines").fetchone()[0])
    budget.save_budget_line(
        demo_con, EDITOR, line["id"], {**line, "planned_eur": "987654"}, expected_version=line["version"]
    )
    measure = demo_con.execute("SELECT id, version FROM measures WHERE code = '1.3' AND programme_id = 1").fetchone()
    measures.update_measure(demo_con, EDITOR, measure[0], expected_version=measure[1], status="done", progress=100)
    assert pdf_text(report_pdf(demo_con, period_id=first)) == before
    second = periods.open_period(demo_con, EDITOR, 1, {"name_fi": "Välikatsaus 2026", "as_of": date(2026, 6, 30)})
    periods.close_period(demo_con, EDITOR, second, expected_version=1)
    compared = pdf_text(report_pdf(demo_con, period_id=second, compare_id=first))
    assert "Muutokset kaudesta Vuosiraportti 2025" in compared
    assert "uusi valmis" in compared and "1.3" in compared
    at = open_page("app_pages/report.py", period=str(second), compare=str(first))
    assert "uusi valmis" in " ".join(frame_with(at, "Huomio").value.to_numpy().ravel())
    # the framework exports are of today's data, and the page says so beside a frozen period
    now_note = "viennit ovat tämän päivän tiedoista, eivät kauden Välikatsaus 2026 jäädytetyistä luvuista"
    assert any(now_note in element.value for element in at.html)
    assert not any(now_note[:30] in element.value for element in open_page("app_pages/report.py").html)


def test_the_pdf_is_a4_tagged_with_title_language_and_page_numbers(demo_con):
    data_bytes = report_pdf(demo_con, "sv")
    reader = pypdf.PdfReader(io.BytesIO(data_bytes))
    assert reader.metadata.title == "Joensuu klimatprogram (exempeldata) – Läget 28.11.2026"
    assert reader.trailer["/Root"]["/Lang"] == "sv-FI"
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert [round(float(x)) for x in page.mediabox[2:]] == [595, 842]
        assert f"Sida {number} / {pages}" in flat(page.extract_text())
    summary = pypdf.PdfReader(io.BytesIO(report_pdf(demo_con, "en", summary=True)))
    assert len(summary.pages) == 1
    assert "done" in flat(summary.pages[0].extract_text())


def test_the_report_page_refuses_a_period_never_closed(demo_con):
    period_id = periods.open_period(demo_con, EDITOR, 1, {"name_fi": "Kesken", "as_of": date(2026, 12, 31)})
    at = open_page("app_pages/report.py", period=str(period_id))
    # an open period never closed has no figures to report: it is not offered, and the page shows now
    assert all("Kesken" not in str(option) for option in at.selectbox(key="period_choice_period").options)
    assert any("Tilanne 28.11.2026" in element.value for element in at.html)
    with pytest.raises(Exception, match="no snapshot"):
        report_pdf(demo_con, period_id=period_id)


def test_the_cli_writes_the_report(demo_db_path, tmp_path, capsys):
    base = ["--db", str(demo_db_path)]
    assert (
        cli.main(
            [
                *base,
                "period",
                "open",
                "--programme",
                PROGRAMME,
                "--name",
                "Vuosiraportti 2024",
                "--name-sv",
                "Årsrapport 2024",
                "--as-of",
                "2024-12-31",
            ]
        )
        == 0
    )
    assert cli.main([*base, "period", "close", "--programme", PROGRAMME, "--name", "Vuosiraportti 2024"]) == 0
    out = tmp_path / "rapport.pdf"
    assert (
        cli.main(
            [
                *base,
                "report",
                "--programme",
                PROGRAMME,
                "--period",
                "Årsrapport 2024",
                "--compare",
                "Vuosiraportti 2024",
                "--lang",
                "sv",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = pdf_text(out.read_bytes())
    assert "Årsrapport 2024" in text and "Förändringar sedan Årsrapport 2024" in text
    assert "Sida 1 /" in text
    assert cli.main([*base, "report", "--programme", PROGRAMME, "--period", "Ei ole", "--out", str(out)]) == 1
    assert "Ei ole" in capsys.readouterr().err
