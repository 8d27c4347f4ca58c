"""Who is using this session: the caller and their role, sign-in (local
accounts or OpenID Connect), sign-out and the idle timeout."""

from __future__ import annotations

import streamlit as st

from tracker import db, write
from tracker.auth import ANONYMOUS, Caller
from ui import data
from ui.text import tr, tr_md

CALLER_KEY = "app_caller"
LAST_SEEN_KEY = "app_last_seen"
NOTICE_KEY = "app_notice"
# The least role the page at the current URL needs, for the sign-in page shown there instead.
NEEDED_ROLE_KEY = "signin_needed_role"


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


def refresh_session() -> Caller:
    """Once per run, before navigation: who the caller is now.

    With OIDC the identity comes from st.user, matched by e-mail to a user;
    with local accounts from the sign-in stored in the session. Either way the
    role is re-read from the database (a disabled account or a changed role
    takes effect at once) and an idle session ends after the configured time.
    """
    now = db.utcnow()
    con = data.connection()
    if oidc_configured():
        who = write.accounts.current_caller(con, st.user.get("email")) if st.user.is_logged_in else ANONYMOUS
    else:
        who = caller()
        if who.user_id is not None:
            who = write.accounts.current_caller(con, who.email)
            if not who.signed_in:  # disabled meanwhile
                sign_out()
                who = ANONYMOUS
    if who.email:
        idle_minutes = data.settings()["session_idle_minutes"]
        if write.accounts.session_expired(st.session_state.get(LAST_SEEN_KEY), now, idle_minutes):
            sign_out()
            st.session_state[NOTICE_KEY] = ("auth.session_expired", {"minutes": idle_minutes})
            return ANONYMOUS
        st.session_state[LAST_SEEN_KEY] = now
    st.session_state[CALLER_KEY] = who
    return who


def sign_in(email: str, password: str) -> None:
    """Check a local account's password; AuthError tells the user why not."""
    who = write.accounts.authenticate(data.connection(), email, password)
    st.session_state[CALLER_KEY] = who
    st.session_state[LAST_SEEN_KEY] = db.utcnow()


def sign_out() -> None:
    st.session_state.pop(CALLER_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def role_label(role: str) -> str:
    return tr(f"role.{role}")


def show_notice() -> None:
    """A message left for the next run (e.g. the session ended)."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(tr_md(notice[0], **notice[1]))
