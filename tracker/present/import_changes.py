"""What an import will change (tracker/spreadsheet/changes.py) and what stops
an undo (tracker/spreadsheet/undo.py), in the reader's words: the
spreadsheet's own column names, statuses, dates and euros in the reader's
format, and the flags said as warnings. The import page and the CLI show
the same text."""

from __future__ import annotations

from collections import Counter
from datetime import date

from tracker import i18n
from tracker.spreadsheet import sheet_format
from tracker.spreadsheet.changes import FLAGS, Change

# A long description is cut this far on the CLI's one line per change; the
# page's table wraps the whole text, so a replaced description can be read there.
SHOWN_CHARS = 80
NOTHING = "–"


def field_label(field: str, lang: str, year: int | None = None, cost_centre: str | None = None) -> str:
    """The column as the spreadsheet names it; a budget line's year and cost centre after it."""
    if field in ("measure", "budget_line", "status_history"):
        return i18n.t(f"import_changes.field.{field}", lang)
    label = sheet_format.header(field, lang) if field in sheet_format.COLUMNS else field
    if year is not None:
        label += f" {year}"
    if cost_centre is not None:
        label += f" · {cost_centre}"
    return label


def value_text(field: str, value, lang: str, *, whole: bool = False) -> str:
    if value is None or value == "":
        return NOTHING
    if field == "status":
        return i18n.status_label(value, lang)
    if field == "progress":
        return f"{value}%" if lang == "en" else f"{value}\u00a0%"
    if field in ("planned", "actual"):
        return i18n.format_eur(value, lang, exact=True)
    if isinstance(value, bool):
        return sheet_format.YES_NO[lang][0 if value else 1]
    if isinstance(value, date):
        return i18n.format_date(value, lang)
    text = " ".join(str(value).split())
    return text if whole or len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def flag_label(flag: str | None, lang: str) -> str:
    return i18n.t(f"import_changes.flag.{flag}", lang) if flag else ""


def change_rows(changes: list[Change], lang: str) -> list[dict]:
    """Each change as the page's table shows it (row, code, field, before, after, flag), texts whole."""
    return [
        {
            "row": change.row,
            "code": change.code,
            "field": field_label(change.field, lang, change.year, change.cost_centre),
            "before": value_text(change.field, change.before, lang, whole=True),
            "after": value_text(change.field, change.after, lang, whole=True),
            "flag": flag_label(change.flag, lang),
        }
        for change in changes
    ]


def change_line(change: Change, lang: str) -> str:
    """One change on one line, as the CLI prints it."""
    field = field_label(change.field, lang, change.year, change.cost_centre)
    text = i18n.t(
        "import_changes.line",
        lang,
        row=change.row,
        code=change.code,
        field=field,
        before=value_text(change.field, change.before, lang),
        after=value_text(change.field, change.after, lang),
    )
    return f"{text}  ⚠ {flag_label(change.flag, lang)}" if change.flag else text


def flag_counts(changes: list[Change], lang: str) -> list[tuple[str, int]]:
    """(flag in words, how many) of each flag that occurs, in FLAGS order."""
    counted = Counter(change.flag for change in changes if change.flag)
    return [(flag_label(flag, lang), counted[flag]) for flag in FLAGS if counted[flag]]


def flag_summary(changes: list[Change], lang: str) -> str:
    """ "tila siirtyy taaksepäin (1), kuvaus tyhjennetään (2)" """
    return ", ".join(f"{label} ({count})" for label, count in flag_counts(changes, lang))


def conflict_line(conflict, lang: str) -> str:
    """What stops an undo, in words: "1.1 · Tila: nyt Käynnissä, tuonti kirjoitti Myöhässä"."""
    where = " · ".join(part for part in (conflict.code, field_label(conflict.field, lang, conflict.year,
                                                                        conflict.cost_centre)) if part)  # fmt: skip
    reason = i18n.t(
        f"import_undo.reason.{conflict.reason}",
        lang,
        now=value_text(conflict.field, conflict.now, lang),
        imported=value_text(conflict.field, conflict.imported, lang),
    )
    return f"{where}: {reason}"
