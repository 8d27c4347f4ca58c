"""The routes that set and clear the session cookie (web/auth.py), through
Starlette's test client with the app's own middleware."""

from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from tracker import write
from tracker.auth import SYSTEM
from tracker.write import password_sign_in, sessions
from web import database
from web.headers import SecurityHeaders
from web.routes import routes


@pytest.fixture
def client(con):
    app = Starlette(routes=routes(), middleware=[Middleware(SecurityHeaders)])
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
    database._connection.cache_clear()


@pytest.fixture
def password(con):
    return write.accounts.add_user(con, SYSTEM, "ed@x.example", "editor")


def handoff(con, password, next_path="/weekly?lang=sv", client="testclient"):
    """A sign-in's hand-off, made from the test client's address (as the page would)."""
    return password_sign_in.sign_in_with_password(
        con, "ed@x.example", password, client=client, next_path=next_path
    ).handoff


def cookie_header(response, name):
    return next(value for value in response.headers.get_list("set-cookie") if value.startswith(name + "="))


def test_the_hand_off_becomes_an_httponly_cookie_and_leads_back(con, client, password):
    answer = client.get("/auth/session", params={"token": handoff(con, password)})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/weekly?lang=sv"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["referrer-policy"] == "no-referrer"
    session_cookie = cookie_header(answer, sessions.SESSION_COOKIE)
    attributes = {part.strip().split("=")[0].lower() for part in session_cookie.split(";")[1:]}
    assert {"httponly", "path", "samesite", "max-age"} <= attributes and "secure" not in attributes
    assert "SameSite=lax" in session_cookie and "Max-Age=43200" in session_cookie
    token = session_cookie.split(";")[0].split("=", 1)[1]
    assert sessions.resume(con, token, idle_minutes=30).caller.email == "ed@x.example"
    assert "Max-Age=15552000" in cookie_header(answer, sessions.BROWSER_COOKIE)
    # the same browser signing in again keeps its known-browser cookie
    again = client.get("/auth/session", params={"token": handoff(con, password)})
    assert all(not c.startswith(sessions.BROWSER_COOKIE) for c in again.headers.get_list("set-cookie"))


def test_the_session_lasts_as_long_as_the_setting_says(con, client, password):
    write.settings.set_setting(con, SYSTEM, "session_max_hours", "2")
    answer = client.get("/auth/session", params={"token": handoff(con, password)})
    assert "Max-Age=7200" in cookie_header(answer, sessions.SESSION_COOKIE)
    expires, created = con.execute("SELECT expires_at, created_at FROM sessions").fetchone()
    assert expires - created == timedelta(hours=2)


def test_over_https_the_cookies_are_secure(con, password):
    app = Starlette(routes=routes())
    with TestClient(app, base_url="https://tracker.example", follow_redirects=False) as https:
        answer = https.get("/auth/session", params={"token": handoff(con, password)})
    database._connection.cache_clear()
    assert "; secure" in cookie_header(answer, sessions.SESSION_COOKIE).lower()
    assert "; secure" in cookie_header(answer, sessions.BROWSER_COOKIE).lower()


def test_a_used_or_forged_hand_off_sets_no_cookie(con, client, password):
    token = handoff(con, password)
    assert client.get("/auth/session", params={"token": token}).status_code == 303
    for params in ({"token": token}, {"token": "forged"}, {}):
        answer = client.get("/auth/session", params=params)
        assert answer.headers["location"] == "/sign-in?signin=expired"
        assert "set-cookie" not in answer.headers


def test_a_hand_off_opens_no_session_for_another_address(con, client, password):
    answer = client.get("/auth/session", params={"token": handoff(con, password, client="203.0.113.5")})
    assert answer.headers["location"] == "/sign-in?signin=expired"
    assert "set-cookie" not in answer.headers


def test_a_hand_off_never_leads_to_another_site(con, client, password):
    answer = client.get("/auth/session", params={"token": handoff(con, password, "//evil.example/x")})
    assert answer.headers["location"] == "/"


def test_sign_out_clears_the_cookie_of_an_ended_session_only(con, client, password):
    client.get("/auth/session", params={"token": handoff(con, password)})
    token = client.cookies[sessions.SESSION_COOKIE]
    # a link from another site (the session is still open): nothing is cleared
    answer = client.get("/auth/signout", params={"next": "https://evil.example/"})
    assert answer.headers["location"] == "/"
    assert "set-cookie" not in answer.headers
    assert sessions.is_active(con, token)
    # the page ends the session first, then the route clears the cookie
    sessions.sign_out(con, token)
    answer = client.get("/auth/signout", params={"next": "/?lang=sv"})
    assert answer.headers["location"] == "/?lang=sv"
    assert 'tracker_session=""' in cookie_header(answer, sessions.SESSION_COOKIE)
    assert "Max-Age=0" in cookie_header(answer, sessions.SESSION_COOKIE)


def test_after_an_oidc_sign_in_sign_out_goes_through_streamlits_logout(con, client):
    answer = client.get("/auth/signout", params={"provider": "oidc", "next": "/"})
    assert answer.headers["location"] == "/auth/logout"


def test_every_auth_answer_carries_the_security_headers(con, client):
    answer = client.get("/auth/session")
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert answer.headers["x-content-type-options"] == "nosniff"
