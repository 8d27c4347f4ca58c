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
# The description of a measure: the form and the import differ today (issue 17 settles it).
FORM_DESCRIPTION_MAX = 10000
IMPORT_TEXT_MAX = 4000
IMPORT_RESPONSIBLE_MAX = 300


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR
