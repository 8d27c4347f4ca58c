"""Measures: the programme's measures filtered by theme, status, responsible unit,
years, free text and staleness. Every filter lives in the URL so a view can be
shared; the current view downloads as CSV."""

import pandas as pd
import streamlit as st

from tracker import formulas, i18n
from tracker.status import STATUSES
from ui import data, session, text
from ui.badges import status_badge, status_text
from ui.formats import cell_text, fmt_date, fmt_pct, missing
from ui.links import remember_view
from ui.programme import required_programme, url_int
from ui.tables import Column, measure_link, progress_cell, table
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
remember_view("measures")  # the measure page's link back brings these filters back

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
if "late" in set(chosen_statuses) | set(shown["status"]):
    st.caption(tr("late.rule"))
if shown.empty:
    st.info(tr("measures.none_match"))
    st.stop()

end_texts = [
    fmt_date(d) or (tr("status.continuous") if c else "")
    for d, c in zip(shown["end_date"], shown["is_continuous"], strict=True)
]
updated_texts = [fmt_date(d) for d in shown["updated_at"]]
# The columns that matter first (code, title, status, progress); on a phone each measure is a card.
table(
    [
        [
            measure_link(programme_id, row.code),
            row.title,
            status_badge(row.status),
            progress_cell(row.progress, fmt_pct(row.progress / 100)),
            row.theme,
            end,
            cell_text(row.responsible_unit),
            updated,
        ]
        for row, end, updated in zip(shown.itertuples(), end_texts, updated_texts, strict=True)
    ],
    [
        Column(tr("column.code"), html=True, lead=True, nowrap=True),
        Column(tr("column.measure"), lead=True),
        Column(tr("column.status"), html=True, nowrap=True, css="status-cell"),
        Column(tr("column.progress"), html=True, css="status-cell"),
        Column(tr("column.theme")),
        Column(tr("column.end"), nowrap=True),
        Column(tr("column.responsible")),
        Column(tr("column.updated"), nowrap=True),
    ],
    tr("measures.title"),
    cards=True,
)

export = pd.DataFrame(
    {
        tr("column.code"): shown["code"],
        tr("column.measure"): shown["title"],
        tr("column.theme"): shown["theme"],
        tr("column.status"): [i18n.status_label(s, lang) for s in shown["status"]],
        tr("column.progress"): shown["progress"],
        tr("column.start"): [fmt_date(d) for d in shown["start_date"]],
        tr("column.end"): end_texts,
        tr("column.responsible"): shown["responsible_unit"],
        tr("column.updated"): updated_texts,
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
