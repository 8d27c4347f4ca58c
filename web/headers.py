"""Headers every HTTP response carries, the page HTML and Streamlit's own
files included: no content sniffing, a strict referrer policy, and framing
only by the app itself, except the public view when embedded, which the
origins an admin lists on the embed page may frame too. And the reader's
language in Streamlit's page from the first byte (``<html lang>``).

Pure ASGI middleware (not Starlette's BaseHTTPMiddleware) so that they see
every response, streamed and static ones too; websocket traffic passes by.
Starlette writes the 500 of a failing route outside user middleware, so a
failure is answered here, with the headers: web/errors.py logs it under an
incident id and answers in the reader's language (503 while the database
cannot be read).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs

from tracker import i18n, settings
from web import cache, errors
from web.database import connection

log = logging.getLogger("tracker.http")

ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
NOT_FRAMED = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
)
# Documents the embed needs, framed only with ?embed=true: the Streamlit public view and
# the statement it links to, and the light pages (web/public_pages.py).
EMBEDDABLE_PATHS = ("/public", "/accessibility")
EMBEDDABLE_PREFIX = "/view"

_origins = cache.VersionedCache(size=1)


def allowed_origins() -> tuple[str, ...]:
    """The origins the admin listed (setting ``embed_allowed_origins``), read once per data version."""
    return _origins.get("origins", lambda: settings.get(connection(), "embed_allowed_origins"))[1]


def embeddable(path: str, query: str) -> bool:
    if not (path in EMBEDDABLE_PATHS or path == EMBEDDABLE_PREFIX or path.startswith(EMBEDDABLE_PREFIX + "/")):
        return False
    return parse_qs(query).get("embed", [""])[0] == "true"


def framing_headers(path: str, query: str) -> tuple[tuple[bytes, bytes], ...]:
    """The framing rule of one document request: the app itself may frame every page;
    the listed origins only the public view with ``embed=true``."""
    if not embeddable(path, query):
        return NOT_FRAMED
    try:
        origins = allowed_origins()
    except Exception:  # the database is not there yet (not set up): nobody else frames it
        log.exception("cannot read the embed origins")
        origins = ()
    # No X-Frame-Options here: SAMEORIGIN would override the list in older browsers.
    ancestors = " ".join(("'self'", *origins))
    return ((b"content-security-policy", f"frame-ancestors {ancestors}".encode()),)


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
        except Exception as error:
            if started:
                log.exception("unhandled error on %s after its answer started", path)
                raise
            await errors.answer(scope, error)(scope, receive, send_with_headers)


# -- <html lang> --

_HTML_LANG = re.compile(rb'<html lang="[^"]*"')
# Paths that never answer Streamlit's index.html (files, routes with their own language).
_NOT_THE_APP_PAGE = ("/_stcore/", "/static/", "/media/", "/component/", "/api/", "/view", "/feed", "/embed.js")


def request_language(scope) -> str:
    """The language a page request asks for: ``?lang=``, else Finnish (the app's default)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return i18n.normalise_language((query.get("lang") or [""])[0])


class HtmlLang:
    """Streamlit's index.html (the answer to every page path) hard-codes
    ``<html lang="en">``; this sets the reader's language there, so a screen
    reader and the browser's hyphenation have it before any script runs
    (dashboard.py keeps it right when the language changes in the session).

    It runs outside Streamlit's gzip, so it asks for the page uncompressed
    (about 8 KB; a proxy in front may compress it again)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(_NOT_THE_APP_PAGE):
            await self.app(scope, receive, send)
            return
        lang = request_language(scope).encode()
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        start = None
        chunks: list[bytes] = []

        async def rewrite(message):
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if not content_type.startswith(b"text/html"):
                    start = False
                    await send(message)
                else:
                    start = message
                return
            if start is False or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = _HTML_LANG.sub(b'<html lang="' + lang + b'"', b"".join(chunks), count=1)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)
