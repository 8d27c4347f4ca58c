"""The indicator page's smaller forms below the indicator itself: its values (one at a
time or imported from a spreadsheet), its dated goals and the measures meant to move it.
Each save keeps its problems beside its fields, or leaves a notice for the next run."""

import pandas as pd
import streamlit as st

from tracker import rules, write
from tracker.errors import UserError
from tracker.outcomes import indicator_sheet
from tracker.present.indicators import period_text, value_text
from tracker.spreadsheet.read import UnusableFile
from ui import data, session
from ui.forms import error_text, field_problem
from ui.indicator_syke import problems_table
from ui.indicators import effect_text
from ui.text import Markdown, lang, md, tr, tr_md

# the indicator page's widget and session-state keys all start with this
PREFIX = "indicatorform_"
MONTHS = list(range(1, 13))


def saved_notice(key: str, **params):
    """What a small save shows on the next run."""
    st.session_state[PREFIX + "small_notice"] = (key, params)


def run_small_save(action, problems_key: str, notice: str, **params) -> None:
    """A goal, value or link save: its problems kept beside its fields, or its notice, then rerun."""
    st.session_state.pop(problems_key, None)
    try:
        action()
    except write.base.ValidationError as invalid:
        st.session_state[problems_key] = invalid.problems
    except UserError as refused:
        st.session_state[problems_key] = {"_": (refused.key, refused.params)}
    else:
        saved_notice(notice, **params)
    st.rerun()


def small_problems(key: str) -> dict:
    problems = st.session_state.get(key, {})
    if "_" in problems:
        st.error(tr_md(problems["_"][0], **problems["_"][1]))
    return problems


def periods(rows: pd.DataFrame) -> list[str]:
    """Each row's year and month in the reader's words."""
    return [period_text(y, m, lang()) for y, m in zip(rows["year"], rows["month"], strict=True)]


def year_field(column, label: Markdown, key: str, problems: dict):
    value = column.number_input(
        label, min_value=rules.MIN_YEAR, max_value=rules.MAX_YEAR, step=1, value=None, key=PREFIX + key
    )
    with column:
        field_problem(problems, "year")
    return value


def month_field(column, key: str, problems: dict):
    value = column.selectbox(
        tr("indicatorform.month"), MONTHS, index=None, key=PREFIX + key, placeholder=tr("app.choose")
    )
    with column:
        field_problem(problems, "month")
    return value


def text_field(column, field: str, label: Markdown, key: str, problems: dict, **options) -> str:
    value = column.text_input(label, key=PREFIX + key, **options)
    with column:
        field_problem(problems, field)
    return value


def removal(label: Markdown, choices: dict, name: str):
    """The row chosen to be removed once its button is pressed, else None."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        label,
        list(choices),
        format_func=choices.get,
        index=None,
        placeholder=tr("app.choose"),
        key=PREFIX + f"{name}_remove_choice",
    )
    pressed = right.button(
        tr("form.remove"), icon=":material/delete:", disabled=chosen is None, key=PREFIX + f"{name}_remove"
    )
    return chosen if pressed else None


# -- goals --


def goals_section(indicator: dict) -> None:
    st.subheader(tr("indicators.goals"), anchor=False)
    goals = data.run("indicator_goal_list", indicator_id=indicator["id"])
    if not goals.empty:
        st.dataframe(
            {
                tr("indicators.period"): periods(goals),
                tr("indicators.goal"): [value_text(v, lang()) for v in goals["value"]],
                tr("indicators.goal_note"): goals["note"].fillna(""),
            },
            hide_index=True,
            width="stretch",
        )
    problems_key = PREFIX + "goal_problems"
    goal_form(indicator, small_problems(problems_key), problems_key)
    if goals.empty:
        return
    chosen = removal(
        tr("indicatorform.remove_goal"),
        {(int(y), int(m)): period for y, m, period in zip(goals["year"], goals["month"], periods(goals), strict=True)},
        "goal",
    )
    if chosen is not None:
        run_small_save(
            lambda: write.indicators.remove_goal(data.connection(), session.caller(), indicator["id"], *chosen),
            problems_key,
            "indicatorform.goal_removed",
        )


def goal_form(indicator: dict, problems: dict, problems_key: str) -> None:
    monthly = indicator["frequency"] == "monthly"
    with st.form(PREFIX + "goal_form"):
        columns = st.columns(3 if monthly else 2)
        year = year_field(columns[0], tr("indicatorform.goal_year"), "goal_year", problems)
        month = month_field(columns[1], "goal_month", problems) if monthly else None
        value = text_field(
            columns[-1], "value", tr_md("indicatorform.goal_value", unit=indicator["unit"]), "goal_value", problems
        )
        note = st.text_input(tr("indicators.goal_note"), max_chars=rules.EFFECT_NOTE_MAX, key=PREFIX + "goal_note")
        field_problem(problems, "note")
        if st.form_submit_button(tr("indicatorform.save_goal"), icon=":material/flag:"):
            fields = {"year": year, "month": month, "value": value, "note": note}
            run_small_save(
                lambda: write.indicators.set_goal(data.connection(), session.caller(), indicator["id"], fields),
                problems_key,
                "indicatorform.goal_saved",
            )


# -- values --


def values_section(indicator: dict) -> None:
    st.subheader(tr("indicatorform.values"), anchor=False)
    if indicator["role"] == "emissions":
        st.caption(tr("validation.emission_values_from_syke"))
        return
    series = data.run("indicator_series", indicator_id=indicator["id"])
    if not series.empty:
        st.dataframe(values_table(series, indicator["breakdown"]), hide_index=True, width="stretch")
    problems_key = PREFIX + "value_problems"
    value_form(indicator, small_problems(problems_key), problems_key)
    if not series.empty:
        value_removal(indicator, series, problems_key)
    values_import(indicator)


def values_table(series: pd.DataFrame, breakdown: str | None) -> dict:
    shown = {tr("indicators.period"): periods(series)}
    if breakdown:
        shown[tr(f"indicatorform.breakdown_{breakdown}")] = series["sector"]
    shown[tr("indicators.value")] = [value_text(v, lang()) for v in series["value"]]
    shown[tr("audit.field.is_preliminary")] = [tr("form.yes") if p else "" for p in series["is_preliminary"]]
    shown[tr("indicatorform.source")] = series["source"].fillna("")
    return shown


def value_form(indicator: dict, problems: dict, problems_key: str) -> None:
    monthly, breakdown = indicator["frequency"] == "monthly", indicator["breakdown"]
    with st.form(PREFIX + "value_form"):
        st.markdown(f"**{tr('indicatorform.add_value')}**")
        # year, then month and sector when the indicator has them, then the value
        columns = iter(st.columns(2 + monthly + bool(breakdown)))
        year = year_field(next(columns), tr("field.year"), "value_year", problems)
        month = month_field(next(columns), "value_month", problems) if monthly else None
        sector = None
        if breakdown:
            sector = text_field(
                next(columns),
                "sector",
                tr(f"indicatorform.breakdown_{breakdown}"),
                "value_sector",
                problems,
                max_chars=rules.NAME_MAX,
            )
        value = text_field(
            next(columns), "value", tr_md("indicatorform.value_in", unit=indicator["unit"]), "value_value", problems
        )
        preliminary = st.checkbox(tr("audit.field.is_preliminary"), key=PREFIX + "value_preliminary")
        if st.form_submit_button(tr("indicatorform.save_value"), icon=":material/save:"):
            fields = {"year": year, "month": month, "sector": sector, "value": value, "is_preliminary": preliminary}
            run_small_save(
                lambda: write.indicators.set_value(data.connection(), session.caller(), indicator["id"], fields),
                problems_key,
                "indicatorform.value_saved",
            )


def value_removal(indicator: dict, series: pd.DataFrame, problems_key: str) -> None:
    reader = lang()
    keys = {
        (int(r.year), int(r.month), r.sector): " · ".join(
            part for part in (period_text(r.year, r.month, reader), r.sector, value_text(r.value, reader)) if part
        )
        for r in series.itertuples()
    }
    chosen = removal(tr("indicatorform.remove_value"), keys, "value")
    if chosen is not None:
        run_small_save(
            lambda: write.indicators.remove_value(data.connection(), session.caller(), indicator["id"], *chosen),
            problems_key,
            "indicatorform.value_removed",
        )


def values_import(indicator: dict) -> None:
    st.markdown(f"**{tr('indicatorform.import')}**")
    st.caption(
        tr_md(
            "indicatorform.import_help",
            columns=", ".join(indicator_sheet.header(k, lang()) for k in indicator_sheet.wanted_columns(indicator)),
        )
    )
    template_col, upload_col = st.columns([1, 2])
    template_col.download_button(
        tr("indicatorform.template"),
        data=indicator_sheet.template(indicator, lang()),
        file_name=f"indicator-{indicator['id']}-{lang()}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=PREFIX + "template",
        on_click="ignore",
    )
    upload = upload_col.file_uploader(
        tr("indicatorform.file"),
        type=["csv", "xlsx"],
        max_upload_size=indicator_sheet.MAX_UPLOAD_BYTES // (1024 * 1024),
        key=PREFIX + f"values_file_{indicator['id']}",
    )
    if upload is not None:
        import_upload(indicator, upload)


def import_upload(indicator: dict, upload) -> None:
    """The uploaded file's values checked, and imported all at once when the editor says so."""
    try:
        plan = indicator_sheet.read_values(upload.getvalue(), upload.name, indicator)
    except UnusableFile as unusable:
        st.error(error_text(unusable))
        return
    (st.error if plan.errors else st.success)(tr("import_page.summary", rows=plan.row_count, errors=len(plan.errors)))
    for warning in plan.warnings:
        st.warning(md(warning.message(lang())))
    if plan.errors:
        problems_table(plan.errors)
        st.caption(tr("import_page.fix_first"))
        return
    if st.button(
        tr("indicatorform.import_button", count=len(plan.values)), type="primary", key=PREFIX + "values_import"
    ):
        try:
            created, updated, unchanged = write.indicators.import_values(
                data.connection(), session.caller(), indicator["id"], plan.values, file_name=upload.name
            )
        except UserError as refused:
            st.error(error_text(refused))
            return
        saved_notice("indicatorform.imported", created=created, updated=updated, unchanged=unchanged)
        st.rerun()


# -- measures meant to move the indicator --


def links_section(indicator: dict, organisation_id: int) -> None:
    st.subheader(tr("indicators.measures"), anchor=False)
    indicator_id = indicator["id"]
    linked = data.run(
        "indicator_measures", indicator_id=indicator_id, lang=lang(), include_unpublished=True, today=data.today()
    )
    if not linked.empty:
        st.dataframe(
            {
                tr("column.measure"): linked["code"] + " " + linked["title"],
                tr("indicators.effect"): [effect_text(row, indicator["unit"]) for row in linked.to_dict("records")],
                tr("indicators.effect_note"): linked["effect_note"].fillna(""),
            },
            hide_index=True,
            width="stretch",
        )
    names = measure_names(organisation_id)
    problems_key = PREFIX + "link_problems"
    problems = small_problems(problems_key)
    current = {int(r["measure_id"]): r for r in linked.to_dict("records")}
    measure_id = st.selectbox(
        tr("indicatorform.link_measure"),
        list(names),
        format_func=names.get,
        index=None,
        key=PREFIX + "link_measure",
        placeholder=tr("app.choose"),
    )
    field_problem(problems, "measure_id")
    link_form(indicator, measure_id, current.get(measure_id, {}), problems, problems_key)
    if measure_id in current and st.button(
        tr("indicatorform.unlink"), icon=":material/link_off:", key=PREFIX + "unlink"
    ):
        run_small_save(
            lambda: write.indicators.unlink_measure(data.connection(), session.caller(), indicator_id, measure_id),
            problems_key,
            "indicatorform.unlinked",
        )


def measure_names(organisation_id: int) -> dict[int, str]:
    """The organisation's measures by id, named by code and title (and programme when it has several)."""
    choices = data.run("organisation_measure_choices", organisation_id=organisation_id, lang=lang())
    return {
        int(row.id): f"{row.code} {row.title}" + (f" ({row.programme})" if choices["programme"].nunique() > 1 else "")
        for row in choices.itertuples()
    }


def link_form(indicator: dict, measure_id: int | None, link: dict, problems: dict, problems_key: str) -> None:
    """The expected effect of the chosen measure, filled with what is saved when it is linked already."""
    with st.form(PREFIX + f"link_form_{measure_id}"):
        effect_col, amount_col, year_col = st.columns(3)
        effects = list(write.indicators.EFFECTS)
        effect = effect_col.radio(
            tr("indicators.effect"),
            effects,
            index=effects.index(
                link.get("effect") or ("decrease" if indicator["direction"] == "decrease" else "increase")
            ),
            format_func={e: tr(f"indicators.effect_{e}") for e in effects}.get,
            key=PREFIX + f"link_effect_{measure_id}",
        )
        amount = text_field(
            amount_col,
            "effect_amount",
            tr_md("indicatorform.effect_amount", unit=indicator["unit"]),
            f"link_amount_{measure_id}",
            problems,
            value="" if saved_missing(link, "effect_amount") else value_text(link["effect_amount"], lang()),
        )
        year = year_col.number_input(
            tr("indicatorform.effect_year"),
            min_value=rules.MIN_YEAR,
            max_value=rules.MAX_YEAR,
            step=1,
            value=None if saved_missing(link, "effect_year") else int(link["effect_year"]),
            key=PREFIX + f"link_year_{measure_id}",
        )
        with year_col:
            field_problem(problems, "effect_year")
        note = st.text_area(
            tr("indicators.effect_note"),
            value=link.get("effect_note") or "",
            max_chars=rules.EFFECT_NOTE_MAX,
            height=80,
            key=PREFIX + f"link_note_{measure_id}",
        )
        field_problem(problems, "effect_note")
        if st.form_submit_button(tr("indicatorform.save_link"), icon=":material/link:", disabled=measure_id is None):
            fields = {"effect": effect, "effect_amount": amount, "effect_year": year, "effect_note": note}
            run_small_save(
                lambda: write.indicators.link_measure(
                    data.connection(), session.caller(), indicator["id"], measure_id, fields
                ),
                problems_key,
                "indicatorform.link_saved",
            )


def saved_missing(link: dict, field: str) -> bool:
    return link.get(field) is None or pd.isna(link.get(field))
