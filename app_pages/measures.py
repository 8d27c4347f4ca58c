"""Measures: every measure of the programme, filtered by theme and status from the URL."""

import streamlit as st

from app_pages import common
from app_pages.common import tr
from tracker.status import STATUSES

programme = common.selected_programme()
st.title(tr("measures.title"))
if programme is None:
    st.info(tr("app.no_data"))
    st.stop()

lang = common.lang()
programme_id = int(programme.name)
themes = common.run("programme_themes", programme_id=programme_id, lang=lang)
measures = common.run(
    "programme_measures", programme_id=programme_id, lang=lang, include_unpublished=common.sees_internal()
)

theme_names = dict(zip(themes["position"].astype(str), themes["name"], strict=True))
wanted_themes = [p for p in st.query_params.get_all("theme") if p in theme_names]
wanted_statuses = [s for s in st.query_params.get_all("status") if s in STATUSES]
left, right = st.columns(2)
chosen_themes = left.multiselect(
    tr("measures.theme_filter"),
    list(theme_names),
    default=wanted_themes,
    format_func=theme_names.get,
    key="measures_theme",
)
chosen_statuses = right.multiselect(
    tr("measures.status_filter"),
    list(STATUSES),
    default=wanted_statuses,
    format_func=common.status_text,
    key="measures_status",
)
st.query_params["theme"] = chosen_themes
st.query_params["status"] = chosen_statuses

shown = measures
if chosen_themes:
    shown = shown[shown["theme_position"].astype(str).isin(chosen_themes)]
if chosen_statuses:
    shown = shown[shown["status"].isin(chosen_statuses)]
st.caption(tr("measures.count", shown=len(shown), total=len(measures)))
if shown.empty:
    st.info(tr("measures.none_match"))
    st.stop()

table = shown.assign(
    link=[common.page_link("measure", programme=programme_id, code=code) for code in shown["code"]],
    status_label=[common.status_text(s) for s in shown["status"]],
    end=[common.fmt_date(d) for d in shown["end_date"]],
)
st.dataframe(
    table[["link", "title", "theme", "status_label", "progress", "end", "responsible_unit"]],
    hide_index=True,
    width="stretch",
    column_config={
        "link": st.column_config.LinkColumn(tr("column.code"), display_text=r"code=([^&]*)", width="small"),
        "title": st.column_config.TextColumn(tr("column.measure"), width="large"),
        "theme": st.column_config.TextColumn(tr("column.theme")),
        "status_label": st.column_config.TextColumn(tr("column.status")),
        "progress": st.column_config.ProgressColumn(tr("column.progress"), min_value=0, max_value=100, format="%d %%"),
        "end": st.column_config.TextColumn(tr("column.end")),
        "responsible_unit": st.column_config.TextColumn(tr("column.responsible")),
    },
)
