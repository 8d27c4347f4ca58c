"""Embed code (admin): choose the programme, theme, language and starting height
of the public view, see it live, copy the snippet for the city's website (the
iframe of the light view and the app's /embed.js that sizes it: the same as
``python -m tracker embed-snippet``); and the public view's settings (money
shown, open-data licence, accessibility contact, the sites that may embed it,
how long feedback contact details are kept)."""

from urllib.parse import urlencode

import streamlit as st

from tracker import i18n
from tracker.errors import UserError
from tracker.present import embed
from ui import data, text
from ui.forms import error_text, select_or_none
from ui.programme import programmes as all_programmes
from ui.settings_form import PUBLIC, settings_form
from ui.text import LANGUAGE_NAMES, tr

st.title(tr("embed.title"), anchor=False)
st.write(tr("embed.intro"))
programmes = all_programmes()
if programmes.empty:
    st.info(tr("app.no_data"))
    st.stop()

lang = text.lang()
names = dict(zip(programmes["id"], programmes["organisation"] + " – " + programmes["name"], strict=True))
left, right = st.columns(2)
programme_id = left.selectbox(
    tr("app.programme"), list(names), format_func=names.get, key="embed_programme", placeholder=tr("app.choose")
)
themes = data.run("programme_themes", programme_id=int(programme_id), lang=lang)
theme_names = dict(zip(themes["position"].tolist(), themes["name"], strict=True))
theme = select_or_none(tr("public.theme_filter"), theme_names, tr("public.all_themes"), key="embed_theme", within=right)
left, right = st.columns(2)
language = left.selectbox(
    tr("app.language"),
    i18n.LANGUAGES,
    format_func=LANGUAGE_NAMES.get,
    key="embed_language",
    placeholder=tr("app.choose"),
)
height = right.number_input(
    tr("embed.height"),
    min_value=embed.MIN_HEIGHT,
    max_value=embed.MAX_HEIGHT,
    value=embed.DEFAULT_HEIGHT,
    step=50,
    key="embed_height",
)

# the address this page was opened at (unknown outside a browser: the local default)
here = st.context.url or "http://localhost:8501"
app_root = here.rsplit("/", 1)[0] if here.endswith("/embed") else here.rstrip("/")
base = st.text_input(tr("embed.base_url"), value=app_root, help=tr("embed.base_url_help"), key="embed_base").rstrip("/")
query = {"embed": "true", "lang": language, "programme": int(programme_id)}
if theme is not None:
    query["theme"] = theme
title = i18n.t("embed.frame_title", language, programme=names[programme_id])
st.subheader(tr("embed.code"), anchor=False)
unlisted = embed.unlisted_warning(data.settings()["embed_allowed_origins"], lang)
if unlisted:
    st.warning(text.md(unlisted), icon=":material/warning:")
try:
    snippet = embed.snippet(
        base, programme_id=int(programme_id), lang=language, title=title, theme=theme, height=int(height)
    )
except UserError as error:
    st.error(error_text(error))
else:
    st.code(snippet, language="html")
st.caption(tr("embed.script_note"))

st.subheader(tr("embed.preview"), anchor=False)
st.iframe(f"/view?{urlencode(query)}", height=int(height), alt=title)

st.subheader(tr("embed.settings"), anchor=False)
settings_form([(None, PUBLIC)], "embed_settings")
