"""The app's error boundary: a page (or a widget's callback) that fails shows the
reader a short message in their language with an incident id; the details (the
traceback, file paths, the database's) go to the server log under that id,
never to the browser. server.py hands ``show_script_error`` to
``st.App(on_script_error=...)``; ``client.showErrorDetails = "none"`` in
.streamlit/config.toml is the backstop should this handler itself fail."""

from __future__ import annotations

import logging
import uuid

import streamlit as st

from tracker import i18n
from ui.text import lang, md

log = logging.getLogger("tracker.app")

# Developers who asked for Streamlit's own details (`--client.showErrorDetails full`) still get them.
DETAILS_SHOWN = {"full", "stacktrace", "type", True, "true", "True"}


def show_script_error(error: Exception) -> bool:
    """Log ``error`` with a new incident id and tell the reader, in their language,
    that the page failed; True: Streamlit shows nothing of its own."""
    incident = uuid.uuid4().hex[:8]
    log.error("page failed, incident %s", incident, exc_info=error)
    try:
        language = lang()
    except Exception:  # the failure may have come before the language was settled
        language = i18n.DEFAULT_LANGUAGE
    st.error(md(i18n.t("error.page_failed", language, incident=incident)), icon=":material/error:")
    return st.get_option("client.showErrorDetails") not in DETAILS_SHOWN
