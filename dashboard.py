"""Entry point: page config, language, sign-in state and navigation. Nothing else."""

from pathlib import Path

import streamlit as st

from app_pages.common import LANG_KEY, caller, tr
from tracker import i18n

# A local file: a Material or emoji icon would make the browser fetch the favicon from a third party.
FAVICON = Path(__file__).parent / "assets" / "favicon.png"

wanted = i18n.normalise_language(st.query_params.get("lang") or st.session_state.get(LANG_KEY))
if st.session_state.get(LANG_KEY) != wanted:
    st.session_state[LANG_KEY] = wanted
st.set_page_config(page_title=tr("app.title"), page_icon=str(FAVICON), layout="wide")

# Embedded in the city's website (?embed=true) the public pages carry their own
# language links, so there is no sidebar and no app navigation there.
embedded = bool(st.context.is_embedded)
if not embedded:
    with st.sidebar:
        st.selectbox(
            tr("app.language"),
            i18n.LANGUAGES,
            format_func={"fi": "Suomi", "sv": "Svenska", "en": "English"}.get,
            key=LANG_KEY,
        )
st.query_params["lang"] = st.session_state[LANG_KEY]

# (file, title key, icon, url path, least role, navigation section key)
PAGES = [
    ("app_pages/overview.py", "nav.overview", ":material/dashboard:", "overview", "anonymous", "nav.section_programme"),
    ("app_pages/measures.py", "nav.measures", ":material/list:", "measures", "anonymous", "nav.section_programme"),
    ("app_pages/measure.py", "nav.measure", ":material/description:", "measure", "anonymous", "nav.section_programme"),
    # -- leadership dashboard pages --
    ("app_pages/budget.py", "nav.budget", ":material/payments:", "budget", "anonymous", "nav.section_programme"),
    ("app_pages/national.py", "nav.national", ":material/public:", "national", "anonymous", "nav.section_national"),
    #
    # -- public view pages --
    ("app_pages/public.py", "nav.public", ":material/public:", "public", "anonymous", "nav.section_public"),
    (
        "app_pages/accessibility.py",
        "nav.accessibility",
        ":material/accessibility:",
        "accessibility",
        "anonymous",
        "nav.section_public",
    ),
    #
    # -- workspace pages --
    #
    # -- import and export pages --
    (
        "app_pages/import_export.py",
        "import_page.nav_title",
        ":material/upload_file:",
        "import-export",
        "editor",
        "import_page.nav_section",
    ),
    #
    # -- decision pages --
    ("app_pages/decision_paste.py", "decisions.page", ":material/gavel:", "decision", "editor", "decisions.menu"),
    #
    # -- admin pages --
    ("app_pages/embed_builder.py", "nav.embed_builder", ":material/code:", "embed", "admin", "nav.section_public"),
    #
]

who = caller()
sections: dict[str, list] = {}
for index, (path, title, icon, url_path, role, section) in enumerate(PAGES):
    if who.can(role):
        page = st.Page(path, title=tr(title), icon=icon, url_path=url_path, default=index == 0)
        sections.setdefault(tr(section), []).append(page)
st.navigation(sections, position="hidden" if embedded else "sidebar").run()
