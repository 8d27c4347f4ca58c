"""What an HTTP route answers when it fails: a short message in the reader's
language with an incident id, never Starlette's bare English "Internal Server
Error". The id goes to the server log with the exception and its traceback,
so an administrator told the id finds the details.

A database that cannot be opened or read (another process holds the embedded
file, the database is behind this code's migrations or an applied migration
was edited, a lake's catalog is unreachable) is a passing state an operator
fixes: 503 with Retry-After. Anything else is a bug: 500, the same message,
logged just as loudly.

The answer takes the shape of the route: the light pages' frame for /view
(with ``<html lang>``), JSON ``{"error", "incident"}`` for /api/, plain text
for the feed and every other path. web/headers.SecurityHeaders calls
``answer`` for every request that raised before its response started.
"""

from __future__ import annotations

import logging
import uuid
from urllib.parse import parse_qs

import duckdb
from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from tracker import i18n
from tracker.errors import SchemaError
from tracker.present import public_html
from web import public_html as light_pages
from web.api import CORS

log = logging.getLogger("tracker.http")

# Long enough for a command-line import to let go of the file, short enough that
# a reader (or a feed reader) comes back soon once the operator has migrated.
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be opened or read right now (503),
    rather than that the code is wrong (500). DuckDB raises IOException for a file
    another process holds ("Could not set lock", "Conflicting lock") and for one it
    cannot read; tracker.db raises a SchemaError for a database behind its
    migrations or with an edited one, and for a lake it cannot reach."""
    return isinstance(error, (SchemaError, duckdb.IOException))


def _accepted_language(header: str) -> str | None:
    """The first language of an Accept-Language header (by its q weights) that the app speaks."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        code = tag.strip().lower()[:2]
        if code in i18n.LANGUAGES and weight > 0:
            ranked.append((-weight, position, code))
    return min(ranked)[2] if ranked else None


def request_language(scope) -> str:
    """The reader's language: ``?lang=`` when it names one the app speaks, else
    the browser's Accept-Language, else Finnish (the app's default)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    wanted = (query.get("lang") or [""])[0].strip().lower()
    if wanted in i18n.LANGUAGES:
        return wanted
    return _accepted_language(Headers(scope=scope).get("accept-language", "")) or i18n.DEFAULT_LANGUAGE


def _page(scope, lang: str, message: str) -> str:
    """The message in the light pages' frame (language links, skip link, footer;
    the height script when embedded), built without the database."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    reader = light_pages.Reader(lang=lang, embed=(query.get("embed") or [""])[0] == "true")
    title = reader.t("app.title")
    main = f'<h1>{public_html.esc(title)}</h1><p role="alert">{public_html.esc(message)}</p>'
    # the language links ask for the same page again, in another language
    url_for = lambda code: reader.url(scope["path"], lang=code)  # noqa: E731
    return light_pages.document(reader, title, main, url_for=url_for, footer=light_pages.footer(reader, None))


def answer(scope, error: BaseException) -> Response:
    """Log ``error`` under a new incident id and build the reader's answer."""
    incident = uuid.uuid4().hex[:8]
    path = scope.get("path", "")
    if database_unavailable(error):
        status = 503
        log.error("database unavailable on %s, incident %s: %s", path, incident, error, exc_info=error)
    else:
        status = 500
        log.error("unhandled error on %s, incident %s", path, incident, exc_info=error)
    lang = request_language(scope)
    message = i18n.t("error.page_failed", lang, incident=incident)
    headers = {"Cache-Control": "no-store", "Content-Language": lang}
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if path == "/api" or path.startswith("/api/"):
        # CORS: an API client on another origin may read why
        return JSONResponse({"error": message, "incident": incident}, status_code=status, headers={**CORS, **headers})
    if path == "/view" or path.startswith("/view/"):
        try:
            return HTMLResponse(_page(scope, lang, message), status_code=status, headers=headers)
        except Exception:  # the frame itself failed: the message alone still tells the reader
            log.exception("the error page of incident %s could not be built", incident)
    return PlainTextResponse(message, status_code=status, headers=headers)
