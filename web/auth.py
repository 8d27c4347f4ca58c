"""The two routes that set and clear the session cookie (a page run cannot):

- ``GET /auth/session?token=...``: a one-time hand-off token that a page left
  after checking a password (or an OIDC sign-in) becomes a session, for the
  client address that signed in only; the browser gets the cookie and is sent
  on to the page it came from. The token is in the URL only for this one
  redirect: 303, ``no-store``, ``no-referrer``.
- ``GET /auth/signout``: clears the cookie once its session has ended (the
  page ends it first, server-side), then goes on, through Streamlit's own
  ``/auth/logout`` after an OIDC sign-in. A link from another site cannot sign
  anyone out: a session still open keeps its cookie.

Cookies: HttpOnly, SameSite=Lax, Path=/, Secure when the request came over
HTTPS (uvicorn takes the scheme from X-Forwarded-Proto of a trusted proxy,
``FORWARDED_ALLOW_IPS``)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tracker import settings
from tracker.write import sessions
from web.database import connection

BROWSER_MAX_AGE = sessions.BROWSER_DAYS * 24 * 3600


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def _redirect(location: str) -> RedirectResponse:
    response = RedirectResponse(location, status_code=303)
    # The URL may carry a one-time token: keep it out of caches and Referer headers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def open_session(request: Request) -> Response:
    con = connection()
    redeemed = sessions.redeem_handoff(
        con,
        request.query_params.get("token"),
        max_hours=settings.get(con, "session_max_hours"),
        client=sessions.client_of(request.client.host if request.client else None),
        browser_token=request.cookies.get(sessions.BROWSER_COOKIE),
    )
    if redeemed is None:
        # Used, expired or forged: back to the sign-in page, which says so.
        return _redirect("/sign-in?" + urlencode({"signin": "expired"}))
    response = _redirect(sessions.safe_next(redeemed.next_path))
    _cookie(response, request, sessions.SESSION_COOKIE, redeemed.session_token, redeemed.max_age_seconds)
    if redeemed.browser_token:
        _cookie(response, request, sessions.BROWSER_COOKIE, redeemed.browser_token, BROWSER_MAX_AGE)
    return response


def close_session(request: Request) -> Response:
    next_path = sessions.safe_next(request.query_params.get("next"))
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if token and sessions.is_active(connection(), token):
        return _redirect(next_path)
    # Streamlit's own route clears its OIDC identity cookie, then comes back to the app.
    response = _redirect("/auth/logout" if request.query_params.get("provider") == "oidc" else next_path)
    response.delete_cookie(sessions.SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


ROUTES = [
    Route("/auth/session", open_session, methods=["GET"]),
    Route("/auth/signout", close_session, methods=["GET"]),
]
