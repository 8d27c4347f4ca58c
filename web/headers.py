"""Headers every HTTP response carries, the page HTML and Streamlit's own
files included: no content sniffing, a strict referrer policy, and framing
only by the app itself.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware) so that it sees
every response, streamed and static ones too; websocket traffic passes by.
Starlette writes the 500 of a failing route outside user middleware, so a
failure is answered here, with the headers, and logged.
"""

from __future__ import annotations

import logging

from starlette.responses import PlainTextResponse

log = logging.getLogger("tracker.http")

ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
NOT_FRAMED = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
)


def framing_headers(path: str, query: str) -> tuple[tuple[bytes, bytes], ...]:
    """The framing rule of one document request; only the app itself may frame it."""
    return NOT_FRAMED


class SecurityHeaders:
    def __init__(self, app, framing=framing_headers):
        self.app = app
        self.framing = framing

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        extra = ALWAYS + self.framing(path, scope.get("query_string", b"").decode("latin-1"))
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _value in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s", path)
            if started:
                raise
            await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send_with_headers)
