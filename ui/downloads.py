"""Downloads only a signed-in person may have (the audit log, the measures
spreadsheet and its templates): the file is built when the button is clicked,
not on every run of the page, only for a caller who still holds the role, and
its /media address answers for a short while only (tracker.short_lived,
web/media.py). Streamlit itself keeps such a file until two later clean-ups
after the session ended, minutes or more on a quiet server."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.memory_media_file_storage import _calculate_file_id

from tracker import short_lived, write
from tracker.errors import PermissionDenied
from ui import data, session
from ui.text import Markdown


def internal_download(
    label: Markdown, build: Callable[[], bytes], *, file_name: str, mime: str, key: str, least_role: str, **options
) -> None:
    """A download button whose file ``build()`` makes on click, for ``least_role`` and up."""
    who = session.caller()
    con = data.connection()

    def on_click() -> bytes:
        # Runs outside the page's run, when clicked: the account must still hold the role.
        now = write.accounts.current_caller(con, who.email) if who.user_id is not None else who
        if not now.can(least_role):
            raise PermissionDenied(file_name)
        content = build()
        short_lived.register(_calculate_file_id(content, mime, file_name))
        return content

    st.download_button(label, data=on_click, file_name=file_name, mime=mime, key=key, **options)
