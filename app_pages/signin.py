"""Sign-in: e-mail and password for local accounts, or the organisation's
OpenID Connect sign-in when it is configured. Also what a visitor sees at the
URL of a page their role does not open."""

import streamlit as st

from tracker.errors import AuthError
from ui import data, session
from ui.forms import error_text
from ui.text import tr, tr_md

who = session.caller()
needed = st.session_state.get(session.NEEDED_ROLE_KEY)

st.title(tr("nav.sign_in"))
session.show_notice()
if needed:
    st.info(tr("auth.needs_role", role=session.role_label(needed)))

if who.signed_in:
    if not needed:
        st.success(tr("auth.already_signed_in"))
    st.stop()

if who.email:
    # Signed in with OIDC, but the address is not (or no longer) a user.
    st.warning(tr_md("auth.no_role", email=who.email))

st.caption(tr("auth.intro"))
limits = data.settings()
st.caption(tr_md("session.stays", minutes=limits["session_idle_minutes"], hours=limits["session_max_hours"]))
if session.oidc_configured():
    if not who.email:
        st.button(tr("auth.oidc_button"), icon=":material/login:", on_click=st.login, key="signin_oidc", type="primary")
    st.stop()

with st.form("signin_form"):
    email = st.text_input(tr("auth.email"), key="signin_email", autocomplete="username")
    password = st.text_input(
        tr("auth.password"), type="password", key="signin_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(tr("auth.submit"), type="primary")
if submitted:
    try:
        session.sign_in(email, password)  # on success the browser goes on through /auth/session
    except AuthError as refused:
        st.error(error_text(refused))
