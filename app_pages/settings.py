"""Settings: every admin-changeable setting with its current value."""

import streamlit as st

from app_pages import common
from app_pages.common import tr
from tracker import i18n, settings, write
from tracker.errors import ValidationError

st.title(tr("nav.settings"))
if st.session_state.pop("settings_saved", False):
    st.success(tr("form.saved"))
current = settings.all_settings(common.connection())
problems = st.session_state.get("settings_problems", {})
with st.form("settings_form"):
    for name, value in current.items():
        label = tr(f"setting.{name}") if i18n.has(f"setting.{name}") else name
        st.text_input(label, value=str(value), key=f"settings_{name}")
        common.field_problem(problems, name)
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
if submitted:
    st.session_state.pop("settings_problems", None)
    try:
        for name, value in current.items():
            typed = st.session_state[f"settings_{name}"].strip()
            if typed != str(value):
                write.settings.set_setting(common.connection(), common.caller(), name, typed)
    except ValidationError as invalid:
        st.session_state["settings_problems"] = invalid.problems
    else:
        st.session_state["settings_saved"] = True
    st.rerun()
