"""A page's money section, shown only to those who may see money."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ui.text import Markdown


def money_section(shown: bool, heading: Markdown, load: Callable[[], pd.DataFrame]) -> pd.DataFrame | None:
    """The section's heading and its money, loaded; None when money is hidden from
    the public (public_show_money off): then not even the heading is drawn."""
    if not shown:
        return None
    st.subheader(heading)
    return load()
