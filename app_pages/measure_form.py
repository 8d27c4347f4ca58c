"""Measure form: titles and descriptions in fi/sv/en, theme, code, responsible
unit, contact, dates, continuous, published and the internal note; create a
new measure, archive one (never delete) or bring it back."""

from datetime import date

import streamlit as st

from app_pages import common
from app_pages.common import tr
from tracker import rules, write
from tracker.errors import ConflictError, ValidationError

PREFIX = "measureform_"
LOADED = PREFIX + "loaded"  # the row as the form loaded it, with its version
PROBLEMS = PREFIX + "problems"
CONFLICT = PREFIX + "conflict"
NOTICE = PREFIX + "notice"
TEXTS = list(write.measures.MEASURE_TEXT_FIELDS)
LONG_TEXTS = {"description_fi", "description_sv", "description_en", "internal_note"}
FIELDS = list(write.measures.MEASURE_EDITABLE)
EMPTY = {"is_continuous": False, "is_published": True}


def labels() -> dict[str, str]:
    return {field: tr(f"field.{field}") for field in FIELDS}


def as_widget(field: str, value):
    """A stored value as its widget holds it (text inputs hold "" for nothing)."""
    if field in TEXTS:
        return "" if value is None else str(value)
    return value


def load(row: dict | None) -> None:
    """Put a measure (or an empty form) on screen, replacing any input."""
    row = row or {}
    for field in FIELDS:
        st.session_state[PREFIX + field] = as_widget(field, row.get(field, EMPTY.get(field)))
    st.session_state[LOADED] = dict(row)
    st.session_state.pop(PROBLEMS, None)
    st.session_state.pop(CONFLICT, None)


def build_on_latest(current: dict) -> None:
    """Keep what this user changed; take the other person's values elsewhere."""
    loaded = st.session_state[LOADED]
    for field in FIELDS:
        if st.session_state.get(PREFIX + field) == as_widget(field, loaded.get(field)):
            st.session_state[PREFIX + field] = as_widget(field, current.get(field))
    st.session_state[LOADED] = {**loaded, **{k: current[k] for k in current if k in FIELDS or k == "version"}}
    st.session_state.pop(CONFLICT, None)


def reload_from_database(measure_id: int) -> None:
    load(write.measures.read_measure(common.connection(), measure_id))


st.title(tr("nav.measure_form"))
programme = common.selected_programme()
if programme is None:
    st.info(tr("app.no_data"))
    st.stop()
lang = common.lang()
programme_id = int(programme.name)
if notice := st.session_state.pop(NOTICE, None):
    st.success(tr(notice))

choices = common.run("workspace_measure_choices", programme_id=programme_id, lang=lang, include_archived=True)
names = {
    int(row.id): f"{row.code} {row.title}" + (f" ({tr('measureform.archived')})" if row.is_archived else "")
    for row in choices.itertuples()
}
if (created := st.session_state.pop(PREFIX + "created", None)) is not None:
    st.session_state[PREFIX + "choice"] = created
measure_id = st.selectbox(
    tr("measureform.choose"),
    [None, *names],
    format_func=lambda value: tr("measureform.new") if value is None else names[value],
    key=PREFIX + "choice",
    placeholder=tr("app.choose"),
)
if st.session_state.get(LOADED, {}).get("id") != measure_id or LOADED not in st.session_state:
    if measure_id is None:
        load(None)
    else:
        reload_from_database(measure_id)
loaded = st.session_state[LOADED]

conflict = st.session_state.get(CONFLICT)
if conflict:
    common.show_conflict(conflict, loaded, labels())
    keep, discard = st.columns(2)
    keep.button(tr("form.keep_mine"), on_click=build_on_latest, args=(conflict.current,), type="primary")
    discard.button(tr("form.discard_mine"), on_click=reload_from_database, args=(measure_id,))

themes = common.run("programme_themes", programme_id=programme_id, lang=lang)
theme_names = {int(row.id): row.name for row in themes.itertuples()}
problems = st.session_state.get(PROBLEMS, {})
if problems:
    common.show_problems(problems, labels())


def text_field(field: str, container=None) -> None:
    with container or st.container():
        limit = write.measures.MEASURE_TEXT_FIELDS[field][0]
        widget = st.text_area if field in LONG_TEXTS else st.text_input
        widget(tr(f"field.{field}"), key=PREFIX + field, max_chars=limit)
        common.field_problem(problems, field)


with st.form(PREFIX + "form"):
    code_col, theme_col = st.columns([1, 3])
    text_field("code", code_col)
    theme_col.selectbox(
        tr("field.theme_id"),
        list(theme_names),
        format_func=theme_names.get,
        key=PREFIX + "theme_id",
        placeholder=tr("app.choose"),
    )
    with theme_col:
        common.field_problem(problems, "theme_id")
    for language in ("fi", "sv", "en"):
        text_field(f"title_{language}")
    for language in ("fi", "sv", "en"):
        text_field(f"description_{language}")
    unit_col, contact_col, email_col = st.columns(3)
    text_field("responsible_unit", unit_col)
    text_field("contact_name", contact_col)
    text_field("contact_email", email_col)
    start_col, end_col, phase_col = st.columns(3)
    for field, column in (("start_date", start_col), ("end_date", end_col)):
        column.date_input(
            tr(f"field.{field}"),
            key=PREFIX + field,
            min_value=date(rules.MIN_YEAR, 1, 1),
            max_value=date(rules.MAX_YEAR, 12, 31),
            format="DD.MM.YYYY",
        )
        with column:
            common.field_problem(problems, field)
    text_field("phase", phase_col)
    st.checkbox(tr("field.is_continuous"), key=PREFIX + "is_continuous")
    st.checkbox(tr("field.is_published"), key=PREFIX + "is_published")
    text_field("internal_note")
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")

if submitted:
    fields = {field: st.session_state.get(PREFIX + field) for field in FIELDS}
    st.session_state.pop(PROBLEMS, None)
    st.session_state.pop(CONFLICT, None)
    try:
        if measure_id is None:
            new_id = write.measures.create_measure(common.connection(), common.caller(), programme_id, fields)
            st.session_state[PREFIX + "created"] = new_id
            st.session_state.pop(LOADED, None)
        else:
            write.measures.save_measure(
                common.connection(), common.caller(), measure_id, fields, expected_version=loaded["version"]
            )
            st.session_state.pop(LOADED, None)
    except ValidationError as invalid:
        st.session_state[PROBLEMS] = invalid.problems
    except ConflictError as error:
        st.session_state[CONFLICT] = error
    else:
        st.session_state[NOTICE] = "form.saved"
    st.rerun()

if measure_id is not None:
    st.divider()
    archived = not common.missing(loaded.get("archived_at"))
    st.caption(tr("measureform.archive_help"))
    label = tr("measureform.restore") if archived else tr("measureform.archive")
    if st.button(label, icon=":material/archive:", key=PREFIX + "archive"):
        try:
            write.measures.archive_measure(
                common.connection(), common.caller(), measure_id, expected_version=loaded["version"], restore=archived
            )
        except ConflictError as error:
            st.session_state[CONFLICT] = error
        else:
            st.session_state.pop(LOADED, None)
            st.session_state[NOTICE] = "measureform.restored" if archived else "measureform.archived_done"
        st.rerun()
