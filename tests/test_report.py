"""The board report (issue 14): the PDF's text, read back with pypdf, holds the
figures the report page and the budget page show for the same period; A4, page
numbers, title and language set, tagged; a closed period's report never
changes; the CLI writes it in any language. Its emissions section (issue 16)
says the gap and holds the table the overview shows behind its emissions
figure, in fi/sv/en, and says so when there are no emissions."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from functools import partial

import pypdf
import pytest
from streamlit.testing.v1 import AppTest

from tests import page_app
from tests.conftest import TODAY
from tests.html_tables import html_tables
from tracker import cli, db
from tracker.auth import SYSTEM, Caller
from tracker.report import content, pdf
from tracker.report import scope as report_scope
from tracker.write import budget, measures, periods, programmes
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


def report_pdf(
    con, lang="fi", *, period_id=None, compare_id=None, summary=False, include_unpublished=True, programme_id=1
) -> bytes:
    frame = db.query(con, "reporting_periods", programme_id=programme_id, lang=lang)
    scope = report_scope.scope_for(
        frame,
        programme_id,
        lang,
        include_unpublished=include_unpublished,
        today=TODAY,
        period_id=period_id,
        compare_id=compare_id,
    )
    report = content.build(report_scope.collect(partial(db.query, con), scope), scope, generated=TODAY)
    return pdf.render(report, summary=summary)


def open_page(page: str, **params) -> AppTest:
    return page_app.shown(page, VIEWER, **params)


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


# -- the emissions against the target (issue 16) --

# The demo's gap as tests/test_outcomes_pages.py reads it on the overview.
GAP = {
    "fi": "Vuosien 2020–2024 tahdilla vuoden 2030 tavoite jää saavuttamatta 31 kt:lla.",
    "sv": "I takten från 2020–2024 missas målet för 2030 med 31 kt.",
    "en": "At the 2020–2024 pace the 2030 target is missed by 31 kt.",
}
HEADING = {
    "fi": "Kasvihuonekaasupäästöt ja tavoite",
    "sv": "Växthusgasutsläpp och mål",
    "en": "Greenhouse-gas emissions and the target",
}
NO_FIGURES = "SYKEn päästölukuja ei ole vielä tuotu."


def emissions_shown(at: AppTest, lang: str) -> tuple[str, list[list[str]]]:
    """The gap sentence and the rows of the table behind the emissions figure, as the page shows them."""
    sentence = next(m.value for m in at.markdown if GAP[lang] in m.value.replace("\\", ""))
    target_line = {"fi": "Tavoitepolku", "sv": "Målbana", "en": "Target line"}[lang]
    table = frame_with(at, target_line).value
    return sentence.replace("\\", ""), [[str(cell) for cell in row] for row in table.to_numpy()]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_pdf_says_the_emissions_gap_and_holds_the_overview_s_table(demo_con, lang):
    overview = open_page("app_pages/overview.py", lang=lang)
    sentence, rows = emissions_shown(overview, lang)
    assert len(rows) > 20 and any(row[-3] != "–" for row in rows)  # years with figures and the target line
    for summary in (False, True):
        text = pdf_text(report_pdf(demo_con, lang, summary=summary))
        assert HEADING[lang] in text
        assert flat(sentence) in text
        assert "kt CO2e" in text  # the chart's axis: the summary has no table, only the chart
    # every row of the overview's table, cell after cell, in the full report's table
    text = pdf_text(report_pdf(demo_con, lang))
    missing = [row for row in rows if flat(" ".join(row)) not in text]
    assert missing == []
    target = {
        "fi": "Hinku-tavoite: −80 % vuodesta 2007 vuoteen 2030",
        "sv": "Hinku-målet: −80 % från 2007 till 2030",
        "en": "Hinku target: −80% from 2007 by 2030",
    }[lang]
    assert target in text
    # the report page shows the same section: the sentence, the overview's figure and its table
    page = open_page("app_pages/report.py", lang=lang)
    assert HEADING[lang] in [s.value for s in page.subheader]
    assert emissions_shown(page, lang) == (sentence, rows)
    assert any(c.proto.id.endswith("report_emissions_path") for c in page.get("plotly_chart"))


def test_a_closed_periods_report_says_its_emissions_are_today_s_import(demo_con):
    period_id = close_2025(demo_con)
    imported = demo_con.execute("SELECT file_name, imported_at FROM emission_imports").fetchone()
    note = (
        "Päästöt eivät kuulu kauden Vuosiraportti 2025 jäädytettyihin lukuihin: ne ovat nykyisen tuonnin"
        f" mukaiset (tiedosto {imported[0]}, tuotu {imported[1]:%-d.%-m.%Y})."
    )
    assert note in pdf_text(report_pdf(demo_con, period_id=period_id))
    assert GAP["fi"] in pdf_text(report_pdf(demo_con, period_id=period_id))
    assert "jäädytettyihin lukuihin" not in pdf_text(report_pdf(demo_con))
    page = open_page("app_pages/report.py", period=str(period_id))
    assert any(note in flat(element.value) for element in page.html)


def test_a_programme_without_emissions_says_so(demo_con):
    cur = demo_con.cursor()
    cur.execute("BEGIN")
    organisation = programmes.insert_organisation(cur, SYSTEM, "Liperin kunta", now=db.utcnow())
    programme_id = programmes.insert_programme(cur, SYSTEM, organisation, "Liperin ilmasto-ohjelma", now=db.utcnow())
    cur.execute("COMMIT")
    cur.close()
    text = pdf_text(report_pdf(demo_con, programme_id=programme_id))
    assert f"{HEADING['fi']} {NO_FIGURES}" in text
    assert "kt CO2e" not in text
    page = open_page("app_pages/report.py", programme=str(programme_id))
    assert HEADING["fi"] in [s.value for s in page.subheader]
    assert NO_FIGURES in [m.value.replace("\\", "") for m in page.markdown]
    assert not any(c.proto.id.endswith("report_emissions_path") for c in page.get("plotly_chart"))


def test_an_unpublished_emissions_indicator_stays_out_of_a_report_without_unpublished_data(demo_con):
    demo_con.execute("UPDATE indicators SET is_published = false WHERE role = 'emissions'")
    assert GAP["fi"] not in pdf_text(report_pdf(demo_con, include_unpublished=False))
    assert GAP["fi"] in pdf_text(report_pdf(demo_con, include_unpublished=True))
