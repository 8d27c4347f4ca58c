"""The measures spreadsheet format shared by the importer and the exporter
(docs/import-format.md): its columns with their fi/sv/en headers, and the
words it uses for statuses and yes/no. A status is written with its label
from the catalogue (``status.*``), the one the whole app shows."""

from __future__ import annotations

from tracker import i18n
from tracker.status import STATUSES

# key -> (fi, sv, en) header, in the order the exporter writes them.
COLUMNS: dict[str, tuple[str, str, str]] = {
    "code": ("Tunnus", "Nummer", "Code"),
    "theme": ("Teema", "Tema", "Theme"),
    "title": ("Toimenpide", "Åtgärd", "Measure"),
    "description": ("Kuvaus", "Beskrivning", "Description"),
    "responsible": ("Vastuutaho", "Ansvarig", "Responsible"),
    "status": ("Tila", "Status", "Status"),
    "progress": ("Edistyminen %", "Framsteg %", "Progress %"),
    "start": ("Alkaa", "Börjar", "Start"),
    "end": ("Päättyy", "Slutar", "End"),
    "continuous": ("Jatkuva", "Fortlöpande", "Continuous"),
    "public": ("Julkinen", "Offentlig", "Public"),
    "cost_centre": ("Kustannuspaikka", "Kostnadsställe", "Cost centre"),
    "year": ("Vuosi", "År", "Year"),
    "planned": ("Budjetoitu €", "Budgeterat €", "Planned €"),
    "actual": ("Toteutunut €", "Utfall €", "Actual €"),
}
LANGUAGE_INDEX = {"fi": 0, "sv": 1, "en": 2}
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
)
BUDGET_KEYS = ("cost_centre", "year", "planned", "actual")

# The sheet the importer prefers when a workbook has several.
SHEET_NAMES = {"fi": "Toimenpiteet", "sv": "Åtgärder", "en": "Measures"}

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
YES_NO = {"fi": ("kyllä", "ei"), "sv": ("ja", "nej"), "en": ("yes", "no")}


def header(key: str, lang: str) -> str:
    return COLUMNS[key][LANGUAGE_INDEX[lang]]


def headers(lang: str) -> list[str]:
    return [header(key, lang) for key in COLUMNS]


def status_label(code: str, lang: str) -> str:
    return i18n.status_label(code, lang)


def allowed_status_words(lang: str) -> str:
    """The labels a user may write, for the error message about an unknown one."""
    return ", ".join(status_label(code, lang) for code in STATUSES)
