"""The CDP-ICLEI Track and Covenant of Mayors exports (issue 14): one row per
measure in the framework's column order, with its words for status, sector
and financing (tracker/frameworks/vocabulary.py), as an .xlsx workbook with
the vocabularies as drop-down lists and a sheet saying what the file is.

docs/frameworks.md gives the source of each column list and every mapping,
and where a framework's official field list could not be checked.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pandas as pd

from tracker import db, i18n
from tracker.errors import UserError
from tracker.frameworks import vocabulary as vocab
from tracker.settings import get as setting
from tracker.spreadsheet.exporter import neutralise, write_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("cdp", "com")

CDP_COLUMNS = (
    "Action ID",
    "Action title",
    "Sector (GPC)",
    "Action description",
    "Status of action",
    "Finance status",
    "Total cost of the action",
    "Total cost provided by the local government",
    "Currency",
    "Majority funding source",
    "Co-benefit areas",
    "Estimated emissions reduction (metric tonnes CO2e per year)",
    "Energy savings (MWh per year)",
    "Renewable energy production (MWh per year)",
    "Web link",
)
# Action status, the 2024 disclosure cycle's wording.
CDP_STATUS = (
    "Scoping",
    "Pre-feasibility study",
    "Feasibility finalized, but currently no finance secured",
    "Feasibility finalized, and finance partially secured",
    "Feasibility finalized, and finance fully secured",
    "Implementation underway with completion expected in less than one year",
    "Implementation underway with completion expected in more than one year",
    "Implementation complete in the reporting year",
    "Action in operation (targeted to sector/location)",
    "Action in operation (across most of jurisdiction)",
    "Action in operation (jurisdiction-wide)",
)
COM_COLUMNS = (
    "Action title",
    "Key action",
    "Sector",
    "Area of intervention",
    "Policy instrument",
    "Responsible body",
    "Implementation start year",
    "Implementation end year",
    "Implementation status",
    "Estimated implementation cost (EUR)",
    "Financing source",
    "Estimated energy savings (MWh/a)",
    "Estimated renewable energy production (MWh/a)",
    "Estimated CO2 reduction (t CO2/a)",
    "Short description",
)
COM_STATUS = {
    "not_started": "Not started",
    "in_progress": "Ongoing",
    "late": "Ongoing",
    "done": "Completed",
    "postponed": "Postponed",
    "cancelled": "Cancelled",
}
SHEET_NOTES = {"cdp": "framework.notes_cdp", "com": "framework.notes_com"}


def _value(value):
    """None for a missing cell (None, NaN, NaT), else the value."""
    if value is None or isinstance(value, (str, list, tuple)):
        return value
    return None if pd.isna(value) else value


def _day(value) -> date | None:
    value = _value(value)
    return value.date() if isinstance(value, datetime) else value


def cdp_status(measure: dict, as_of: date) -> str | None:
    """The measure's status in CDP's words (its finance status, dates and the continuous
    flag included); None for a cancelled measure, which CDP does not ask about."""
    status = measure["status"]
    if status == "cancelled":
        return None
    if status in ("not_started", "postponed"):
        return {
            "secured": CDP_STATUS[4],
            "not_needed": CDP_STATUS[4],
            "partially_secured": CDP_STATUS[3],
            "not_secured": CDP_STATUS[2],
        }.get(measure.get("finance_status"), CDP_STATUS[0])
    if status in ("in_progress", "late"):
        if measure.get("is_continuous"):
            return CDP_STATUS[8]
        end = _day(measure.get("end_date"))
        if end is not None and (end - as_of).days <= 365:
            return CDP_STATUS[5]
        return CDP_STATUS[6]
    done_on = _day(measure.get("done_on")) or _day(measure.get("end_date"))
    if measure.get("is_continuous") or (done_on is not None and done_on.year < as_of.year):
        return CDP_STATUS[8]
    return CDP_STATUS[7]


def _money(value) -> Decimal | None:
    value = _value(value)
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def cdp_rows(measures: list[dict], as_of: date, public_url) -> list[list]:
    rows = []
    for m in measures:
        status = cdp_status(m, as_of)
        if status is None:
            continue
        total, share = _money(m["total_cost_eur"]), _value(m["municipal_share_pct"])
        own = None if total is None or share is None else (total * Decimal(str(share)) / 100).quantize(Decimal("0.01"))
        benefits = [vocab.CO_BENEFITS[c].cdp for c in (m["co_benefits"] or []) if c in vocab.CO_BENEFITS]
        finance = vocab.FINANCE_STATUSES.get(m["finance_status"] or "")
        rows.append(
            [
                m["code"],
                m["title"],
                vocab.SECTORS[m["sector"]].cdp if m["sector"] in vocab.SECTORS else None,
                m["description"],
                status,
                finance.cdp if finance else None,
                total,
                own,
                "EUR" if total is not None else None,
                vocab.FINANCING_SOURCES[m["financing_source"]].cdp
                if m["financing_source"] in vocab.FINANCING_SOURCES
                else None,
                "; ".join(benefits) or None,
                _money(m["emission_reduction_t"]),
                _money(m["energy_saved_mwh"]),
                _money(m["renewable_energy_mwh"]),
                public_url(m) if m["is_published"] else None,
            ]
        )
    return rows


def com_rows(measures: list[dict]) -> list[list]:
    rows = []
    for m in measures:
        start, end = _day(m["start_date"]), _day(m["end_date"])
        cost = _money(m["total_cost_eur"])
        if cost is None:
            cost = _money(m["planned_eur"])
        rows.append(
            [
                m["title"],
                None,
                vocab.SECTORS[m["sector"]].com if m["sector"] in vocab.SECTORS else None,
                vocab.COM_AREAS[m["com_area"]].com if m["com_area"] in vocab.COM_AREAS else None,
                vocab.COM_INSTRUMENTS[m["com_instrument"]].com
                if m["com_instrument"] in vocab.COM_INSTRUMENTS
                else None,
                m["responsible_unit"],
                start.year if start else None,
                None if m["is_continuous"] or end is None else end.year,
                COM_STATUS[m["status"]],
                cost,
                vocab.FINANCING_SOURCES[m["financing_source"]].com
                if m["financing_source"] in vocab.FINANCING_SOURCES
                else None,
                _money(m["energy_saved_mwh"]),
                _money(m["renewable_energy_mwh"]),
                _money(m["emission_reduction_t"]),
                m["description"],
            ]
        )
    return rows


def measures(con: duckdb.DuckDBPyConnection, programme_id: int, lang: str) -> list[dict]:
    frame = db.query(con, "framework_measures", programme_id=programme_id, lang=lang)
    records = frame.astype(object).to_dict("records")
    for record in records:
        for key, value in record.items():
            if key != "co_benefits" and not isinstance(value, (list, tuple)) and value is not None and pd.isna(value):
                record[key] = None
        benefits = record.get("co_benefits")
        record["co_benefits"] = list(benefits) if benefits is not None and not isinstance(benefits, float) else []
    return records


# Which columns of each export carry a vocabulary (0-based column -> its values), for the drop-downs.
def _lists(fmt: str) -> dict[int, list[str]]:
    if fmt == "cdp":
        return {
            2: sorted({t.cdp for t in vocab.SECTORS.values()}),
            4: list(CDP_STATUS),
            5: [t.cdp for t in vocab.FINANCE_STATUSES.values()],
            9: sorted({t.cdp for t in vocab.FINANCING_SOURCES.values()}),
        }
    return {
        2: sorted({t.com for t in vocab.SECTORS.values()}),
        3: [t.com for t in vocab.COM_AREAS.values()],
        4: [t.com for t in vocab.COM_INSTRUMENTS.values()],
        8: list(dict.fromkeys(COM_STATUS.values())),
        10: sorted({t.com for t in vocab.FINANCING_SOURCES.values()}),
    }


def workbook(fmt: str, rows: list[list], notes: list[str]) -> bytes:
    """The export as .xlsx: an Actions sheet (numbers as numbers, text never a formula), the
    Vocabulary sheet feeding drop-down lists, and a Notes sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = CDP_COLUMNS if fmt == "cdp" else COM_COLUMNS
    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0072B2")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=column_number)
            if isinstance(value, Decimal):
                cell.value = value
                cell.number_format = "#,##0.00"
            elif isinstance(value, int):
                cell.value = value
            else:
                write_text(cell, str(value))
    vocabulary = book.create_sheet("Vocabulary")
    for index, (column, values) in enumerate(_lists(fmt).items(), start=1):
        vocabulary.cell(row=1, column=index, value=columns[column])
        for offset, word in enumerate(values, start=2):
            vocabulary.cell(row=offset, column=index, value=word)
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list", formula1=f"=Vocabulary!${letter}$2:${letter}${len(values) + 1}", allow_blank=True
        )
        sheet.add_data_validation(validation)
        target = get_column_letter(column + 1)
        validation.add(f"{target}2:{target}{max(len(rows) + 1, 2)}")
    about = book.create_sheet("Notes")
    for line in notes:
        about.append([neutralise(line)])
    sheet.freeze_panes = "A2"
    for column_number, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(column_number)].width = (
            40 if "title" in name.lower() or "description" in name.lower() else 18
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_xlsx(con: duckdb.DuckDBPyConnection, programme_id: int, fmt: str, as_of: date, lang: str = "en") -> bytes:
    """The programme's measures for ``fmt`` (cdp | com) as an .xlsx workbook; titles and descriptions
    in ``lang`` (the frameworks' own words are English), CDP's status judged on ``as_of``."""
    if fmt not in FORMATS:
        raise UserError(fmt, key="export.unknown_format", format=fmt)
    found = measures(con, programme_id, lang)
    base = setting(con, "app_base_url")

    def public_url(measure: dict) -> str | None:
        if not base:
            return None
        return f"{base}/public?programme={programme_id}&measure={measure['code']}&lang={lang}"

    rows = cdp_rows(found, as_of, public_url) if fmt == "cdp" else com_rows(found)
    notes = [
        i18n.t(SHEET_NOTES[fmt], lang, date=i18n.format_date(as_of, lang), count=len(rows)),
        i18n.t("framework.notes_unverified", lang),
        i18n.t("framework.notes_docs", lang),
    ]
    return workbook(fmt, rows, notes)


def file_name(programme_name: str, fmt: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", programme_name).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_name).split()).lower()[:60] or "programme"
    return f"{slug}-{fmt}.xlsx"
