"""The public view's open data: the published measures of a programme (from
queries/public_open_data.sql) as CSV and JSON files, the licence stated in the
JSON and beside the download links. No Streamlit here."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pandas as pd

from tracker import formulas, i18n

MONEY_COLUMNS = ("planned_eur", "actual_eur")


def _public_frame(rows: pd.DataFrame, lang: str, *, include_money: bool) -> pd.DataFrame:
    """The rows with the status word beside its code, and no money columns when money is hidden."""
    frame = rows.copy()
    frame.insert(
        frame.columns.get_loc("status") + 1, "status_label", [i18n.status_label(s, lang) for s in frame["status"]]
    )
    if not include_money:
        frame = frame.drop(columns=[c for c in MONEY_COLUMNS if c in frame.columns])
    for column in ("start_date", "end_date", "updated_on"):
        frame[column] = [None if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in frame[column]]
    return frame


def measures_csv(rows: pd.DataFrame, lang: str, *, include_money: bool) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read ä and ö right;
    text that would start a formula neutralised."""
    return formulas.csv_bytes(_public_frame(rows, lang, include_money=include_money))


def _plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def measures_json(
    rows: pd.DataFrame,
    lang: str,
    *,
    include_money: bool,
    organisation: str,
    programme: str,
    licence: str,
    licence_url: str,
) -> bytes:
    frame = _public_frame(rows, lang, include_money=include_money)
    document = {
        "organisation": organisation,
        "programme": programme,
        "language": lang,
        "licence": {"name": licence, "url": licence_url},
        "measures": [{key: _plain(value) for key, value in record.items()} for record in frame.to_dict("records")],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
