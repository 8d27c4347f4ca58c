"""Settings: every admin-changeable setting, grouped, each with its label in the
reader's language and the widget its kind needs, checked against its range."""

import streamlit as st

from tracker import mail
from tracker.errors import UserError
from ui import data, session, text
from ui.settings_form import grouped, settings_form
from ui.text import tr, tr_md

st.title(tr("nav.settings"))
settings_form(grouped(), "settings_form")

# -- a test message through the reminders' mail settings --
st.subheader(tr("mail.test_heading"))
st.caption(tr_md("mail.test_help", variable=mail.PASSWORD_VARIABLE))
with st.form("settings_test_mail"):
    recipient = st.text_input(tr("mail.test_recipient"), value=session.caller().email or "", key="settings_test_to")
    send = st.form_submit_button(tr("mail.test_send"), icon=":material/send:")
if send:
    try:
        mail.send_test(data.connection(), session.caller(), recipient, text.lang())
    except UserError as refused:
        st.error(tr_md(refused.key, **refused.params))
    else:
        st.success(tr_md("mail.test_sent", recipient=recipient))
