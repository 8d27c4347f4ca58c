"""The rules every writer checks, in one copy: the form services, the
spreadsheet importer, the decision proposal and the pages' widgets read them
from here (the schema's CHECKs in migrations/ say the same where DuckDB can).

Status codes and their colours are in ``tracker.status``; their words in every
language are the catalogue's ``status.*`` keys.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Years a budget line, a date or a decision may fall in.
MIN_YEAR, MAX_YEAR = 1990, 2100

# The largest amount a DECIMAL(14, 2) money column holds.
MAX_EUROS = Decimal("999999999999.99")

# What a decision can come to (reader.py finds one in the minutes' wording).
OUTCOMES = ("approved", "approved_amended", "rejected", "tabled", "returned", "withdrawn")

EMAIL_PATTERN = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
EMAIL_MAX_LENGTH = 254
# Only http(s) links: a ``javascript:`` or ``data:`` URL never reaches a page.
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
URL_MAX = 500

# -- text lengths shared by more than one writer --
MEASURE_CODE_MAX = 20
MEASURE_TITLE_MAX = 300
COST_CENTRE_CODE_MAX = 40
# a name or a short label: cost centre and theme names, a deciding body, a person, a unit
NAME_MAX = 200
# a status note, a measure's internal note
NOTE_MAX = 4000
BUDGET_NOTE_MAX = 2000
# a decision's section (§) number
SECTION_MAX = 99999
# A measure's description (each language) and the unit responsible for it: one limit
# for the form, the spreadsheet import and the export, so whatever the app
# exports, it imports again.
DESCRIPTION_MAX = 10000
RESPONSIBLE_MAX = 300


# Control characters no stored text may hold (tab, line feed and carriage return
# aside): an Excel file cannot carry them, so a measure holding one could not be
# exported, and whatever the app exports it must import again.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cost-centre code is one word: the spreadsheet writes "code name" in one cell.
COST_CENTRE_CODE_PATTERN = re.compile(r"^\S+$")


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


# -- indicators and emissions (issue 16) --
INDICATOR_UNIT_MAX = 40
INDICATOR_DESCRIPTION_MAX = 4000
# what an indicator value or goal holds: DECIMAL(24, 6)
INDICATOR_DECIMALS = 6
MAX_INDICATOR_VALUE = Decimal("999999999999999999")
# a measure's expected effect, said in words
EFFECT_NOTE_MAX = 1000
# Finnish municipality numbers (kuntanumero) are three digits, 005-992
MIN_MUNICIPALITY_NUMBER, MAX_MUNICIPALITY_NUMBER = 1, 999
