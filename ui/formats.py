"""Values as the reader reads them: euros, dates and shares in their language's
format, empty cells, and stored values in change lists."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from tracker import i18n
from ui.text import lang, tr


def missing(value) -> bool:
    """None, NaN, NaT or pandas NA: a cell with no value."""
    return value is None or bool(pd.isna(value))


def cell_text(value) -> str:
    """A text cell as shown, empty when it has none: in a frame a missing text is
    NaN, which ``value or ""`` would show as "nan"."""
    return "" if missing(value) else str(value)


def fmt_eur(value, *, exact: bool = False) -> str:
    """Euros in the reader's format, by the one rule (tracker.i18n.format_eur): whole
    euros wherever an amount is read; ``exact`` (cents when there are some) only
    where a coordinator edits the amount."""
    if value is None or pd.isna(value):
        return ""
    return i18n.format_eur(value, lang(), exact=exact)


def fmt_date(value) -> str:
    return "" if value is None or pd.isna(value) else i18n.format_date(value, lang())


def fmt_pct(share) -> str:
    """A share in whole percent (0.3158 -> 32 %), the one rule for shares."""
    return i18n.format_percent(share, lang())


def percent_points(share) -> int | None:
    """A share in whole percent points as fmt_pct rounds it, for a progress column."""
    return None if missing(share) else int(i18n.rounded(Decimal(str(share)) * 100, 0))


def percent_column_format() -> str:
    """The printf format of a column of whole percent points in the reader's language."""
    return "%d%%" if lang() == "en" else "%d\u00a0%%"


def fmt_number(value, decimals: int = 0) -> str:
    return i18n.format_number(value, lang(), decimals)


def display_value(value) -> str:
    """A stored value as plain text for change lists."""
    if value is None or (not isinstance(value, (str, bool)) and missing(value)):
        return tr("form.empty_value")
    if isinstance(value, bool):
        return tr("form.yes") if value else tr("form.no")
    if hasattr(value, "year") and hasattr(value, "month") and not isinstance(value, str):
        return fmt_date(value)
    return str(value)


def schedule_text(start, end, continuous: bool) -> str:
    """A measure's schedule: start – end, "continuous" for an open end, or unknown."""
    if missing(start) and missing(end):
        return tr("measure.schedule_unknown")
    end_text = fmt_date(end) or (tr("status.continuous") if continuous else "")
    return tr("measure.schedule_range", start=fmt_date(start), end=end_text)


def event_text(event) -> str:
    """What a status event did: the measure created at a status, or the status and progress changed."""
    if missing(event.old_status):
        return tr(
            "measure.event_created", status=i18n.status_label(event.new_status, lang()), progress=event.new_progress
        )
    return tr(
        "measure.event_change",
        old_status=i18n.status_label(event.old_status, lang()),
        new_status=i18n.status_label(event.new_status, lang()),
        old_progress=int(event.old_progress),
        new_progress=event.new_progress,
    )
