"""Entry point: page config, language, sign-in state and navigation. Nothing else."""

from pathlib import Path

import streamlit as st

from tracker import i18n
from ui import per_run, session, text
from ui.text import LANG_KEY, tr

# A local file: a Material or emoji icon would make the browser fetch the favicon from a third party.
FAVICON = Path(__file__).parent / "assets" / "favicon.png"

per_run.begin_run(text.settle_language())
st.set_page_config(page_title=tr("app.title"), page_icon=str(FAVICON), layout="wide")

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
    ("app_pages/weekly.py", "nav.weekly", ":material/edit_note:", "weekly", "editor", "nav.section_workspace"),
    (
        "app_pages/measure_form.py",
        "nav.measure_form",
        ":material/edit:",
        "measure-form",
        "editor",
        "nav.section_workspace",
    ),
    (
        "app_pages/budget_lines.py",
        "nav.budget_lines",
        ":material/euro:",
        "budget-lines",
        "editor",
        "nav.section_workspace",
    ),
    (
        "app_pages/decisions_register.py",
        "nav.decisions_register",
        ":material/gavel:",
        "decisions-register",
        "editor",
        "nav.section_workspace",
    ),
    ("app_pages/audit.py", "nav.audit", ":material/history:", "audit", "viewer", "nav.section_workspace"),
    #
    # -- import and export pages --
    (
        "app_pages/import_export.py",
        "import_page.nav_title",
        ":material/upload_file:",
        "import-export",
        "editor",
        "nav.section_workspace",
    ),
    #
    # -- decision pages --
    (
        "app_pages/decision_paste.py",
        "decisions.page",
        ":material/gavel:",
        "decision",
        "editor",
        "nav.section_workspace",
    ),
    #
    # -- admin pages --
    ("app_pages/embed_builder.py", "nav.embed_builder", ":material/code:", "embed", "admin", "nav.section_admin"),
    ("app_pages/users.py", "nav.users", ":material/group:", "users", "admin", "nav.section_admin"),
    ("app_pages/settings.py", "nav.settings", ":material/settings:", "settings", "admin", "nav.section_admin"),
    #
]

SIGN_IN_PAGE = "app_pages/signin.py"

who = session.refresh_session()
with st.sidebar:
    if who.email:
        st.caption(tr("auth.signed_in_as", name=who.display_name or who.email, role=session.role_label(who.role)))
        if st.button(tr("auth.sign_out"), icon=":material/logout:", key="app_sign_out"):
            session.sign_out()
            st.rerun()

sections: dict[str, list] = {}
# A page the caller may not open is still registered, hidden, at its own URL
# but running the sign-in page: a link to /weekly shows the sign-in, and
# after signing in the same URL opens the page itself.
needed_role: dict[str, str] = {}
for index, (path, title, icon, url_path, role, section) in enumerate(PAGES):
    if who.can(role):
        page = st.Page(path, title=tr(title), icon=icon, url_path=url_path, default=index == 0)
        sections.setdefault(tr(section), []).append(page)
    else:
        hidden = st.Page(SIGN_IN_PAGE, title=tr("nav.sign_in"), url_path=url_path, visibility="hidden")
        sections.setdefault(tr(section), []).append(hidden)
        needed_role[url_path] = role
if not who.signed_in:
    sign_in = st.Page(SIGN_IN_PAGE, title=tr("nav.sign_in"), icon=":material/login:", url_path="sign-in")
    sections.setdefault(tr("nav.section_workspace"), []).append(sign_in)
current = st.navigation(sections, position="hidden" if embedded else "sidebar", expanded=True)
st.session_state[session.NEEDED_ROLE_KEY] = needed_role.get(current.url_path)
current.run()
