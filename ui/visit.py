"""A visit to a page: from arriving at it until leaving for another page (or
reloading). Reruns of the same page within a visit keep what the page chose to
keep (the weekly update keeps its cards in the order first shown); a new
visit starts afresh."""

from __future__ import annotations

import streamlit as st

PAGE_KEY = "app_visit_page"
NEW_KEY = "app_visit_new"


def arrive(url_path: str) -> None:
    """dashboard.py, on every run before the page runs: note which page this run shows."""
    st.session_state[NEW_KEY] = st.session_state.get(PAGE_KEY) != url_path
    st.session_state[PAGE_KEY] = url_path


def is_new() -> bool:
    """This run is the first of a visit to the current page."""
    return st.session_state.get(NEW_KEY, True)
