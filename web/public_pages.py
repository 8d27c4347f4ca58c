"""The light public pages: the residents' view as plain HTML served by routes,
no websocket and no script run per visitor, built once per data version and
language (web/cache.py). The embed snippet points here; the Streamlit page
/public stays for interactive use. Same rules as every public page: only
published measures and public fields (the same named queries), money only
when the public setting allows, fi/sv/en, usable at 320 px and by keyboard,
axe-clean.

    /view                       the programme: headline, status, search and filters, measures, status by theme
    /view/measure?code=6.1      one measure: facts, description, what was done, decisions, money
    /view/feedback              the feedback form (GET) and its submission (POST)
    /view/accessibility         the accessibility statement
    /view/open-data.csv|.json   the published measures as open data

Every page takes ``lang``, ``programme`` and ``embed=true`` (inside the city's
page: links keep it, the page posts its height to embed.js and may be framed
by the origins the admin listed; see web/headers.py).

The pages are built in web/public_programme_page.py, web/public_measure_pages.py
and web/feedback_pages.py around what web/public_html.py shares; here they are
cached per data version and routed.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.cache import VersionedCache
from web.feedback_pages import feedback_page, feedback_post
from web.public_html import FEEDBACK, MEASURE, OPEN_DATA, STATEMENT, VIEW, Reader, reader_of
from web.public_measure_pages import measure_page, open_data_file, statement_page
from web.public_programme_page import programme_page

_pages = VersionedCache()


# -- the routes --


@dataclass(frozen=True)
class Built:
    """A page as it is served: its status, its bytes, and the same gzipped (most browsers take it)."""

    status: int
    body: bytes
    gzipped: bytes


def _built(build, reader: Reader) -> Built:
    status, html = build(reader)
    body = html.encode("utf-8")
    return Built(status, body, gzip.compress(body, compresslevel=6))


async def _cached_html(request: Request, build) -> Response:
    """A light page from the cache of this data version: a visitor's request is a lookup on
    the event loop (no thread, no query); building, once per version, runs in the thread pool."""
    reader = reader_of(request)
    key = (request.url.path, reader)
    hit = _pages.peek(key)
    if hit is None:
        hit = await run_in_threadpool(_pages.get, key, lambda: _built(build, reader))
    version, built = hit
    etag = f'"v{version}-{abs(hash(key)) % 10**12}"'
    headers = {"Cache-Control": "no-cache", "ETag": etag, "Vary": "Accept-Encoding"}
    if built.status == 200 and request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body = built.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = built.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, status_code=built.status, headers=headers, media_type="text/html; charset=utf-8")


async def view(request: Request) -> Response:
    return await _cached_html(request, programme_page)


async def view_measure(request: Request) -> Response:
    return await _cached_html(request, measure_page)


async def view_feedback(request: Request) -> Response:
    return await _cached_html(request, feedback_page)


async def view_statement(request: Request) -> Response:
    return await _cached_html(request, statement_page)


def _open_data(request: Request, kind: str) -> Response:
    reader = reader_of(request)
    _version, (status, body) = _pages.get((kind, reader), lambda: open_data_file(reader, kind))
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/json"
    name = f"climate-programme-{reader.programme_id or 'default'}-{reader.lang}.{kind}"
    return Response(
        body, status_code=status, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def open_data_csv(request: Request) -> Response:
    return _open_data(request, "csv")


def open_data_json(request: Request) -> Response:
    return _open_data(request, "json")


def routes() -> list[Route]:
    return [
        Route(VIEW, view, methods=["GET"]),
        Route(MEASURE, view_measure, methods=["GET"]),
        Route(FEEDBACK, view_feedback, methods=["GET"]),
        Route(FEEDBACK, feedback_post, methods=["POST"]),
        Route(STATEMENT, view_statement, methods=["GET"]),
        Route(OPEN_DATA + ".csv", open_data_csv, methods=["GET"]),
        Route(OPEN_DATA + ".json", open_data_json, methods=["GET"]),
    ]
