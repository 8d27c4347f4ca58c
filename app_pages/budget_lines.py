"""Budget lines: a measure's money per year and cost centre (planned, actual,
funding source, note) to add, edit and remove; below, the cost centres."""

import streamlit as st

from app_pages import common
from app_pages.common import tr
from tracker import rules, write
from tracker.errors import ConflictError, NotFound, ValidationError

PREFIX = "budget_"
LOADED = PREFIX + "loaded"
PROBLEMS = PREFIX + "problems"
CONFLICT = PREFIX + "conflict"
NOTICE = PREFIX + "notice"
FIELDS = ("year", "cost_centre_id", "planned_eur", "actual_eur", "funding_source", "note")
MONEY = ("planned_eur", "actual_eur")


def as_widget(field: str, value):
    if field in MONEY:
        if value is None:
            return ""
        text = f"{value:.2f}"
        return text if common.lang() == "en" else text.replace(".", ",")
    if field in ("funding_source", "note"):
        return value or ""
    return value


def load(row: dict | None) -> None:
    row = row or {}
    for field in FIELDS:
        st.session_state[PREFIX + field] = as_widget(field, row.get(field))
    st.session_state[LOADED] = dict(row)
    st.session_state.pop(PROBLEMS, None)
    st.session_state.pop(CONFLICT, None)


def reload_line(line_id: int) -> None:
    try:
        load(write.budget.read_budget_line(common.connection(), line_id))
    except NotFound:
        st.session_state[PREFIX + "line"] = None
        load(None)


def build_on_latest(current: dict) -> None:
    loaded = st.session_state[LOADED]
    for field in FIELDS:
        if st.session_state.get(PREFIX + field) == as_widget(field, loaded.get(field)):
            st.session_state[PREFIX + field] = as_widget(field, current.get(field))
    st.session_state[LOADED] = dict(current)
    st.session_state.pop(CONFLICT, None)


# A budget line's note is a plain remark, not the "what was done" note of a status update.
labels = {field: tr("column.note" if field == "note" else f"field.{field}") for field in FIELDS}
st.title(tr("nav.budget_lines"))
programme = common.selected_programme()
if programme is None:
    st.info(tr("app.no_data"))
    st.stop()
lang = common.lang()
if notice := st.session_state.pop(NOTICE, None):
    st.success(tr(notice))
if warning := st.session_state.pop(PREFIX + "warning", None):
    st.warning(tr(warning))

choices = common.run("workspace_measure_choices", programme_id=int(programme.name), lang=lang, include_archived=False)
names = {int(row.id): f"{row.code} {row.title}" for row in choices.itertuples()}
centres = common.run("workspace_cost_centres", organisation_id=int(programme["organisation_id"]))
centre_names = {int(row.id): f"{row.code} {row.name or ''}".strip() for row in centres.itertuples()}

if names:
    measure_id = st.selectbox(
        tr("measureform.choose"),
        list(names),
        format_func=names.get,
        key=PREFIX + "measure",
        placeholder=tr("app.choose"),
    )
    lines = common.run("workspace_budget_lines", measure_id=measure_id)
    if lines.empty:
        st.caption(tr("measure.money_none"))
    else:
        st.dataframe(
            {
                tr("column.year"): lines["year"].astype(str),
                tr("column.cost_centre"): lines["cost_centre"] + " " + lines["cost_centre_name"].fillna(""),
                tr("column.planned"): [common.fmt_eur(v) for v in lines["planned_eur"]],
                tr("column.actual"): [common.fmt_eur(v) for v in lines["actual_eur"]],
                tr("field.funding_source"): lines["funding_source"].fillna(""),
                labels["note"]: lines["note"].fillna(""),
            },
            hide_index=True,
            width="stretch",
        )
    line_names = {
        int(row.id): f"{row.year} · {row.cost_centre} · {common.fmt_eur(row.planned_eur)}" for row in lines.itertuples()
    }
    if st.session_state.get(PREFIX + "line") not in (None, *line_names):
        st.session_state[PREFIX + "line"] = None
    line_id = st.selectbox(
        tr("budget.choose_line"),
        [None, *line_names],
        format_func=lambda value: tr("budget.new_line") if value is None else line_names[value],
        key=PREFIX + "line",
        placeholder=tr("app.choose"),
    )
    wanted = (measure_id, line_id)
    if st.session_state.get(PREFIX + "loaded_for") != wanted or LOADED not in st.session_state:
        if line_id is None:
            load(None)
        else:
            reload_line(line_id)
        st.session_state[PREFIX + "loaded_for"] = wanted
    loaded = st.session_state[LOADED]

    conflict = st.session_state.get(CONFLICT)
    if conflict:
        common.show_conflict(conflict, loaded, labels, {"cost_centre_id": lambda v: centre_names.get(v, "")})
        keep, discard = st.columns(2)
        keep.button(tr("form.keep_mine"), on_click=build_on_latest, args=(conflict.current,), type="primary")
        discard.button(tr("form.discard_mine"), on_click=reload_line, args=(line_id,))
    problems = st.session_state.get(PROBLEMS, {})
    if problems:
        common.show_problems(problems, labels)

    with st.form(PREFIX + "form"):
        year_col, centre_col = st.columns(2)
        with year_col:
            st.number_input(
                labels["year"], min_value=rules.MIN_YEAR, max_value=rules.MAX_YEAR, step=1, key=PREFIX + "year"
            )
            common.field_problem(problems, "year")
        with centre_col:
            st.selectbox(
                labels["cost_centre_id"],
                list(centre_names),
                format_func=centre_names.get,
                key=PREFIX + "cost_centre_id",
                placeholder=tr("app.choose"),
            )
            common.field_problem(problems, "cost_centre_id")
        planned_col, actual_col = st.columns(2)
        for field, column in (("planned_eur", planned_col), ("actual_eur", actual_col)):
            with column:
                st.text_input(labels[field], key=PREFIX + field, placeholder="1200,00")
                common.field_problem(problems, field)
        st.text_input(labels["funding_source"], key=PREFIX + "funding_source", max_chars=rules.NAME_MAX)
        common.field_problem(problems, "funding_source")
        st.text_area(labels["note"], key=PREFIX + "note", max_chars=rules.BUDGET_NOTE_MAX)
        common.field_problem(problems, "note")
        submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")

    if submitted:
        fields = {field: st.session_state.get(PREFIX + field) for field in FIELDS}
        st.session_state.pop(PROBLEMS, None)
        st.session_state.pop(CONFLICT, None)
        try:
            if line_id is None:
                write.budget.add_budget_line(common.connection(), common.caller(), measure_id, fields)
            else:
                write.budget.save_budget_line(
                    common.connection(), common.caller(), line_id, fields, expected_version=loaded["version"]
                )
        except ValidationError as invalid:
            st.session_state[PROBLEMS] = invalid.problems
        except ConflictError as error:
            st.session_state[CONFLICT] = error
        else:
            st.session_state.pop(LOADED, None)
            st.session_state[NOTICE] = "form.saved"
        st.rerun()

    if line_id is not None:
        confirm = st.checkbox(tr("form.confirm_remove"), key=PREFIX + "confirm_remove")
        if st.button(tr("form.remove"), icon=":material/delete:", disabled=not confirm, key=PREFIX + "remove"):
            try:
                write.budget.remove_budget_line(
                    common.connection(), common.caller(), line_id, expected_version=loaded["version"]
                )
            except ConflictError as error:
                st.session_state[CONFLICT] = error
            except NotFound:
                st.session_state[PREFIX + "warning"] = "error.conflict_deleted"
                st.session_state.pop(LOADED, None)
            else:
                st.session_state.pop(LOADED, None)
                st.session_state[NOTICE] = "form.removed"
            st.rerun()

st.divider()
st.subheader(tr("budget.cost_centres"))
if not centres.empty:
    st.dataframe(
        {
            tr("field.code"): centres["code"],
            tr("field.name"): centres["name"].fillna(""),
            tr("budget.lines_using"): centres["budget_lines"],
        },
        hide_index=True,
        width="stretch",
    )
centre_id = st.selectbox(
    tr("budget.choose_centre"),
    [None, *centre_names],
    format_func=lambda value: tr("budget.new_centre") if value is None else centre_names[value],
    key=PREFIX + "centre",
    placeholder=tr("app.choose"),
)
chosen = centres[centres["id"] == centre_id].iloc[0] if centre_id is not None else None
expected = (
    {}
    if chosen is None
    else {"code": chosen["code"], "name": None if common.missing(chosen["name"]) else chosen["name"]}
)
centre_problems = st.session_state.get(PREFIX + "centre_problems", {})
with st.form(PREFIX + "centre_form"):
    st.text_input(
        tr("field.code"),
        value=expected.get("code") or "",
        key=PREFIX + f"centre_code_{centre_id}",
        max_chars=rules.COST_CENTRE_CODE_MAX,
    )
    common.field_problem(centre_problems, "code")
    st.text_input(
        tr("field.name"),
        value=expected.get("name") or "",
        key=PREFIX + f"centre_name_{centre_id}",
        max_chars=rules.NAME_MAX,
    )
    common.field_problem(centre_problems, "name")
    centre_saved = st.form_submit_button(tr("form.save"), icon=":material/save:")
if centre_saved:
    fields = {
        "code": st.session_state[PREFIX + f"centre_code_{centre_id}"],
        "name": st.session_state[PREFIX + f"centre_name_{centre_id}"],
    }
    st.session_state.pop(PREFIX + "centre_problems", None)
    try:
        if centre_id is None:
            write.budget.add_cost_centre(
                common.connection(), common.caller(), int(programme["organisation_id"]), fields
            )
        else:
            write.budget.save_cost_centre(common.connection(), common.caller(), centre_id, fields, expected=expected)
    except ValidationError as invalid:
        st.session_state[PREFIX + "centre_problems"] = invalid.problems
    except ConflictError:
        st.session_state[PREFIX + "warning"] = "budget.centre_changed"
    else:
        st.session_state[NOTICE] = "form.saved"
    st.rerun()
if centre_id is not None and chosen is not None and int(chosen["budget_lines"]) == 0:
    if st.button(tr("form.remove"), icon=":material/delete:", key=PREFIX + "centre_remove"):
        write.budget.remove_cost_centre(common.connection(), common.caller(), centre_id)
        st.session_state[NOTICE] = "form.removed"
        st.rerun()
