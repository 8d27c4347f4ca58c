"""Weekly update: the programme's measures, least recently updated first,
each with status, progress and a dated note (public or internal), saved for
many measures in one go."""

import math

import streamlit as st

from tracker import i18n, rules, write
from tracker.status import STATUSES
from ui import data, session, text
from ui.badges import status_text
from ui.formats import fmt_date
from ui.forms import EditForm, select_or_none
from ui.programme import required_programme
from ui.text import md, tr, tr_md

PAGE_SIZE = 20
# One form for many measures: measure id -> the status, progress and version this screen loaded.
form = EditForm("weekly_", ("status", "progress"), records=True)


def key(field: str, measure_id: int) -> str:
    return form.key(field, measure_id)


def on_page(measures):
    """The rows of the page chosen, in the order this screen first showed them.

    When someone saves meanwhile, their measure must not jump to another page
    under a pending edit. A page of measures at a time: a programme may have
    hundreds open, and every measure is four widgets. The stalest come first,
    so page 1 is the week's work."""
    first_seen = {measure_id: index for index, measure_id in enumerate(st.session_state.get(form.slot("loaded"), {}))}
    measures = measures.assign(
        first_seen=[first_seen.get(measure_id, len(first_seen) + n) for n, measure_id in enumerate(measures["id"])]
    ).sort_values("first_seen", kind="stable")
    pages = math.ceil(len(measures) / PAGE_SIZE)
    if pages > 1:
        page = st.number_input(tr("weekly.page"), min_value=1, max_value=pages, step=1, key="weekly_page")
        first = (page - 1) * PAGE_SIZE
        last = min(first + PAGE_SIZE, len(measures))
        st.caption(tr_md("weekly.page_rows", first=first + 1, last=last, total=len(measures)))
        measures = measures.iloc[first : first + PAGE_SIZE]
    return measures


def measure_row(row) -> None:
    with st.container(border=True):
        st.markdown(f"**{md(row.code)} {md(row.title)}**")
        st.caption(f"{md(row.theme)} · {tr('weekly.updated', date=fmt_date(row.updated_at))}")
        status_col, progress_col, note_col, internal_col = st.columns([2, 1, 4, 1], vertical_alignment="bottom")
        status_col.selectbox(
            tr("field.status"),
            STATUSES,
            format_func=status_text,
            key=key("status", row.id),
            placeholder=tr("app.choose"),
        )
        progress_col.number_input(tr("field.progress"), 0, 100, step=5, key=key("progress", row.id))
        note_col.text_input(tr("field.note"), key=key("note", row.id), max_chars=rules.NOTE_MAX)
        internal_col.checkbox(tr("field.note_internal"), key=key("internal", row.id))
        for field in ("status", "progress", "note"):
            form.field_problem(field, row.id)


def changes(measures, loaded: dict) -> list[dict]:
    """Every measure on the page whose status or progress changed, or that got a note."""
    changed = []
    for row in measures.itertuples():
        before = loaded[row.id]
        status, progress = st.session_state[key("status", row.id)], st.session_state[key("progress", row.id)]
        note = (st.session_state.get(key("note", row.id)) or "").strip()
        if status != before["status"] or progress != before["progress"] or note:
            changed.append(
                {
                    "measure_id": row.id,
                    "expected_version": before["version"],
                    "status": status,
                    "progress": progress,
                    "note": note,
                    "note_is_public": not st.session_state.get(key("internal", row.id), False),
                }
            )
    return changed


def saved(versions: dict) -> tuple[str, dict]:
    """The saved measures load again with empty notes."""
    for measure_id in versions:
        form.forget(measure_id)
        for field in ("status", "progress", "note", "internal"):
            st.session_state.pop(key(field, measure_id), None)
    return "weekly.saved", {"count": len(versions)}


st.title(tr("nav.weekly"))
programme = required_programme()
lang = text.lang()
form.show_notice()

themes = data.run("programme_themes", programme_id=int(programme.name), lang=lang)
theme_names = dict(zip(themes["id"], themes["name"], strict=True))
theme_id = select_or_none(tr("weekly.theme_filter"), theme_names, tr("weekly.all_themes"), key="weekly_theme")
include_closed = st.checkbox(tr("weekly.include_closed"), key="weekly_include_closed")
measures = data.run(
    "workspace_measures",
    programme_id=int(programme.name),
    lang=lang,
    theme_id=theme_id,
    include_closed=include_closed,
)
st.caption(tr("weekly.intro"))
if measures.empty:
    st.info(tr("overview.no_measures"))
    st.stop()
codes = dict(zip(measures["id"], measures["code"], strict=True))
measures = on_page(measures)

loaded = st.session_state.setdefault(form.slot("loaded"), {})
for row in measures.itertuples():
    if row.id not in loaded:
        loaded[row.id] = {"status": row.status, "progress": int(row.progress), "version": int(row.version)}
    st.session_state.setdefault(key("status", row.id), loaded[row.id]["status"])
    st.session_state.setdefault(key("progress", row.id), loaded[row.id]["progress"])

form.show_last_save(
    {"status": tr("field.status"), "progress": tr("field.progress")},
    {"status": lambda code: i18n.status_label(code, lang) if code else tr("form.empty_value")},
    heading=lambda conflict: codes.get(conflict.entity_id, ""),
    summary=False,
)

with st.form("weekly_form"):
    for row in measures.itertuples():
        measure_row(row)
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")

if submitted:
    changed = changes(measures, loaded)
    if not changed:
        form.forget_last_save()
        st.info(tr("form.nothing_changed"))
        st.stop()
    form.save(lambda: write.measures.update_measures(data.connection(), session.caller(), changed), saved=saved)
