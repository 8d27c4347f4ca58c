"""Every INSERT, UPDATE and DELETE of the app's tables, one module per group of
tables (tests/test_write_ownership.py keeps it so):

- ``measures``: measures and their status events
- ``budget``: budget lines and cost centres
- ``decisions``: decisions and their links to measures
- ``programmes``: organisations, programmes and themes
- ``accounts``: users
- ``sessions``: signed-in sessions, sign-in hand-offs, known browsers
- ``password_sign_in``: the password sign-in and its throttle
- ``settings``: settings
- ``indicators``: indicators (``indicator_values``: their values and goals;
  ``indicator_links``: their links to measures)
- ``emissions``: an organisation's SYKE emission rows and the imports that brought them
- ``periods``: reporting periods, their ready marks, closings and snapshots
- ``reminders``: reminder contacts and sends
- ``feedback``: residents' feedback and the per-address counter that limits it
- ``search``: the search index of measures (written with the measures)
- ``audit``: the audit log (the vocabulary of actions, the one JSON encoder)
- ``ids``: the id allocator (``id_counters``)

``base`` holds what they share: the service transaction (DuckDB's write
conflict -> ConflictError), problems, the versioned update; ``fields`` the
form fields' cleaners. The spreadsheet import and a decision's proposal
coordinate these modules' inner functions in one transaction of their own.
"""

from tracker.write import (
    accounts,
    audit,
    base,
    budget,
    decisions,
    emissions,
    feedback,
    fields,
    ids,
    indicators,
    measures,
    password_sign_in,
    periods,
    programmes,
    reminders,
    search,
    sessions,
    settings,
)

__all__ = [
    "accounts",
    "audit",
    "base",
    "budget",
    "decisions",
    "emissions",
    "feedback",
    "fields",
    "ids",
    "indicators",
    "measures",
    "password_sign_in",
    "periods",
    "programmes",
    "reminders",
    "search",
    "sessions",
    "settings",
]
