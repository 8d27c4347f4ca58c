"""The measures spreadsheet format shared by the importer and the exporter
(docs/import-format.md): its columns with their fi/sv/en headers, and the
words it uses for statuses and yes/no. The words it writes come from the
catalogue: the headers, the sheet's name and yes/no from
tracker/messages/measures_sheet.toml, a status's label from ``status.*``,
the one the whole app shows."""

from __future__ import annotations

from tracker import i18n
from tracker.status import STATUSES

_COLUMN_MESSAGE = "measures_sheet.column."


def _columns(*messages: str) -> dict[str, tuple[str, str, str]]:
    """Column key -> its (fi, sv, en) header, in the order given: each is the
    catalogue's ``measures_sheet.column.<key>`` (tracker/messages/measures_sheet.toml)."""
    return {message.removeprefix(_COLUMN_MESSAGE): i18n.in_every_language(message) for message in messages}


# The columns in the order the exporter writes them.
COLUMNS = _columns(
    "measures_sheet.column.code", "measures_sheet.column.theme", "measures_sheet.column.title",
    "measures_sheet.column.description", "measures_sheet.column.responsible", "measures_sheet.column.status",
    "measures_sheet.column.progress", "measures_sheet.column.start", "measures_sheet.column.end",
    "measures_sheet.column.continuous", "measures_sheet.column.public", "measures_sheet.column.cost_centre",
    "measures_sheet.column.year", "measures_sheet.column.planned", "measures_sheet.column.actual",
)  # fmt: skip
# -- the optional framework fields of a measure (issue 14; docs/frameworks.md) --
# FRAMEWORK_FIELD_COLUMNS: key -> the measures column it fills.
FRAMEWORK_COLUMNS = _columns(
    "measures_sheet.column.sector", "measures_sheet.column.financing", "measures_sheet.column.finance_status",
    "measures_sheet.column.total_cost", "measures_sheet.column.municipal_share", "measures_sheet.column.co_benefits",
    "measures_sheet.column.emission_reduction", "measures_sheet.column.energy_saved",
    "measures_sheet.column.renewable_energy", "measures_sheet.column.com_area", "measures_sheet.column.com_instrument",
)  # fmt: skip
FRAMEWORK_FIELD_COLUMNS = {
    "sector": "sector",
    "financing": "financing_source",
    "finance_status": "finance_status",
    "total_cost": "total_cost_eur",
    "municipal_share": "municipal_share_pct",
    "co_benefits": "co_benefits",
    "emission_reduction": "emission_reduction_t",
    "energy_saved": "energy_saved_mwh",
    "renewable_energy": "renewable_energy_mwh",
    "com_area": "com_area",
    "com_instrument": "com_instrument",
}
# the keys whose values are decimal numbers (the exporter writes them as such)
FRAMEWORK_DECIMAL_KEYS = ("total_cost", "municipal_share", "emission_reduction", "energy_saved", "renewable_energy")
# after the columns files already have, so no column of an existing sheet moves
COLUMNS.update(FRAMEWORK_COLUMNS)
# -- end of the framework fields --
# Where a language's header stands in a column's (fi, sv, en).
LANGUAGE_INDEX = {lang: index for index, lang in enumerate(i18n.LANGUAGES)}
REQUIRED_COLUMNS = ("code", "theme", "title", "status")
# Fields that belong to the measure (the same on every row of one code).
MEASURE_KEYS = (
    "theme",
    "title",
    "description",
    "responsible",
    "status",
    "progress",
    "start",
    "end",
    "continuous",
    "public",
    *FRAMEWORK_COLUMNS,  # issue 14
)
BUDGET_KEYS = ("cost_centre", "year", "planned", "actual")

# The sheet the importer prefers when a workbook has several.
SHEET_NAMES = {lang: i18n.t("measures_sheet.name", lang) for lang in i18n.LANGUAGES}

# Words real files use besides the labels above (compared in lower case with
# spaces, "_" and "-" folded to single spaces).
STATUS_SYNONYMS: dict[str, str] = {
    # not started
    "aloittamatta": "not_started",
    "ei alkanut": "not_started",
    "suunniteltu": "not_started",
    "suunnitteilla": "not_started",
    "ej påbörjad": "not_started",
    "planerad": "not_started",
    "planned": "not_started",
    "not yet started": "not_started",
    "todo": "not_started",
    # in progress
    "kesken": "in_progress",
    "aloitettu": "in_progress",
    "toteutuksessa": "in_progress",
    "käynnistetty": "in_progress",
    "pågående": "in_progress",
    "påbörjad": "in_progress",
    "ongoing": "in_progress",
    "started": "in_progress",
    "underway": "in_progress",
    "in progress": "in_progress",
    # late
    "viivästynyt": "late",
    "viivässä": "late",
    "försenat": "late",
    "delayed": "late",
    "behind schedule": "late",
    "overdue": "late",
    # done
    "toteutettu": "done",
    "toteutunut": "done",
    "tehty": "done",
    "valmistunut": "done",
    "genomförd": "done",
    "genomfört": "done",
    "klart": "done",
    "färdig": "done",
    "completed": "done",
    "complete": "done",
    "finished": "done",
    "implemented": "done",
    # postponed
    "siirretty": "postponed",
    "siirtynyt": "postponed",
    "uppskjutet": "postponed",
    "framflyttad": "postponed",
    "deferred": "postponed",
    "on hold": "postponed",
    # cancelled
    "peruutettu": "cancelled",
    "peruttu": "cancelled",
    "lopetettu": "cancelled",
    "inställt": "cancelled",
    "avbruten": "cancelled",
    "slopad": "cancelled",
    "canceled": "cancelled",
    "dropped": "cancelled",
    "abandoned": "cancelled",
}

YES_WORDS = ("kyllä", "k", "joo", "ja", "j", "yes", "y", "x", "1", "true", "tosi", "sant")
NO_WORDS = ("ei", "e", "nej", "n", "no", "0", "false", "epätosi", "falskt", "-")
# How the exporter writes yes and no, in each language.
YES_NO = {lang: (i18n.t("measures_sheet.yes", lang), i18n.t("measures_sheet.no", lang)) for lang in i18n.LANGUAGES}


def header(key: str, lang: str) -> str:
    return COLUMNS[key][LANGUAGE_INDEX[lang]]


def headers(lang: str) -> list[str]:
    return [header(key, lang) for key in COLUMNS]


def status_label(code: str, lang: str) -> str:
    return i18n.status_label(code, lang)


def allowed_status_words(lang: str) -> str:
    """The labels a user may write, for the error message about an unknown one."""
    return ", ".join(status_label(code, lang) for code in STATUSES)
