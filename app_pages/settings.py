"""Settings: every admin-changeable setting with its current value."""

import streamlit as st

from tracker import i18n, mail, write
from tracker.errors import UserError, ValidationError
from ui import data, session, text
from ui.forms import field_problem
from ui.text import tr

st.title(tr("nav.settings"))
if st.session_state.pop("settings_saved", False):
    st.success(tr("form.saved"))
current = data.settings()
problems = st.session_state.get("settings_problems", {})
with st.form("settings_form"):
    for name, value in current.items():
        label = tr(f"setting.{name}") if i18n.has(f"setting.{name}") else name
        st.text_input(label, value=str(value), key=f"settings_{name}")
        field_problem(problems, name)
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
if submitted:
    st.session_state.pop("settings_problems", None)
    try:
        for name, value in current.items():
            typed = st.session_state[f"settings_{name}"].strip()
            if typed != str(value):
                write.settings.set_setting(data.connection(), session.caller(), name, typed)
    except ValidationError as invalid:
        st.session_state["settings_problems"] = invalid.problems
    else:
        st.session_state["settings_saved"] = True
    st.rerun()

# -- the test message of the reminders' mail settings (issue 14) --
st.subheader(tr("mail.test_heading"))
st.caption(tr("mail.test_help", variable=mail.PASSWORD_VARIABLE))
with st.form("settings_test_mail"):
    recipient = st.text_input(tr("mail.test_recipient"), value=session.caller().email or "", key="settings_test_to")
    send = st.form_submit_button(tr("mail.test_send"), icon=":material/send:")
if send:
    try:
        mail.send_test(data.connection(), session.caller(), recipient, text.lang())
    except UserError as refused:
        st.error(tr(refused.key, **refused.params))
    else:
        st.success(tr("mail.test_sent", recipient=recipient))
# -- end of the test message --
