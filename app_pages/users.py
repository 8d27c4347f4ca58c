"""Users: who may sign in and with which role; add (the generated password is
shown once), change a role, disable or enable, reset a password."""

import streamlit as st

from tracker import rules, write
from tracker.auth import ROLES
from tracker.errors import UserError, ValidationError
from tracker.present.audit_log import local_time
from ui import data, session
from ui.formats import fmt_date
from ui.forms import error_text, field_problem, leave_notice, show_notice, show_problems
from ui.text import lang, tr, tr_md

NOTICE = "users_notice"
PASSWORD = "users_password"


def show_password(place: str) -> None:
    """A generated password, once, below the button that made it (``place``: add or reset)."""
    shown = st.session_state.get(PASSWORD)
    if shown and shown[2] == place:
        del st.session_state[PASSWORD]
        st.warning(tr_md("users.password_once", email=shown[0]))
        st.code(shown[1], language=None)


st.title(tr("nav.users"))
if session.oidc_configured():
    st.caption(tr("users.oidc_note"))

since = session.failure_window_start()
users = data.run("workspace_users", since=since)
alerts = data.run("sign_in_alerts", since=since, least=write.password_sign_in.FREE_FAILURES)
if not alerts.empty:
    with st.container(border=True):
        st.subheader(tr("session.alerts_title"))
        st.caption(tr("session.alerts_caption"))
        for alert in alerts.itertuples():
            st.text(
                tr(
                    "session.alert_item",
                    email=alert.email,
                    failures=int(alert.failures),
                    time=local_time(alert.last_failure_at, lang()),
                    client=alert.last_client or "–",
                )
            )
if not users.empty:
    st.dataframe(
        {
            tr("field.email"): users["email"],
            tr("field.display_name"): users["display_name"].fillna(""),
            tr("field.role"): [session.role_label(r) for r in users["role"]],
            tr("users.state"): [tr("users.active" if active else "users.disabled") for active in users["is_active"]],
            tr("session.failed_sign_ins"): users["failed_sign_ins"].astype(int),
            tr("users.last_login"): [fmt_date(v) for v in users["last_login_at"]],
        },
        hide_index=True,
        width="stretch",
    )

con, who = data.connection(), session.caller()
st.subheader(tr("users.add"))
problems = st.session_state.get("users_problems", {})
with st.form("users_add_form", clear_on_submit=False):
    st.text_input(tr("field.email"), key="users_new_email", max_chars=rules.EMAIL_MAX_LENGTH)
    field_problem(problems, "email")
    st.text_input(tr("field.display_name"), key="users_new_name", max_chars=rules.NAME_MAX)
    field_problem(problems, "display_name")
    st.selectbox(
        tr("field.role"),
        ROLES,
        index=1,
        format_func=session.role_label,
        key="users_new_role",
        placeholder=tr("app.choose"),
    )
    added = st.form_submit_button(tr("users.add"), type="primary", icon=":material/person_add:")
show_password("add")
if added:
    st.session_state.pop("users_problems", None)
    email = st.session_state["users_new_email"]
    try:
        password = write.accounts.add_user(
            con, who, email, st.session_state["users_new_role"], display_name=st.session_state["users_new_name"]
        )
    except ValidationError as invalid:
        st.session_state["users_problems"] = invalid.problems
    else:
        st.session_state[PASSWORD] = (write.accounts.normalise_email(email), password, "add")
    st.rerun()

if not users.empty:
    st.subheader(tr("users.change"))
    email = st.selectbox(tr("field.email"), users["email"].tolist(), key="users_chosen", placeholder=tr("app.choose"))
    current = users[users["email"] == email].iloc[0]
    role_col, state_col, reset_col = st.columns(3)
    role = role_col.selectbox(
        tr("field.role"),
        ROLES,
        index=ROLES.index(current["role"]),
        format_func=session.role_label,
        key=f"users_role_{email}",
        placeholder=tr("app.choose"),
    )
    try:
        if role_col.button(tr("users.set_role"), key="users_set_role", disabled=role == current["role"]):
            write.accounts.set_role(con, who, email, role)
            leave_notice(NOTICE, "form.saved")
            st.rerun()
        if current["is_active"]:
            if state_col.button(tr("users.disable"), key="users_disable", icon=":material/block:"):
                write.accounts.set_active(con, who, email, False)
                leave_notice(NOTICE, "form.saved")
                st.rerun()
        elif state_col.button(tr("users.enable"), key="users_enable"):
            write.accounts.set_active(con, who, email, True)
            leave_notice(NOTICE, "form.saved")
            st.rerun()
        if not session.oidc_configured() and reset_col.button(tr("users.reset_password"), key="users_reset"):
            st.session_state[PASSWORD] = (email, write.accounts.reset_password(con, who, email), "reset")
            st.rerun()
        if current["failed_sign_ins"] and reset_col.button(tr("session.lift_wait"), key="users_lift_wait"):
            write.accounts.lift_sign_in_wait(con, who, email)
            leave_notice(NOTICE, "form.saved")
            st.rerun()
    except ValidationError as invalid:
        show_problems(invalid.problems, {"email": tr("field.email"), "role": tr("field.role")})
    except UserError as refused:
        st.error(error_text(refused))
    # Below the buttons that changed the account.
    show_notice(NOTICE)
    show_password("reset")
