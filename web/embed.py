"""/embed.js: the small script the embed snippet loads from the app itself (no
third party) to size the iframe to its content (web/embed.js says how)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SCRIPT = Path(__file__).with_name("embed.js")


@cache
def _script() -> bytes:
    return SCRIPT.read_bytes()


def embed_js(request: Request) -> Response:
    # Cross-origin by design: the city's page loads it. An hour's cache; the file changes only with a release.
    return Response(
        _script(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
    )


def routes() -> list[Route]:
    return [Route("/embed.js", embed_js, methods=["GET"])]
