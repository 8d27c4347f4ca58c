"""Every HTTP route the app serves beside its pages, in the order Starlette
tries them (before Streamlit's own). An unknown /api/ path answers 404 in
JSON: without the last route Streamlit would answer it with the app's HTML."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from web import api, auth, embed, feed, public_pages, reminders

ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def api_not_found(request: Request) -> JSONResponse:
    return JSONResponse({"error": "not found"}, status_code=404)


def routes() -> list[Route]:
    return [
        *reminders.ROUTES,  # the reminders' opt-out link
        *auth.ROUTES,
        *public_pages.routes(),
        *embed.routes(),
        *feed.routes(),
        *api.routes(),
        Route("/api/{rest:path}", api_not_found, methods=ANY_METHOD),
    ]
