"""Entry point: page config, language, sign-in state and navigation. Nothing else."""

from pathlib import Path

import streamlit as st

from tracker import i18n
from tracker.errors import SchemaError
from ui import data, links, menu, per_run, session, style, text, visit
from ui.pages import PAGES, SIGN_IN
from ui.text import LANG_KEY, tr, tr_md

# A local file: a Material or emoji icon would make the browser fetch the favicon from a third party.
FAVICON = Path(__file__).parent / "assets" / "favicon.png"

per_run.begin_run(text.settle_language())
st.set_page_config(page_title=tr("app.title"), page_icon=str(FAVICON), layout="wide")
style.app_style()
try:
    data.connection()
except SchemaError as problem:  # the app never migrates: `python -m tracker migrate` does
    st.error(tr_md(problem.key, **problem.params))
    st.stop()

# Embedded in the city's website (?embed=true) the public pages carry their own
# language links, so there is no sidebar and no app navigation there.
embedded = bool(st.context.is_embedded)
if not embedded:
    with st.sidebar:
        st.selectbox(
            tr("app.language"),
            i18n.LANGUAGES,
            format_func=text.LANGUAGE_NAMES.get,
            key=LANG_KEY,
            on_change=text.language_chosen,
        )
st.query_params["lang"] = st.session_state[LANG_KEY]

who = session.refresh_session()
if who.can("admin") and data.refused_settings():  # a stored setting out of range: its default is in use
    st.sidebar.warning(tr("settings.refused_notice"), icon=":material/warning:")
with st.sidebar:
    if who.email:
        st.caption(tr_md("auth.signed_in_as", name=who.display_name or who.email, role=session.role_label(who.role)))
        if st.button(tr("auth.sign_out"), icon=":material/logout:", key="app_sign_out"):
            session.sign_out()  # ends the session everywhere and reloads through the sign-out route
            st.rerun()

sections: dict[str, list] = {}
# A page the caller may not open is still registered, hidden, at its own URL
# but running the sign-in page: a link to /weekly shows the sign-in, and
# after signing in the same URL opens the page itself.
needed_role: dict[str, str] = {}
for index, page in enumerate(PAGES):
    if index == 0:
        # The start page lives at / and, hidden, at its own name too (/overview).
        entry = st.Page(page.file, title=tr(page.title_key), icon=page.icon, url_path="start", default=True)
        sections.setdefault(tr(page.section_key), []).append(entry)
        entry = st.Page(page.file, title=tr(page.title_key), url_path=page.url_path, visibility="hidden")
    elif who.can(page.least_role):
        entry = st.Page(page.file, title=tr(page.title_key), icon=page.icon, url_path=page.url_path)
    else:
        entry = st.Page(SIGN_IN.file, title=tr(SIGN_IN.title_key), url_path=page.url_path, visibility="hidden")
        needed_role[page.url_path] = page.least_role
    sections.setdefault(tr(page.section_key), []).append(entry)
if not who.signed_in:
    sign_in = st.Page(SIGN_IN.file, title=tr(SIGN_IN.title_key), icon=SIGN_IN.icon, url_path=SIGN_IN.url_path)
    sections.setdefault(tr(SIGN_IN.section_key), []).append(sign_in)
# The app's own menu (ui/menu.py): Streamlit's sectioned one fails axe (list/listitem).
current = st.navigation(sections, position="hidden")
if not embedded:
    menu.sidebar_menu(sections)
menu.every_run_script(current.url_path, current.title)
links.in_app_navigation([page.url_path for page in (*PAGES, SIGN_IN)])
if who.can("admin") and not embedded:
    with st.sidebar:
        session.admin_alert()
st.session_state[session.NEEDED_ROLE_KEY] = needed_role.get(current.url_path)
visit.arrive(current.url_path)
current.run()
