"""Entry point: page config, language, sign-in state and navigation. Nothing else."""

import streamlit as st

from app_pages.common import LANG_KEY, tr
from tracker import i18n

st.set_page_config(page_title="Ilmasto-ohjelman seuranta", page_icon=":material/eco:", layout="wide")

wanted = i18n.normalise_language(st.query_params.get("lang") or st.session_state.get(LANG_KEY))
if st.session_state.get(LANG_KEY) != wanted:
    st.session_state[LANG_KEY] = wanted
with st.sidebar:
    st.selectbox(
        tr("app.language"),
        i18n.LANGUAGES,
        format_func={"fi": "Suomi", "sv": "Svenska", "en": "English"}.get,
        key=LANG_KEY,
    )
st.query_params["lang"] = st.session_state[LANG_KEY]

pages = [
    st.Page("app_pages/overview.py", title=tr("nav.overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("app_pages/measures.py", title=tr("nav.measures"), icon=":material/list:", url_path="measures"),
    st.Page("app_pages/measure.py", title=tr("nav.measure"), icon=":material/description:", url_path="measure"),
]
st.navigation(pages).run()
