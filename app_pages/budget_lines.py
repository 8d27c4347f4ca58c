"""Budget lines: a measure's money per year and cost centre (planned, actual,
funding source, note) to add, edit and remove; below, the cost centres."""

import streamlit as st

from tracker import rules, write
from tracker.errors import ConflictError, NotFound, ValidationError
from ui import data, session, text
from ui.formats import cell_text, fmt_eur, missing
from ui.forms import EditForm, field_problem, leave_notice, select_or_none, show_notice
from ui.programme import required_programme
from ui.text import tr

# Not "budget_": the budget page's keys start so, and a key shared by two pages leaks a choice from one to the other.
PREFIX = "budgetlines_"
WARNING = PREFIX + "warning"
CENTRE_WARNING = PREFIX + "centre_warning"
CENTRE_NOTICE = PREFIX + "centre_notice"
FIELDS = ("year", "cost_centre_id", "planned_eur", "actual_eur", "funding_source", "note")
MONEY = ("planned_eur", "actual_eur")


def as_widget(field: str, value):
    if field in MONEY:
        if value is None:
            return ""
        amount = f"{value:.2f}"
        return amount if text.lang() == "en" else amount.replace(".", ",")
    if field in ("funding_source", "note"):
        return value or ""
    return value


form = EditForm(PREFIX, FIELDS, as_widget)


def reload_line(line_id: int | None) -> None:
    """Put a budget line (or, for None, an empty form) on screen; a removed line empties the form."""
    try:
        form.load(None if line_id is None else write.budget.read_budget_line(data.connection(), line_id))
    except NotFound:
        st.session_state[PREFIX + "line"] = None
        form.load(None)


def show_lines(lines) -> None:
    if lines.empty:
        st.caption(tr("measure.money_none"))
        return
    st.dataframe(
        {
            tr("column.year"): lines["year"].astype(str),
            tr("column.cost_centre"): lines["cost_centre"] + " " + lines["cost_centre_name"].fillna(""),
            tr("column.planned"): [fmt_eur(v, exact=True) for v in lines["planned_eur"]],
            tr("column.actual"): [fmt_eur(v, exact=True) for v in lines["actual_eur"]],
            tr("field.funding_source"): lines["funding_source"].fillna(""),
            labels["note"]: lines["note"].fillna(""),
        },
        hide_index=True,
        width="stretch",
    )


def line_form(line_id: int | None, measure_id: int, centre_names: dict) -> None:
    """The chosen line (or a new one) in a form, saved over the version loaded; a line can be removed."""
    loaded = form.loaded()
    formats = {"cost_centre_id": lambda v: centre_names.get(v, "")}
    with st.form(PREFIX + "form"):
        year_col, centre_col = st.columns(2)
        form.whole_number("year", labels["year"], rules.MIN_YEAR, rules.MAX_YEAR, within=year_col)
        form.choice("cost_centre_id", labels["cost_centre_id"], centre_names, within=centre_col)
        for field, column in zip(MONEY, st.columns(2), strict=True):
            form.widget(st.text_input, field, labels[field], within=column, placeholder=tr("budget.amount_placeholder"))
        form.widget(st.text_input, "funding_source", labels["funding_source"], max_chars=rules.NAME_MAX)
        form.widget(st.text_area, "note", labels["note"], max_chars=rules.BUDGET_NOTE_MAX)
        submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
    form.show_outcome(labels, formats, discard=lambda: reload_line(line_id))

    con, who = data.connection(), session.caller()
    if submitted:
        fields = form.values()
        if line_id is None:
            form.save(lambda: write.budget.add_budget_line(con, who, measure_id, fields))
        else:
            form.save(
                lambda: write.budget.save_budget_line(con, who, line_id, fields, expected_version=loaded["version"])
            )

    if line_id is not None:
        confirm = st.checkbox(tr("form.confirm_remove"), key=PREFIX + "confirm_remove")
        if st.button(tr("form.remove"), icon=":material/delete:", disabled=not confirm, key=PREFIX + "remove"):

            def remove() -> bool:
                try:
                    write.budget.remove_budget_line(con, who, line_id, expected_version=loaded["version"])
                except NotFound:
                    return False
                return True

            def removed(done: bool) -> str | None:
                form.forget()
                if not done:  # someone removed it first
                    st.session_state[WARNING] = "error.conflict_deleted"
                    return None
                return "form.removed"

            form.save(remove, saved=removed, place="remove")
    # Below the remove button, or where it was when the line is gone.
    form.show_outcome(labels, formats, place="remove", discard=lambda: reload_line(line_id))
    if warning := st.session_state.pop(WARNING, None):
        st.warning(tr(warning))


def cost_centres(centres, centre_names: dict, organisation_id: int) -> None:
    """The organisation's cost centres: add one, rename one, remove one no line uses."""
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
    centre_id = select_or_none(tr("budget.choose_centre"), centre_names, tr("budget.new_centre"), key=PREFIX + "centre")
    chosen = centres[centres["id"] == centre_id].iloc[0] if centre_id is not None else None
    expected = (
        {} if chosen is None else {"code": chosen["code"], "name": None if missing(chosen["name"]) else chosen["name"]}
    )
    problems = st.session_state.get(PREFIX + "centre_problems", {})
    code_key, name_key = PREFIX + f"centre_code_{centre_id}", PREFIX + f"centre_name_{centre_id}"
    with st.form(PREFIX + "centre_form"):
        st.text_input(
            tr("field.code"), value=expected.get("code") or "", key=code_key, max_chars=rules.COST_CENTRE_CODE_MAX
        )
        field_problem(problems, "code")
        st.text_input(tr("field.name"), value=expected.get("name") or "", key=name_key, max_chars=rules.NAME_MAX)
        field_problem(problems, "name")
        centre_saved = st.form_submit_button(tr("form.save"), icon=":material/save:")
    con, who = data.connection(), session.caller()
    if centre_saved:
        fields = {"code": st.session_state[code_key], "name": st.session_state[name_key]}
        st.session_state.pop(PREFIX + "centre_problems", None)
        try:
            if centre_id is None:
                write.budget.add_cost_centre(con, who, organisation_id, fields)
            else:
                write.budget.save_cost_centre(con, who, centre_id, fields, expected=expected)
        except ValidationError as invalid:
            st.session_state[PREFIX + "centre_problems"] = invalid.problems
        except ConflictError:
            st.session_state[CENTRE_WARNING] = "budget.centre_changed"
        else:
            leave_notice(CENTRE_NOTICE, "form.saved")
        st.rerun()
    if centre_id is not None and chosen is not None and int(chosen["budget_lines"]) == 0:
        if st.button(tr("form.remove"), icon=":material/delete:", key=PREFIX + "centre_remove"):
            write.budget.remove_cost_centre(con, who, centre_id)
            leave_notice(CENTRE_NOTICE, "form.removed")
            st.rerun()
    show_notice(CENTRE_NOTICE)
    if warning := st.session_state.pop(CENTRE_WARNING, None):
        st.warning(tr(warning))


# A budget line's note is a plain remark, not the "what was done" note of a status update.
labels = {field: tr("column.note" if field == "note" else f"field.{field}") for field in FIELDS}
st.title(tr("nav.budget_lines"))
programme = required_programme()
lang = text.lang()

choices = data.run("workspace_measure_choices", programme_id=int(programme.name), lang=lang, include_archived=False)
names = {int(row.id): f"{row.code} {row.title}" for row in choices.itertuples()}
centres = data.run("workspace_cost_centres", organisation_id=int(programme["organisation_id"]))
centre_names = {int(row.id): f"{row.code} {cell_text(row.name)}".strip() for row in centres.itertuples()}

if names:
    measure_id = st.selectbox(
        tr("measureform.choose"),
        list(names),
        format_func=names.get,
        key=PREFIX + "measure",
        placeholder=tr("app.choose"),
    )
    lines = data.run("workspace_budget_lines", measure_id=measure_id)
    show_lines(lines)
    line_names = {
        int(row.id): f"{row.year} · {row.cost_centre} · {fmt_eur(row.planned_eur, exact=True)}"
        for row in lines.itertuples()
    }
    if st.session_state.get(PREFIX + "line") not in (None, *line_names):
        st.session_state[PREFIX + "line"] = None
    line_id = select_or_none(tr("budget.choose_line"), line_names, tr("budget.new_line"), key=PREFIX + "line")
    if st.session_state.get(PREFIX + "loaded_for") != (measure_id, line_id) or form.loaded() is None:
        reload_line(line_id)
        st.session_state[PREFIX + "loaded_for"] = (measure_id, line_id)
    line_form(line_id, measure_id, centre_names)

st.divider()
cost_centres(centres, centre_names, int(programme["organisation_id"]))
