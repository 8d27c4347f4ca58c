"""The process entry: ``streamlit run server.py`` serves the pages of
dashboard.py together with the HTTP routes and middleware of web/.

Streamlit finds the ``app`` assignment by reading this file, so it stays a
plain module-level ``st.App(...)``.
"""

import asyncio.base_events
import socket

import streamlit as st
from starlette.middleware import Middleware

from ui.errors import show_script_error
from web.headers import HtmlLang, SecurityHeaders
from web.media import ExpiringDownloads
from web.routes import routes


# Streamlit 1.67 binds its socket with protocol 0, so asyncio never sets
# TCP_NODELAY and every keep-alive response waits ~44 ms for Nagle and the
# peer's delayed ACK (measured on plain `streamlit run` too).
def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


asyncio.base_events._set_nodelay = _set_nodelay

# A failing page shows a short message in the reader's language; the details go to the log (ui/errors.py).
app = st.App(
    "dashboard.py",
    routes=routes(),
    middleware=[Middleware(SecurityHeaders), Middleware(HtmlLang), Middleware(ExpiringDownloads)],
    on_script_error=show_script_error,
)
