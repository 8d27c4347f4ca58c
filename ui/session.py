"""Who is using the app: the caller of the session the browser's cookie holds
(tracker.write.sessions), signing in with a password or OpenID Connect,
signing out, and what a page says when a session has ended.

A page run cannot set a cookie: after a sign-in the browser goes through
``/auth/session`` (web/auth.py), which sets it, and comes back to the page it
was on. Streamlit reads the cookies once per connection, so every run asks the
database again whether the session is still open: a sign-out in another tab,
a reset password, a changed role or a disabled account ends it at this tab's
next action.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import streamlit as st

from tracker import db, write
from tracker.auth import ANONYMOUS, Caller
from tracker.write import password_sign_in, sessions
from ui import data
from ui.links import full_load
from ui.text import tr, tr_md

CALLER_KEY = "app_caller"
NOTICE_KEY = "app_notice"
# The cookie value whose end this browser session was already told about.
ENDED_TOKEN_KEY = "app_ended_session"
# The least role the page at the current URL needs, for the sign-in page shown there instead.
NEEDED_ROLE_KEY = "signin_needed_role"
SIGN_IN_PATH = "/sign-in"


def caller() -> Caller:
    """Who is using this session (ANONYMOUS until someone signs in)."""
    return st.session_state.get(CALLER_KEY, ANONYMOUS)


def sees_internal() -> bool:
    """Signed-in users (viewer and up) see unpublished measures and internal notes."""
    return caller().can("viewer")


def sees_money() -> bool:
    """Signed-in users always see the money; an anonymous visitor only when the
    admin shows it publicly (the setting public_show_money governs every page
    an anonymous visitor can open)."""
    return sees_internal() or data.settings()["public_show_money"]


def oidc_configured() -> bool:
    """Sign-in goes through st.login when secrets.toml has an [auth] section."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def client_address() -> str:
    """The address a sign-in's audit row and throttle name. Streamlit gives the
    connection's peer; behind a reverse proxy uvicorn puts the X-Forwarded-For
    client there only for proxies it trusts (FORWARDED_ALLOW_IPS, by default
    the same machine). A local connection has none."""
    address = st.context.ip_address
    return sessions.client_of(address if isinstance(address, str) else None)


def _cookie(name: str) -> str | None:
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value else None  # (AppTest's client has no real cookies)


def session_cookie() -> str | None:
    return _cookie(sessions.SESSION_COOKIE)


def browser_cookie() -> str | None:
    return _cookie(sessions.BROWSER_COOKIE)


def current_location() -> str:
    """Path and query of the page being shown, to come back to after signing in
    (the sign-in page's own URL brings the reader to the start page)."""
    url = st.context.url
    path = urlsplit(url if isinstance(url, str) else "").path or "/"
    query = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    if path.rstrip("/").endswith(SIGN_IN_PATH):
        path, query = "/", [(key, value) for key, value in query if key == "lang"]
    return sessions.safe_next(path + ("?" + urlencode(query) if query else ""))


def refresh_session() -> Caller:
    """Once per run, before navigation: who the caller is now."""
    con = data.connection()
    limits = data.settings()
    token = session_cookie()
    who = ANONYMOUS
    if token and token != st.session_state.get(ENDED_TOKEN_KEY):
        resumed = sessions.resume(con, token, idle_minutes=limits["session_idle_minutes"])
        if resumed.ended is None:
            who = resumed.caller
        else:
            st.session_state[ENDED_TOKEN_KEY] = token
            _leave_notice(resumed.ended, limits)
    elif token is None:
        placed = st.session_state.get(CALLER_KEY)
        # A caller without a user id never comes from a sign-in (those always carry
        # one, and a cookie): it is one a test put in the session state.
        if placed is not None and placed.user_id is None:
            who = placed
    if not who.signed_in and oidc_configured() and st.user.is_logged_in:
        who = _bridge_oidc(con)
    st.session_state[CALLER_KEY] = who
    return who


def _leave_notice(reason: str, limits: dict) -> None:
    if reason == "idle":
        st.session_state[NOTICE_KEY] = ("auth.session_expired", {"minutes": limits["session_idle_minutes"]})
    elif reason == "expired":
        st.session_state[NOTICE_KEY] = ("session.ended_max", {"hours": limits["session_max_hours"]})
    elif reason == "sign_out":
        st.session_state[NOTICE_KEY] = ("session.ended_sign_out", {})
    elif reason in ("password", "role", "disabled"):
        st.session_state[NOTICE_KEY] = ("session.ended_by_admin", {})


def _issued_at() -> datetime | None:
    issued = st.user.get("iat")
    try:
        return datetime.fromtimestamp(int(issued), UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _bridge_oidc(con) -> Caller:
    """The provider has signed someone in (st.user) and this browser has no open
    session: open one, once, while the provider's sign-in is fresh."""
    email = st.user.get("email")
    proof = sessions.oidc_proof(st.user.get("iss"), st.user.get("sub"), st.user.get("iat"))
    handoff = sessions.oidc_handoff(
        con, email, proof, _issued_at(), next_path=current_location(), client=client_address()
    )
    if handoff:
        full_load("/auth/session?" + urlencode({"token": handoff}))
    known = write.accounts.current_caller(con, email)
    if not known.signed_in:
        return known  # an address that is no (active) user: the sign-in page says so
    # A user whose sign-in at the provider is older than its session was: sign in there again.
    return ANONYMOUS


def sign_in(email: str, password: str) -> None:
    """Check a local account's password and go through /auth/session, which sets
    the cookie and comes back to this page; AuthError tells the user why not."""
    signed_in = password_sign_in.sign_in_with_password(
        data.connection(),
        email,
        password,
        client=client_address(),
        browser_token=browser_cookie(),
        next_path=current_location(),
    )
    full_load("/auth/session?" + urlencode({"token": signed_in.handoff}))


def sign_out() -> None:
    """End the session everywhere (server-side, at once), then let /auth/signout
    clear the cookie and, after an OIDC sign-in, Streamlit's identity too."""
    token = session_cookie()
    oidc = oidc_configured() and st.user.is_logged_in
    st.session_state.pop(CALLER_KEY, None)
    if token:
        sessions.sign_out(data.connection(), token, client=client_address())
    if token or oidc:
        query = {"next": current_location()}
        if oidc:
            query["provider"] = "oidc"
        full_load("/auth/signout?" + urlencode(query))


def failure_window_start() -> datetime:
    """Failed sign-ins since this UTC time still count (to the minute, so that
    the pages' cached queries last a minute)."""
    return (db.utcnow() - password_sign_in.FORGET_AFTER).replace(second=0, microsecond=0)


def admin_alert() -> None:
    """For admins, in the sidebar: accounts someone keeps failing to sign in to."""
    alerts = data.run("sign_in_alerts", since=failure_window_start(), least=password_sign_in.ALERT_FAILURES)
    if not alerts.empty:
        st.warning(tr("session.admin_alert", count=len(alerts)))
        st.page_link("app_pages/users.py", label=tr("nav.users"), icon=":material/group:")


def role_label(role: str) -> str:
    return tr(f"role.{role}")


def show_notice() -> None:
    """A message left for the sign-in page (e.g. the session ended)."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(tr_md(notice[0], **notice[1]))
    elif st.query_params.get("signin") == "expired":
        st.warning(tr("session.handoff_expired"))
