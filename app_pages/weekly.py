"""Weekly update: the programme's measures, least recently updated first,
each with status, progress and a dated note (public or internal), saved for
many measures in one go."""

import math

import streamlit as st

from app_pages import common
from app_pages.common import esc, tr
from tracker import i18n, rules, write
from tracker.errors import ConflictError, ValidationError
from tracker.status import STATUSES

LOADED = "weekly_loaded"  # measure id -> the status, progress and version this screen loaded
PROBLEMS = "weekly_problems"
CONFLICT = "weekly_conflict"
DONE = "weekly_done"
PAGE_SIZE = 20
FIELDS = ("status", "progress")


def key(field: str, measure_id: int) -> str:
    return f"weekly_{field}_{measure_id}"


def build_on_latest(measure_id: int, current: dict) -> None:
    """After a conflict: take the other person's values wherever this user
    changed nothing, keep what this user typed, and save over the new version."""
    loaded = st.session_state[LOADED][measure_id]
    for field in FIELDS:
        if st.session_state.get(key(field, measure_id)) == loaded[field]:
            st.session_state[key(field, measure_id)] = current[field]
    st.session_state[LOADED][measure_id] = {field: current[field] for field in (*FIELDS, "version")}
    st.session_state.pop(CONFLICT, None)


st.title(tr("nav.weekly"))
programme = common.selected_programme()
if programme is None:
    st.info(tr("app.no_data"))
    st.stop()
lang = common.lang()
if done := st.session_state.pop(DONE, None):
    st.success(tr("weekly.saved", count=done))

themes = common.run("programme_themes", programme_id=int(programme.name), lang=lang)
theme_names = dict(zip(themes["id"], themes["name"], strict=True))
theme_id = st.selectbox(
    tr("weekly.theme_filter"),
    [None, *theme_names],
    format_func=lambda value: tr("weekly.all_themes") if value is None else theme_names[value],
    key="weekly_theme",
    placeholder=tr("app.choose"),
)
include_closed = st.checkbox(tr("weekly.include_closed"), key="weekly_include_closed")
measures = common.run(
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

# The rows keep the order this screen first showed them in: when someone saves
# meanwhile, their measure must not jump to another page under a pending edit.
first_seen = {measure_id: index for index, measure_id in enumerate(st.session_state.get(LOADED, {}))}
measures = measures.assign(
    first_seen=[first_seen.get(measure_id, len(first_seen) + n) for n, measure_id in enumerate(measures["id"])]
).sort_values("first_seen", kind="stable")

# A page of measures at a time: a programme may have hundreds open, and every
# measure is four widgets. The stalest come first, so page 1 is the week's work.
pages = math.ceil(len(measures) / PAGE_SIZE)
if pages > 1:
    page = st.number_input(tr("weekly.page"), min_value=1, max_value=pages, step=1, key="weekly_page")
    first = (page - 1) * PAGE_SIZE
    st.caption(tr("weekly.page_rows", first=first + 1, last=min(first + PAGE_SIZE, len(measures)), total=len(measures)))
    measures = measures.iloc[first : first + PAGE_SIZE]

loaded = st.session_state.setdefault(LOADED, {})
for row in measures.itertuples():
    if row.id not in loaded:
        loaded[row.id] = {"status": row.status, "progress": int(row.progress), "version": int(row.version)}
    st.session_state.setdefault(key("status", row.id), loaded[row.id]["status"])
    st.session_state.setdefault(key("progress", row.id), loaded[row.id]["progress"])

problems = st.session_state.get(PROBLEMS, {})
conflict = st.session_state.get(CONFLICT)
if conflict:
    error, measure_code = conflict
    st.markdown(f"**{esc(measure_code)}**")
    labels = {"status": tr("field.status"), "progress": tr("field.progress")}
    common.show_conflict(
        error,
        loaded[error.entity_id],
        labels,
        {"status": lambda code: i18n.status_label(code, lang) if code else tr("form.empty_value")},
    )
    st.button(
        tr("form.keep_mine"),
        on_click=build_on_latest,
        args=(error.entity_id, error.current),
        key="weekly_keep_mine",
        type="primary",
    )

with st.form("weekly_form"):
    for row in measures.itertuples():
        with st.container(border=True):
            st.markdown(f"**{esc(row.code)} {esc(row.title)}**")
            st.caption(f"{esc(row.theme)} · {tr('weekly.updated', date=common.fmt_date(row.updated_at))}")
            status_col, progress_col, note_col, internal_col = st.columns([2, 1, 4, 1], vertical_alignment="bottom")
            status_col.selectbox(
                tr("field.status"),
                STATUSES,
                format_func=common.status_text,
                key=key("status", row.id),
                placeholder=tr("app.choose"),
            )
            progress_col.number_input(tr("field.progress"), 0, 100, step=5, key=key("progress", row.id))
            note_col.text_input(tr("field.note"), key=key("note", row.id), max_chars=rules.NOTE_MAX)
            internal_col.checkbox(tr("field.note_internal"), key=key("internal", row.id))
            for field in ("status", "progress", "note"):
                common.field_problem(problems, f"{row.id}.{field}")
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")

if submitted:
    changes = []
    for row in measures.itertuples():
        before = loaded[row.id]
        status = st.session_state[key("status", row.id)]
        progress = st.session_state[key("progress", row.id)]
        note = (st.session_state.get(key("note", row.id)) or "").strip()
        if status != before["status"] or progress != before["progress"] or note:
            changes.append(
                {
                    "measure_id": row.id,
                    "expected_version": before["version"],
                    "status": status,
                    "progress": progress,
                    "note": note,
                    "note_is_public": not st.session_state.get(key("internal", row.id), False),
                }
            )
    st.session_state.pop(PROBLEMS, None)
    st.session_state.pop(CONFLICT, None)
    if not changes:
        st.info(tr("form.nothing_changed"))
        st.stop()
    try:
        versions = write.measures.update_measures(common.connection(), common.caller(), changes)
    except ValidationError as invalid:
        st.session_state[PROBLEMS] = invalid.problems
    except ConflictError as error:
        codes = dict(zip(measures["id"], measures["code"], strict=True))
        st.session_state[CONFLICT] = (error, codes.get(error.entity_id, ""))
    else:
        for measure_id in versions:
            loaded.pop(measure_id, None)
            for field in ("status", "progress", "note", "internal"):
                st.session_state.pop(key(field, measure_id), None)
        st.session_state[DONE] = len(versions)
    st.rerun()
