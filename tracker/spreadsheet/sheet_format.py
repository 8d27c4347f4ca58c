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
# -- the optional framework fields of a measure (issue 14; docs/frameworks.md) --
# key -> (fi, sv, en) header; FRAMEWORK_FIELD_COLUMNS: key -> the measures column it fills.
FRAMEWORK_COLUMNS: dict[str, tuple[str, str, str]] = {
    "sector": ("Sektori", "Sektor", "Sector"),
    "financing": ("Rahoituslähde", "Finansieringskälla", "Funding source"),
    "finance_status": ("Rahoituksen tila", "Finansieringsstatus", "Finance status"),
    "total_cost": ("Kokonaiskustannus €", "Total kostnad €", "Total cost €"),
    "municipal_share": ("Kunnan osuus %", "Kommunens andel %", "Municipal share %"),
    "co_benefits": ("Muut hyödyt", "Övriga nyttor", "Co-benefits"),
    "emission_reduction": ("Päästövähennys t CO2e/v", "Utsläppsminskning t CO2e/år", "Emission reduction t CO2e/yr"),
    "energy_saved": ("Säästetty energia MWh/v", "Sparad energi MWh/år", "Energy saved MWh/yr"),
    "renewable_energy": ("Uusiutuva energia MWh/v", "Förnybar energi MWh/år", "Renewable energy MWh/yr"),
    "com_area": ("Toimenpidealue (CoM)", "Åtgärdsområde (CoM)", "Area of intervention (CoM)"),
    "com_instrument": ("Ohjauskeino (CoM)", "Styrmedel (CoM)", "Policy instrument (CoM)"),
}
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
    *FRAMEWORK_COLUMNS,  # issue 14
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
