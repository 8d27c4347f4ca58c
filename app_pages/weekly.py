"""Weekly update: the programme's measures, least recently updated first,
each with status, progress and a dated note (public or internal), saved for
many measures in one go. A measure the late rule flags because its end date
has passed offers its end date too."""

import math
from datetime import date

import pandas as pd
import streamlit as st

from tracker import i18n, rules, write
from tracker.status import STATUSES
from ui import data, session, text, visit
from ui.badges import status_text
from ui.formats import fmt_date, missing
from ui.forms import EditForm, select_or_none
from ui.programme import required_programme
from ui.text import md, tr, tr_md

PAGE_SIZE = 20
END_DATE_FLOOR, END_DATE_LIMIT = date(rules.MIN_YEAR, 1, 1), date(rules.MAX_YEAR, 12, 31)
# One form for many measures: measure id -> the status, progress, end date and version this screen loaded.
form = EditForm("weekly_", ("status", "progress", "end_date"), records=True)
# The measures in the order this visit first showed them: a saved card stays where it was until the next visit.
ORDER = form.slot("order")
CLEAR = form.slot("clear")


def key(field: str, measure_id: int) -> str:
    return form.key(field, measure_id)


def start_visit() -> None:
    """A new visit loads every card afresh, in the order of the day (stalest first)."""
    for slot in ("loaded", "order"):
        st.session_state.pop(form.slot(slot), None)


def on_page(measures):
    """The rows of the page chosen, in the order this visit first showed them.

    Neither someone else's save nor this user's own moves a card under the
    user's eyes or to another page. A page of measures at a time: a programme
    may have hundreds open, and every measure is four widgets. The stalest come
    first, so page 1 is the week's work."""
    order = st.session_state.setdefault(ORDER, [])
    order.extend(measure_id for measure_id in measures["id"] if measure_id not in set(order))
    position = {measure_id: index for index, measure_id in enumerate(order)}
    measures = measures.assign(first_seen=[position[measure_id] for measure_id in measures["id"]]).sort_values(
        "first_seen", kind="stable"
    )
    pages = math.ceil(len(measures) / PAGE_SIZE)
    if pages > 1:
        page = st.number_input(tr("weekly.page"), min_value=1, max_value=pages, step=1, key="weekly_page")
        first = (page - 1) * PAGE_SIZE
        last = min(first + PAGE_SIZE, len(measures))
        st.caption(tr_md("weekly.page_rows", first=first + 1, last=last, total=len(measures)))
        measures = measures.iloc[first : first + PAGE_SIZE]
    return measures


def measure_row(row) -> None:
    with st.container(border=True, key=f"weekly_card_{row.id}"):
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
        if form.loaded(row.id)["past_end"]:
            # The late rule flags it by its end date: the date is what the coordinator may need to move.
            st.warning(tr("weekly.past_end", date=fmt_date(row.end_date)), icon=":material/event_busy:")
            st.date_input(
                tr("weekly.end_date"),
                key=key("end_date", row.id),
                min_value=END_DATE_FLOOR if missing(row.start_date) else pd.Timestamp(row.start_date).date(),
                max_value=END_DATE_LIMIT,
                format="DD.MM.YYYY",
            )
        for field in ("status", "progress", "note", "end_date"):
            form.field_problem(field, row.id)


def changes(measures, loaded: dict) -> list[dict]:
    """Every measure on the page whose status, progress or end date changed, or that got a note."""
    changed = []
    for row in measures.itertuples():
        before = loaded[row.id]
        status, progress = st.session_state[key("status", row.id)], st.session_state[key("progress", row.id)]
        note = (st.session_state.get(key("note", row.id)) or "").strip()
        change = {}
        if before["past_end"] and st.session_state.get(key("end_date", row.id)) != before["end_date"]:
            change["end_date"] = st.session_state[key("end_date", row.id)]
        if status != before["status"] or progress != before["progress"] or note or change:
            changed.append(
                {
                    "measure_id": row.id,
                    "expected_version": before["version"],
                    "status": status,
                    "progress": progress,
                    "note": note,
                    "note_is_public": not st.session_state.get(key("internal", row.id), False),
                    **change,
                }
            )
    return changed


def saved(versions: dict) -> tuple[str, dict]:
    """The saved measures load again, each card where it was; their notes are emptied
    on the next run (a widget drawn in this run cannot be changed in it)."""
    for measure_id in versions:
        form.forget(measure_id)
        for field in ("status", "progress", "end_date"):
            st.session_state.pop(key(field, measure_id), None)
    st.session_state[CLEAR] = list(versions)
    return "weekly.saved", {"count": len(versions)}


def clear_saved_notes() -> None:
    """Empty the note of every card the last save wrote (the browser shows it emptied too)."""
    for measure_id in st.session_state.pop(CLEAR, []):
        st.session_state[key("note", measure_id)] = ""
        st.session_state[key("internal", measure_id)] = False


st.title(tr("nav.weekly"))
programme = required_programme()
lang = text.lang()
if visit.is_new():
    start_visit()
clear_saved_notes()

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
    keep=list(st.session_state.get(ORDER, [])),
    today=data.today(),
)
st.caption(tr("weekly.intro") + " " + tr("late.rule"))
if measures.empty:
    st.info(tr("overview.no_measures"))
    st.stop()
codes = dict(zip(measures["id"], measures["code"], strict=True))
measures = on_page(measures)

loaded = st.session_state.setdefault(form.slot("loaded"), {})
for row in measures.itertuples():
    if row.id not in loaded:
        loaded[row.id] = {
            "status": row.status,
            "progress": int(row.progress),
            "end_date": None if missing(row.end_date) else pd.Timestamp(row.end_date).date(),
            "past_end": bool(row.past_end),
            "version": int(row.version),
        }
    st.session_state.setdefault(key("status", row.id), loaded[row.id]["status"])
    st.session_state.setdefault(key("progress", row.id), loaded[row.id]["progress"])
    if loaded[row.id]["past_end"]:
        st.session_state.setdefault(key("end_date", row.id), loaded[row.id]["end_date"])

with st.form("weekly_form"):
    for row in measures.itertuples():
        measure_row(row)
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
labels = {
    f"{measure_id}.{field}": f"{code} · {tr(f'field.{field}')}"
    for measure_id, code in codes.items()
    for field in form.fields
}
form.show_outcome(
    labels,
    {
        "status": lambda code: i18n.status_label(code, lang) if code else tr("form.empty_value"),
        "end_date": lambda day: fmt_date(day) or tr("form.empty_value"),
    },
    heading=lambda conflict: codes.get(conflict.entity_id, ""),
)

if submitted:
    changed = changes(measures, loaded)
    if not changed:
        form.forget_last_save()
        st.info(tr("form.nothing_changed"))
        st.stop()
    form.save(lambda: write.measures.update_measures(data.connection(), session.caller(), changed), saved=saved)
