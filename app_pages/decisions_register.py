"""Decision register: add and edit decisions (body, date, §, case number,
title, outcome, unanimous, link, text) and link each to its measures."""

from datetime import date

import streamlit as st

from app_pages import common
from app_pages.common import tr
from tracker import rules, write
from tracker.errors import ConflictError, ValidationError

PREFIX = "decisions_"
LOADED = PREFIX + "loaded"
PROBLEMS = PREFIX + "problems"
CONFLICT = PREFIX + "conflict"
NOTICE = PREFIX + "notice"
TEXTS = tuple(write.decisions.DECISION_TEXT_FIELDS)
FIELDS = (*TEXTS, "decided_on", "section", "outcome", "unanimous", "measures")
UNANIMITY = (None, True, False)


def as_widget(field: str, value):
    if field in TEXTS:
        return value or ""
    return value


def load(row: dict | None, measure_ids: list[int]) -> None:
    row = dict(row or {"outcome": "approved"})
    row["measures"] = measure_ids
    for field in FIELDS:
        st.session_state[PREFIX + field] = as_widget(field, row.get(field))
    st.session_state[LOADED] = row
    st.session_state.pop(PROBLEMS, None)
    st.session_state.pop(CONFLICT, None)


def reload_decision(decision_id: int) -> None:
    linked = common.run("workspace_decision_measures", decision_id=decision_id)["measure_id"].astype(int).tolist()
    load(write.decisions.read_decision(common.connection(), decision_id), linked)


def build_on_latest(current: dict) -> None:
    loaded = st.session_state[LOADED]
    for field in FIELDS:
        if field in current and st.session_state.get(PREFIX + field) == as_widget(field, loaded.get(field)):
            st.session_state[PREFIX + field] = as_widget(field, current.get(field))
    st.session_state[LOADED] = {**loaded, **current}
    st.session_state.pop(CONFLICT, None)


labels = {field: tr(f"field.{field}") for field in FIELDS}
st.title(tr("nav.decisions_register"))
programme = common.selected_programme()
if programme is None:
    st.info(tr("app.no_data"))
    st.stop()
lang = common.lang()
organisation_id = int(programme["organisation_id"])
if notice := st.session_state.pop(NOTICE, None):
    st.success(tr(notice))

decisions = common.run("workspace_decisions", organisation_id=organisation_id)
names = {}
for row in decisions.itertuples():
    when = common.fmt_date(row.decided_on) or tr("measure.decision_undated")
    section = "" if common.missing(row.section) else f" § {int(row.section)}"
    names[int(row.id)] = f"{row.body} {when}{section} – {row.title or ''}".strip(" –")
if decisions.empty:
    st.caption(tr("decisions.none"))
else:
    st.dataframe(
        {
            tr("field.body"): decisions["body"],
            tr("field.decided_on"): [common.fmt_date(v) for v in decisions["decided_on"]],
            tr("field.section"): [("" if common.missing(v) else f"§ {int(v)}") for v in decisions["section"]],
            tr("field.title"): decisions["title"].fillna(""),
            tr("field.outcome"): [tr(f"outcome.{v}") for v in decisions["outcome"]],
            tr("field.measures"): decisions["linked_measures"],
        },
        hide_index=True,
        width="stretch",
    )
if (created := st.session_state.pop(PREFIX + "created", None)) is not None:
    st.session_state[PREFIX + "choice"] = created
decision_id = st.selectbox(
    tr("decisions.choose"),
    [None, *names],
    format_func=lambda value: tr("decisions.new") if value is None else names[value],
    key=PREFIX + "choice",
    placeholder=tr("app.choose"),
)
if LOADED not in st.session_state or st.session_state[LOADED].get("id") != decision_id:
    if decision_id is None:
        load(None, [])
    else:
        reload_decision(decision_id)
loaded = st.session_state[LOADED]

conflict = st.session_state.get(CONFLICT)
if conflict:
    common.show_conflict(conflict, loaded, labels, {"outcome": lambda v: tr(f"outcome.{v}") if v else ""})
    keep, discard = st.columns(2)
    keep.button(tr("form.keep_mine"), on_click=build_on_latest, args=(conflict.current,), type="primary")
    discard.button(tr("form.discard_mine"), on_click=reload_decision, args=(decision_id,))
problems = st.session_state.get(PROBLEMS, {})
if problems:
    common.show_problems(problems, labels)

choices = common.run("workspace_measure_choices", programme_id=int(programme.name), lang=lang, include_archived=True)
measure_names = {int(row.id): f"{row.code} {row.title}" for row in choices.itertuples()}

with st.form(PREFIX + "form"):
    body_col, date_col, section_col = st.columns([3, 2, 1])
    with body_col:
        st.text_input(labels["body"], key=PREFIX + "body", max_chars=rules.NAME_MAX, placeholder="Kaupunginhallitus")
        common.field_problem(problems, "body")
    with date_col:
        st.date_input(
            labels["decided_on"],
            key=PREFIX + "decided_on",
            min_value=date(rules.MIN_YEAR, 1, 1),
            max_value=date(rules.MAX_YEAR, 12, 31),
            format="DD.MM.YYYY",
        )
        common.field_problem(problems, "decided_on")
    with section_col:
        st.number_input(labels["section"], min_value=1, max_value=rules.SECTION_MAX, step=1, key=PREFIX + "section")
        common.field_problem(problems, "section")
    case_col, outcome_col, unanimous_col = st.columns(3)
    with case_col:
        st.text_input(
            labels["case_number"],
            key=PREFIX + "case_number",
            max_chars=write.decisions.DECISION_TEXT_FIELDS["case_number"][0],
        )
        common.field_problem(problems, "case_number")
    with outcome_col:
        st.selectbox(
            labels["outcome"],
            rules.OUTCOMES,
            format_func=lambda v: tr(f"outcome.{v}"),
            key=PREFIX + "outcome",
            placeholder=tr("app.choose"),
        )
        common.field_problem(problems, "outcome")
    with unanimous_col:
        st.selectbox(
            labels["unanimous"],
            UNANIMITY,
            format_func=lambda v: tr("form.empty_value") if v is None else tr("form.yes" if v else "form.no"),
            key=PREFIX + "unanimous",
            placeholder=tr("app.choose"),
        )
    for field in ("title", "url"):
        st.text_input(labels[field], key=PREFIX + field, max_chars=write.decisions.DECISION_TEXT_FIELDS[field][0])
        common.field_problem(problems, field)
    st.text_area(labels["text"], key=PREFIX + "text", height=160)
    common.field_problem(problems, "text")
    st.multiselect(
        labels["measures"],
        list(measure_names),
        format_func=measure_names.get,
        key=PREFIX + "measures",
        placeholder=tr("app.choose_many"),
    )
    common.field_problem(problems, "measures")
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")

if submitted:
    fields = {field: st.session_state.get(PREFIX + field) for field in FIELDS}
    measure_ids = fields.pop("measures") or []
    st.session_state.pop(PROBLEMS, None)
    st.session_state.pop(CONFLICT, None)
    con, who = common.connection(), common.caller()
    try:
        if decision_id is None:
            new_id = write.decisions.add_decision(con, who, organisation_id, fields, measure_ids=measure_ids)
            st.session_state[PREFIX + "created"] = new_id
        else:
            write.decisions.save_decision(
                con, who, decision_id, fields, expected_version=loaded["version"], measure_ids=measure_ids
            )
    except ValidationError as invalid:
        st.session_state[PROBLEMS] = invalid.problems
    except ConflictError as error:
        st.session_state[CONFLICT] = error
    else:
        st.session_state.pop(LOADED, None)
        st.session_state[NOTICE] = "form.saved"
    st.rerun()
