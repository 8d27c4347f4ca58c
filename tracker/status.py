"""Status codes of PRODUCT.md with the one colour palette and icon used everywhere.

Colours are Okabe-Ito (safe for colour-blind readers); a status is never
shown by colour alone: its word and icon always go with it.
"""

from __future__ import annotations

STATUSES = ("not_started", "in_progress", "late", "done", "postponed", "cancelled")

# The order every chart, bar, legend and report table shows statuses in: the SQL macro
# status_order() (migration 0002) in Python, for what is drawn without a query.
SHOWN_ORDER = ("done", "in_progress", "late", "not_started", "postponed", "cancelled")

COLOURS = {
    "done": "#009E73",  # bluish green
    "in_progress": "#0072B2",  # blue
    "late": "#D55E00",  # vermillion
    "not_started": "#999999",  # grey
    "postponed": "#E69F00",  # orange
    "cancelled": "#000000",  # black
}

ICONS = {
    "done": "✔",
    "in_progress": "▶",
    "late": "⚠",
    "not_started": "○",
    "postponed": "»",
    "cancelled": "✖",
}

# Text colour that meets WCAG AA contrast on each badge background.
TEXT_ON = {
    "done": "#000000",
    "in_progress": "#FFFFFF",
    "late": "#000000",
    "not_started": "#000000",
    "postponed": "#000000",
    "cancelled": "#FFFFFF",
}

OPEN_STATUSES = ("not_started", "in_progress", "late", "postponed")

# Implementation phases (kept apart from the status, as Kausal Watch keeps them): the
# codes stored in measures.phase, said in words by the catalogue's phase.<code>.
PHASES = ("planning", "implementation", "monitoring", "completed")


def is_known(code: str) -> bool:
    return code in STATUSES
