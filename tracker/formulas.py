"""The one guard against formula injection: every CSV and XLSX the app produces
(the open data on /public, the measures list, the audit log, the measures
spreadsheet, any other download or export) writes its text cells through here.

A spreadsheet program runs a cell that starts with = + - @ (or a tab or a
carriage return before one) as a formula: ``=HYPERLINK(...)`` or
``=cmd|' /C calc'!A0`` typed into a measure's title would run on the computer
of whoever opens the download. Such text gets an apostrophe in front, which
spreadsheet programs show as text and the importer takes off again.
"""

from __future__ import annotations

import pandas as pd

# Characters that make a spreadsheet program treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, with an apostrophe in front."""
    return "'" + text if is_dangerous(text) else text


def neutralise_value(value):
    """A cell's value: text neutralised, anything else (numbers, dates, empty) as it is."""
    return neutralise(value) if isinstance(value, str) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised."""
    safe = frame.rename(columns=lambda name: neutralise_value(name) if isinstance(name, str) else name)
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_datetime64_any_dtype(safe[column])):
            safe[column] = safe[column].map(neutralise_value)
    return safe


def csv_bytes(frame: pd.DataFrame, *, sep: str = ",") -> bytes:
    """``frame`` as CSV for spreadsheet programs: UTF-8 with a byte-order mark (so
    ä and ö read right), no index, every text cell neutralised."""
    text = neutralise_frame(frame).to_csv(index=False, sep=sep)
    return ("\ufeff" + text).encode("utf-8")
