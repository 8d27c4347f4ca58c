"""Settings: every admin-changeable setting, grouped, each with its label in the
reader's language and the widget its kind needs, checked against its range."""

import streamlit as st

from ui.settings_form import grouped, settings_form
from ui.text import tr

st.title(tr("nav.settings"))
settings_form(grouped(), "settings_form")
