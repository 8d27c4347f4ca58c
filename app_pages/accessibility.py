"""Accessibility statement (saavutettavuusseloste / tillgänglighetsutlåtande) of
the public view, from a template: the organisation comes from the programme,
the feedback contact and the statement's date are admin settings."""

import streamlit as st

from ui import data
from ui.badges import esc
from ui.formats import fmt_date
from ui.links import public_link
from ui.programme import programmes as all_programmes
from ui.programme import url_int
from ui.public_view import language_links, public_style, set_document_language
from ui.text import tr, tr_md

statement_settings = data.settings()
set_document_language()
public_style()
programmes = all_programmes()
wanted = url_int("programme")
programme_id = wanted if wanted in programmes["id"].tolist() else None
organisation = programmes["organisation"].iloc[0] if not programmes.empty else tr("app.title")
if programme_id is not None:
    organisation = programmes.set_index("id").loc[programme_id, "organisation"]

language_links("accessibility", programme=programme_id)
st.title(tr("accessibility.title"), anchor=False)
st.write(tr_md("accessibility.intro", organisation=organisation))

st.header(tr("accessibility.status_heading"), anchor=False)
st.write(tr("accessibility.status"))

st.header(tr("accessibility.known_issues_heading"), anchor=False)
issues = [tr("accessibility.issue_chart"), tr("accessibility.issue_framework"), tr("accessibility.issue_content")]
st.html("<ul>" + "".join(f"<li>{esc(issue)}</li>" for issue in issues) + "</ul>")

st.header(tr("accessibility.prepared_heading"), anchor=False)
prepared_on = statement_settings["accessibility_statement_date"]
if prepared_on:
    st.write(tr("accessibility.prepared", date=fmt_date(prepared_on)))
else:
    st.write(tr("accessibility.prepared_undated"))

st.header(tr("accessibility.feedback_heading"), anchor=False)
contact = statement_settings["accessibility_feedback_contact"].strip()
if not contact:
    shown = esc(tr("accessibility.feedback_unset"))
elif "@" in contact and " " not in contact:
    shown = f'<a href="mailto:{esc(contact)}">{esc(contact)}</a>'
elif contact.startswith(("https://", "http://")):
    shown = f'<a href="{esc(contact)}">{esc(contact)}</a>'
else:
    shown = esc(contact)
st.html(f"<p>{tr('accessibility.feedback', contact=shown)}</p>")

st.header(tr("accessibility.enforcement_heading"), anchor=False)
st.markdown(tr("accessibility.enforcement"))

st.divider()
st.html(
    f'<p><a href="{esc(public_link("public", programme=programme_id))}" target="_self">'
    f"{esc(tr('accessibility.back'))}</a></p>"
)
