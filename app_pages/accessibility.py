"""Accessibility statement (saavutettavuusseloste / tillgänglighetsutlåtande) of
the public view, from a template: the organisation comes from the programme,
the feedback contact and the statement's date are admin settings; feedback goes
through the public feedback form. The text is tracker.present.public_html's,
the one copy the light statement (/view/accessibility) shows too."""

import streamlit as st

from tracker.present import public_html
from ui import data
from ui.badges import esc
from ui.links import public_link
from ui.programme import programmes as all_programmes
from ui.programme import url_int
from ui.public_view import language_links, public_style
from ui.text import lang, tr

public_style()
programmes = all_programmes()
wanted = url_int("programme")
programme_id = wanted if wanted in programmes["id"].tolist() else None
organisation = programmes["organisation"].iloc[0] if not programmes.empty else tr("app.title")
if programme_id is not None:
    organisation = programmes.set_index("id").loc[programme_id, "organisation"]

language_links("accessibility", programme=programme_id)
st.title(tr("accessibility.title"), anchor=False)
feedback = public_link("/view/feedback", programme=programme_id, kind="accessibility")
st.html(public_html.statement(lang(), organisation, data.settings(), feedback_url=feedback))

st.divider()
st.html(
    f'<p><a href="{esc(public_link("public", programme=programme_id))}" target="_self">'
    f"{esc(tr('accessibility.back'))}</a></p>"
)
