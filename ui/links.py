"""Relative links between the app's pages that keep the reader's language and
programme, and the public view's embedding (``?embed=true``)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from ui.text import lang


def page_link(path: str, **params) -> str:
    """A relative URL to a page that keeps the language and programme."""
    query = {"lang": lang(), **{k: v for k, v in params.items() if v is not None}}
    return f"{path}?{urlencode(query)}"


def embedded() -> bool:
    """Whether the page was opened with ``?embed=true`` (links must keep it)."""
    return bool(st.context.is_embedded)


def public_link(path: str, *, language: str | None = None, **params) -> str:
    """A relative URL to a public page in the reader's language (or ``language``),
    keeping embed mode when embedded."""
    query = {"lang": language or lang(), **{k: v for k, v in params.items() if v not in (None, "")}}
    if embedded():
        query["embed"] = "true"
    return f"{path}?{urlencode(query)}"
