"""The words synthetic municipalities are made of (tracker/demo/synth.py):
Finnish-looking place names, themes, measure titles, units, people, cost
centres, deciding bodies, event notes and emissions sectors. They are data,
kept in synth_words.toml; this module reads them once, on import."""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import SimpleNamespace

WORDS_FILE = Path(__file__).with_suffix(".toml")


def load(path: Path = WORDS_FILE) -> SimpleNamespace:
    """Each list of the file as a tuple named in capitals (``themes`` is
    ``THEMES``), each [fi, sv, en] entry as a tuple of three: the builder
    indexes and samples them, and a tuple cannot be changed by accident."""
    with path.open("rb") as handle:
        lists = tomllib.load(handle)
    return SimpleNamespace(
        **{
            name.upper(): tuple(tuple(entry) if isinstance(entry, list) else entry for entry in entries)
            for name, entries in lists.items()
        }
    )


WORDS = load()
