"""Decision register: add and edit decisions (body, date, §, case number,
title, outcome, unanimous, link, text) and link each to its measures."""

from datetime import date

import streamlit as st

from tracker import rules, write
from ui import data, session, text
from ui.formats import cell_text, fmt_date, missing
from ui.forms import EditForm, select_or_none
from ui.programme import required_programme
from ui.text import tr

PREFIX = "decisions_"
TEXTS = tuple(write.decisions.DECISION_TEXT_FIELDS)
FIELDS = (*TEXTS, "decided_on", "section", "outcome", "unanimous", "measures")
UNANIMITY = (None, True, False)
DATE_RANGE = {
    "min_value": date(rules.MIN_YEAR, 1, 1),
    "max_value": date(rules.MAX_YEAR, 12, 31),
    "format": "DD.MM.YYYY",
}


def as_widget(field: str, value):
    if field in TEXTS:
        return value or ""
    return value


form = EditForm(PREFIX, FIELDS, as_widget)


def reload_decision(decision_id: int | None) -> None:
    """Put a decision with its linked measures (or, for None, an empty form) on screen."""
    if decision_id is None:
        form.load({"outcome": "approved", "measures": []})
        return
    linked = data.run("workspace_decision_measures", decision_id=decision_id)["measure_id"].astype(int).tolist()
    form.load({**write.decisions.read_decision(data.connection(), decision_id), "measures": linked})


def decision_name(row) -> str:
    when = fmt_date(row.decided_on) or tr("measure.decision_undated")
    section = "" if missing(row.section) else f" § {int(row.section)}"
    return f"{row.body} {when}{section} – {cell_text(row.title)}".strip(" –")


def show_register(decisions) -> None:
    if decisions.empty:
        st.caption(tr("decisions.none"))
        return
    st.dataframe(
        {
            tr("field.body"): decisions["body"],
            tr("field.decided_on"): [fmt_date(v) for v in decisions["decided_on"]],
            tr("field.section"): [("" if missing(v) else f"§ {int(v)}") for v in decisions["section"]],
            tr("field.title"): decisions["title"].fillna(""),
            tr("field.outcome"): [tr(f"outcome.{v}") for v in decisions["outcome"]],
            tr("field.measures"): decisions["linked_measures"],
        },
        hide_index=True,
        width="stretch",
    )


def decision_fields(measure_names: dict) -> None:
    """The decision's widgets, each with the problem the last save found in it."""
    body_col, date_col, section_col = st.columns([3, 2, 1])
    form.widget(
        st.text_input,
        "body",
        labels["body"],
        within=body_col,
        max_chars=rules.NAME_MAX,
        placeholder=tr("decisions.body_placeholder"),
    )
    form.widget(st.date_input, "decided_on", labels["decided_on"], within=date_col, **DATE_RANGE)
    form.whole_number("section", labels["section"], 1, rules.SECTION_MAX, within=section_col)
    case_col, outcome_col, unanimous_col = st.columns(3)
    form.widget(
        st.text_input,
        "case_number",
        labels["case_number"],
        within=case_col,
        max_chars=write.decisions.DECISION_TEXT_FIELDS["case_number"][0],
    )
    outcomes = {outcome: tr(f"outcome.{outcome}") for outcome in rules.OUTCOMES}
    form.choice("outcome", labels["outcome"], outcomes, within=outcome_col)
    with unanimous_col:
        st.selectbox(
            labels["unanimous"],
            UNANIMITY,
            format_func=lambda v: tr("form.empty_value") if v is None else tr("form.yes" if v else "form.no"),
            key=form.key("unanimous"),
            placeholder=tr("app.choose"),
        )
    for field in ("title", "url"):
        form.widget(st.text_input, field, labels[field], max_chars=write.decisions.DECISION_TEXT_FIELDS[field][0])
    form.widget(st.text_area, "text", labels["text"], height=160)
    form.widget(
        st.multiselect,
        "measures",
        labels["measures"],
        options=list(measure_names),
        format_func=measure_names.get,
        placeholder=tr("app.choose_many"),
    )


labels = {field: tr(f"field.{field}") for field in FIELDS}
st.title(tr("nav.decisions_register"))
programme = required_programme()
lang = text.lang()
organisation_id = int(programme["organisation_id"])

decisions = data.run("workspace_decisions", organisation_id=organisation_id)
show_register(decisions)
form.choose_created(PREFIX + "choice")
names = {int(row.id): decision_name(row) for row in decisions.itertuples()}
decision_id = select_or_none(tr("decisions.choose"), names, tr("decisions.new"), key=PREFIX + "choice")
if form.loaded() is None or form.loaded().get("id") != decision_id:
    reload_decision(decision_id)
loaded = form.loaded()

choices = data.run("workspace_measure_choices", programme_id=int(programme.name), lang=lang, include_archived=True)
with st.form(PREFIX + "form"):
    decision_fields({int(row.id): f"{row.code} {row.title}" for row in choices.itertuples()})
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
form.show_outcome(
    labels, {"outcome": lambda v: tr(f"outcome.{v}") if v else ""}, discard=lambda: reload_decision(decision_id)
)

if submitted:
    fields = form.values()
    measure_ids = fields.pop("measures") or []
    con, who = data.connection(), session.caller()
    if decision_id is None:
        form.save(
            lambda: write.decisions.add_decision(con, who, organisation_id, fields, measure_ids=measure_ids),
            creates=True,
        )
    else:
        form.save(
            lambda: write.decisions.save_decision(
                con, who, decision_id, fields, expected_version=loaded["version"], measure_ids=measure_ids
            )
        )
