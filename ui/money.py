"""A page's money section, shown only to those who may see money."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ui.text import Markdown


def money_section(
    shown: bool,
    heading: Markdown,
    load: Callable[[], pd.DataFrame],
    *,
    none: Markdown,
    say_none: Callable[[Markdown], object] = st.info,
) -> pd.DataFrame | None:
    """The section's heading and its money, loaded, when there is money to draw. None when
    money is hidden from the public (public_show_money off): then not even the heading is
    drawn; None too when there is no money: then ``say_none`` (st.info, st.caption) says
    ``none`` under the heading."""
    if not shown:
        return None
    st.subheader(heading)
    money = load()
    if money.empty:
        say_none(none)
        return None
    return money
