"""The app's own stylesheet (assets/app.css) on every page: headings that wrap
between words on a phone, placeholders that read as examples, and the tables of
ui/tables.py."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

STYLESHEET = Path(__file__).resolve().parent.parent / "assets" / "app.css"


@cache
def _css() -> str:
    css = STYLESHEET.read_text(encoding="utf-8")
    # The browser-side sanitiser drops a style element whose text holds "<" (even in a comment).
    if "<" in css:
        raise ValueError(f"{STYLESHEET.name} must not contain '<'")
    return css


def app_style() -> None:
    """Called by dashboard.py once a run; a style-only st.html takes no room on the page."""
    st.html(f"<style>{_css()}</style>")
