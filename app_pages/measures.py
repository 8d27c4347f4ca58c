"""Measures: the programme's measures filtered by theme, status, responsible unit,
years, free text and staleness. Every filter lives in the URL so a view can be
shared; the current view downloads as CSV."""

import pandas as pd
import streamlit as st

from tracker import formulas, i18n
from tracker.status import STATUSES
from ui import data, session, text
from ui.badges import status_text
from ui.formats import fmt_date, missing
from ui.links import page_link
from ui.programme import required_programme, url_int
from ui.text import tr, tr_md

programme = required_programme("measures.title")
st.title(tr("measures.title"))

lang = text.lang()
internal = session.sees_internal()
programme_id = int(programme.name)
today = data.today()
stale_days = data.settings()["stale_days"]
themes = data.run("programme_themes", programme_id=programme_id, lang=lang)
units = data.run("programme_units", programme_id=programme_id, include_unpublished=internal)["responsible_unit"]


theme_names = dict(zip(themes["position"].astype(str), themes["name"], strict=True))
first_year = int(programme["start_year"]) if not missing(programme["start_year"]) else today.year - 5
last_year = int(programme["end_year"]) if not missing(programme["end_year"]) else today.year + 5
years = list(range(min(first_year, last_year), max(first_year, last_year) + 1))
year_from = url_int("from")
year_to = url_int("to")
year_from = year_from if year_from in years else years[0]
year_to = year_to if year_to in years and year_to >= year_from else years[-1]

search = st.text_input(
    tr("measures.search"),
    value=st.query_params.get("q", ""),
    placeholder=tr("measures.search_placeholder"),
    key="measures_search",
).strip()
left, middle, right = st.columns(3)
chosen_themes = left.multiselect(
    tr("measures.theme_filter"),
    list(theme_names),
    default=[p for p in st.query_params.get_all("theme") if p in theme_names],
    format_func=theme_names.get,
    key="measures_theme",
    placeholder=tr("measures.any"),
)
chosen_statuses = middle.multiselect(
    tr("measures.status_filter"),
    list(STATUSES),
    default=[s for s in st.query_params.get_all("status") if s in STATUSES],
    format_func=status_text,
    key="measures_status",
    placeholder=tr("measures.any"),
)
chosen_units = right.multiselect(
    tr("measures.unit_filter"),
    list(units),
    default=[u for u in st.query_params.get_all("unit") if u in set(units)],
    key="measures_unit",
    placeholder=tr("measures.any"),
)
left, right = st.columns([2, 1], vertical_alignment="bottom")
chosen_from, chosen_to = left.select_slider(
    tr("measures.year_filter"), options=years, value=(year_from, year_to), key="measures_years"
)
stale_only = right.checkbox(
    tr_md("measures.stale_only", days=stale_days),
    value=st.query_params.get("stale") == "1",
    key="measures_stale",
)

st.query_params["q"] = search if search else []
st.query_params["theme"] = chosen_themes
st.query_params["status"] = chosen_statuses
st.query_params["unit"] = chosen_units
narrowed = (chosen_from, chosen_to) != (years[0], years[-1])
st.query_params["from"] = str(chosen_from) if narrowed else []
st.query_params["to"] = str(chosen_to) if narrowed else []
st.query_params["stale"] = "1" if stale_only else []

shown = data.run(
    "measures_filtered",
    programme_id=programme_id,
    lang=lang,
    include_unpublished=internal,
    themes=[int(p) for p in chosen_themes],
    statuses=chosen_statuses,
    units=chosen_units,
    year_from=chosen_from if narrowed else None,
    year_to=chosen_to if narrowed else None,
    search=search,
    stale_only=stale_only,
    stale_days=stale_days,
    today=today,
)
total = int(
    data.run("overview_tiles", programme_id=programme_id, include_unpublished=internal, today=today, recent_days=0)[
        "total"
    ].iloc[0]
)
st.caption(tr("measures.count", shown=len(shown), total=total))
if shown.empty:
    st.info(tr("measures.none_match"))
    st.stop()

table = shown.assign(
    link=[page_link("measure", programme=programme_id, code=code) for code in shown["code"]],
    status_label=[status_text(s) for s in shown["status"]],
    end=[
        fmt_date(d) or (tr("status.continuous") if c else "")
        for d, c in zip(shown["end_date"], shown["is_continuous"], strict=True)
    ],
    updated=[fmt_date(d) for d in shown["updated_at"]],
)
st.dataframe(
    table[["link", "title", "theme", "status_label", "progress", "end", "responsible_unit", "updated"]],
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
        "updated": st.column_config.TextColumn(tr("column.updated")),
    },
)

export = pd.DataFrame(
    {
        tr("column.code"): shown["code"],
        tr("column.measure"): shown["title"],
        tr("column.theme"): shown["theme"],
        tr("column.status"): [i18n.status_label(s, lang) for s in shown["status"]],
        tr("column.progress"): shown["progress"],
        tr("column.start"): [fmt_date(d) for d in shown["start_date"]],
        tr("column.end"): table["end"],
        tr("column.responsible"): shown["responsible_unit"],
        tr("column.updated"): table["updated"],
    }
)
st.download_button(
    tr("measures.download_csv"),
    data=formulas.csv_bytes(export, sep=";"),
    file_name=tr("measures.csv_file_name") + ".csv",
    mime="text/csv",
    icon=":material/download:",
    key="measures_download",
)
