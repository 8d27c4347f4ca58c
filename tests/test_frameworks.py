"""The framework fields of a measure (issue 14): the measure form's rules, the
import format, and the CDP-ICLEI Track and Covenant of Mayors exports read
back with openpyxl."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tracker import cli
from tracker.auth import Caller
from tracker.errors import ValidationError
from tracker.frameworks import export, vocabulary
from tracker.spreadsheet import exporter, importer, sheet_format
from tracker.write import measures

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
PROGRAMME = "Joensuun ilmasto-ohjelma (esimerkkiaineisto)"
FIELDS = {
    "sector": "transport",
    "financing_source": "eu",
    "finance_status": "partially_secured",
    "total_cost_eur": "250 000",
    "municipal_share_pct": "40",
    "co_benefits": ["physical_health", "air_quality"],
    "emission_reduction_t": "120,5",
    "energy_saved_mwh": "310",
    "renewable_energy_mwh": "0",
    "com_area": "walking_cycling",
    "com_instrument": "mobility_planning",
}


def measure_row(con, code: str) -> dict:
    measure_id = con.execute("SELECT id FROM measures WHERE code = ? AND programme_id = 1", [code]).fetchone()[0]
    return measures.read_measure(con, measure_id)


def save(con, code: str, **changes) -> None:
    row = measure_row(con, code)
    fields = {field: row[field] for field in measures.MEASURE_EDITABLE} | changes
    measures.save_measure(con, EDITOR, row["id"], fields, expected_version=row["version"])


def test_the_form_keeps_the_framework_fields_and_checks_them(demo_con):
    save(demo_con, "2.2", **FIELDS)
    row = measure_row(demo_con, "2.2")
    assert row["sector"] == "transport" and row["co_benefits"] == ["air_quality", "physical_health"]
    assert row["total_cost_eur"] == Decimal("250000") and row["emission_reduction_t"] == Decimal("120.5")
    audit = demo_con.execute("SELECT after FROM audit_log WHERE action = 'measure.update' ORDER BY id DESC").fetchone()
    assert '"sector": "transport"' in audit[0]
    with pytest.raises(ValidationError) as refused:
        save(
            demo_con,
            "2.2",
            sector="moon",
            municipal_share_pct="140",
            energy_saved_mwh="-1",
            co_benefits=["air_quality", "x"],
            total_cost_eur="12,345",
        )
    assert set(refused.value.problems) == {
        "sector",
        "municipal_share_pct",
        "energy_saved_mwh",
        "co_benefits",
        "total_cost_eur",
    }
    assert refused.value.problems["sector"][0] == "validation.unknown_choice"


def test_every_code_has_a_label_in_three_languages_and_every_framework_word():
    from tracker import i18n

    for field in vocabulary.FIELDS:
        if field not in vocabulary.CODED_FIELDS and field not in vocabulary.LIST_FIELDS:
            continue
        for term in vocabulary.vocabulary(field).values():
            assert all(i18n.t(term.key, lang) for lang in i18n.LANGUAGES)
            if field in ("com_area", "com_instrument"):
                assert term.com
            elif field == "sector":
                assert term.cdp and term.com and term.gpc is not None
            else:
                assert term.cdp


def test_the_import_format_carries_the_framework_fields_and_round_trips(demo_con):
    save(demo_con, "2.2", **FIELDS)
    programme_id = exporter.programme_id_by_name(demo_con, PROGRAMME)
    first = exporter.export_programme(demo_con, programme_id, "xlsx", "fi")
    sheet = load_workbook(io.BytesIO(first)).active
    headers = [c.value for c in sheet[1]]
    assert headers[-len(sheet_format.FRAMEWORK_COLUMNS) :] == [h[0] for h in sheet_format.FRAMEWORK_COLUMNS.values()]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "2.2")
    values = dict(zip(headers, row, strict=True))
    assert values["Sektori"] == "transport" and values["Muut hyödyt"] == "air_quality; physical_health"
    assert Decimal(str(values["Päästövähennys t CO2e/v"])) == Decimal("120.5")
    # the file imports back without a change, and exports the same again
    code, report = importer.import_bytes(demo_con, first, "ohjelma.xlsx", PROGRAMME)
    assert code == 0, report["errors"]
    assert measure_row(demo_con, "2.2")["co_benefits"] == ["air_quality", "physical_health"]
    again = exporter.export_programme(demo_con, programme_id, "csv", "fi")
    assert ";transport;eu;partially_secured;250000,00;40,00;air_quality; physical_health;120,50;" in again.decode(
        "utf-8-sig"
    ).replace('"air_quality; physical_health"', "air_quality; physical_health")


def test_a_file_may_use_labels_in_any_language_and_bad_values_name_their_cell(demo_con):
    header = ";".join(["Tunnus", "Teema", "Toimenpide", "Tila", "Sector", "Co-benefits", "Kunnan osuus %"])
    good = '9.1;Liikenne;Uusi toimenpide;Käynnissä;Liikenne (GPC II);"Improved air quality; Mindre buller";55'
    code, report = importer.import_bytes(demo_con, f"{header}\n{good}\n".encode(), "f.csv", PROGRAMME)
    assert code == 0, report["errors"]
    row = measure_row(demo_con, "9.1")
    assert (row["sector"], row["co_benefits"], row["municipal_share_pct"]) == (
        "transport",
        ["air_quality", "noise"],
        Decimal("55"),
    )
    bad = "9.2;Liikenne;Toinen;Käynnissä;Kuu;Hyvä mieli;120"
    code, report = importer.import_bytes(demo_con, f"{header}\n{bad}\n".encode(), "f.csv", PROGRAMME)
    assert code == 1
    assert [(e["row"], e["column"]) for e in report["errors"]] == [
        (2, "Sector"),
        (2, "Co-benefits"),
        (2, "Kunnan osuus %"),
    ]


def test_the_exports_open_in_openpyxl_with_the_frameworks_columns_and_words(demo_con, demo_db_path, tmp_path):
    save(demo_con, "2.2", **FIELDS)
    cdp = load_workbook(io.BytesIO(export.export_xlsx(demo_con, 1, "cdp", date(2025, 12, 31), "en")))
    actions = cdp["Actions"]
    assert tuple(c.value for c in actions[1]) == export.CDP_COLUMNS
    rows = {r[0]: dict(zip(export.CDP_COLUMNS, r, strict=True)) for r in actions.iter_rows(min_row=2, values_only=True)}
    cancelled = {c for (c,) in demo_con.execute("SELECT code FROM measures WHERE status = 'cancelled'").fetchall()}
    live = demo_con.execute("SELECT count(*) FROM measures WHERE programme_id = 1 AND archived_at IS NULL").fetchone()
    assert len(rows) == live[0] - len(cancelled) and not cancelled & set(rows)
    walking = rows["2.2"]
    assert walking["Sector (GPC)"] == "Transportation"
    assert walking["Majority funding source"] == "International (including ODA)"
    assert walking["Finance status"] == "Finance partially secured"
    assert walking["Total cost provided by the local government"] == 100000
    assert walking["Co-benefit areas"] == "Public Health: Improved air quality; Public Health: Improved physical health"
    assert walking["Status of action"] in export.CDP_STATUS
    assert {r["Status of action"] for r in rows.values()} <= set(export.CDP_STATUS)
    assert cdp["Vocabulary"]["B1"].value == "Status of action"
    assert actions.data_validations.dataValidation  # drop-down lists

    out = tmp_path / "com.xlsx"
    command = ["--db", str(demo_db_path), "export", "--programme", PROGRAMME, "--format", "com", str(out)]
    assert cli.main([*command, "--lang", "en"]) == 0
    com = load_workbook(tmp_path / "com.xlsx")["Actions"]
    assert tuple(c.value for c in com[1]) == export.COM_COLUMNS
    com_rows = {r[0]: dict(zip(export.COM_COLUMNS, r, strict=True)) for r in com.iter_rows(min_row=2, values_only=True)}
    assert len(com_rows) == live[0]
    title = demo_con.execute("SELECT title_en FROM measures WHERE code = '2.2' AND programme_id = 1").fetchone()[0]
    assert com_rows[title]["Sector"] == "Transport"
    assert com_rows[title]["Area of intervention"] == "Modal shift to walking and cycling"
    assert com_rows[title]["Policy instrument"] == "Mobility planning regulation"
    assert com_rows[title]["Financing source"] == "EU funds and programmes"
    assert {r["Implementation status"] for r in com_rows.values()} <= set(export.COM_STATUS.values())


@pytest.mark.parametrize(
    ("measure", "as_of", "expected"),
    [
        ({"status": "not_started", "finance_status": "not_secured"}, date(2025, 12, 31), export.CDP_STATUS[2]),
        ({"status": "postponed", "finance_status": None}, date(2025, 12, 31), "Scoping"),
        ({"status": "in_progress", "end_date": date(2026, 6, 30)}, date(2025, 12, 31), export.CDP_STATUS[5]),
        ({"status": "late", "end_date": date(2028, 6, 30)}, date(2025, 12, 31), export.CDP_STATUS[6]),
        ({"status": "in_progress", "is_continuous": True}, date(2025, 12, 31), export.CDP_STATUS[8]),
        ({"status": "done", "done_on": date(2025, 3, 1)}, date(2025, 12, 31), export.CDP_STATUS[7]),
        ({"status": "done", "done_on": date(2023, 3, 1)}, date(2025, 12, 31), export.CDP_STATUS[8]),
        ({"status": "cancelled"}, date(2025, 12, 31), None),
    ],
)
def test_the_cdp_status_mapping(measure, as_of, expected):
    assert export.cdp_status(measure, as_of) == expected


def test_text_that_looks_like_a_formula_stays_text(demo_con):
    save(demo_con, "2.2", title_en='=HYPERLINK("http://evil.example","x")')
    sheet = load_workbook(io.BytesIO(export.export_xlsx(demo_con, 1, "cdp", date(2025, 12, 31), "en")))["Actions"]
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if str(row[1].value).startswith("=HYPERLINK"))
    # a string cell that Excel keeps as text (the measures export's way), never a formula
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://evil.example","x")', "s", True)
