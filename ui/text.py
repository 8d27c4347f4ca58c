"""The reader's language and the one fi/sv/en catalogue."""

from __future__ import annotations

import streamlit as st

from tracker import i18n
from ui import per_run

LANG_KEY = "app_lang"
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def settle_language() -> str:
    """The language of this run: the URL's, else the session's, else Finnish; kept in the session."""
    wanted = i18n.normalise_language(st.query_params.get("lang") or st.session_state.get(LANG_KEY))
    if st.session_state.get(LANG_KEY) != wanted:
        st.session_state[LANG_KEY] = wanted
    return wanted


def language_chosen() -> None:
    """The sidebar's language was changed: the URL follows, so the next run keeps it."""
    st.query_params["lang"] = st.session_state[LANG_KEY]


def lang() -> str:
    return per_run.value("lang") or st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)


def tr(key: str, **params) -> str:
    """The catalogue's message ``key`` in the reader's language; a missing parameter raises."""
    return i18n.t(key, lang(), **params)
