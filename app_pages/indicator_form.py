"""Manage indicators (editors): SYKE's emission figures for the organisation (a
municipality's CSV or the all-municipality workbook, uploaded or fetched from
SYKE's site), previewed with what would change and imported all or nothing; any
indicator created and edited (names fi/sv/en, unit, direction, frequency,
breakdown, target), its values entered one at a time or imported from a
spreadsheet, its dated goals, and the measures meant to move it with the effect
expected of each."""

import pandas as pd
import streamlit as st

from tracker import rules, write
from tracker.errors import UserError
from tracker.outcomes import indicator_sheet
from tracker.present.indicators import period_text, value_text
from tracker.spreadsheet.read import UnusableFile
from ui import data, session, text
from ui.forms import EditForm, error_text, field_problem, select_or_none
from ui.indicator_syke import SYKE, problems_table, show_report, syke_section
from ui.indicators import effect_text
from ui.programme import required_programme, url_int
from ui.text import md, tr, tr_md

PREFIX = "indicatorform_"
FIELDS = write.indicators.FORM_FIELDS
NEW = {"direction": "decrease", "frequency": "yearly", "is_published": True}
# the percentage is a text box too, so that it can show the reader's decimal comma
TEXTS = (*write.indicators.TEXT_FIELDS, "target_reduction_pct")
NUMBERS = ("base_year", "target_year")
MONTHS = list(range(1, 13))
LABELS = {
    "name_fi": "indicatorform.name_fi",
    "name_sv": "indicatorform.name_sv",
    "name_en": "indicatorform.name_en",
    "description_fi": "indicatorform.description_fi",
    "description_sv": "indicatorform.description_sv",
    "description_en": "indicatorform.description_en",
    "unit": "indicatorform.unit",
    "direction": "indicatorform.direction",
    "frequency": "indicatorform.frequency",
    "breakdown": "indicatorform.breakdown",
    "role": "indicatorform.role",
    "emission_reading": "indicatorform.emission_reading",
    "base_year": "indicatorform.base_year",
    "target_year": "indicatorform.target_year",
    "target_reduction_pct": "indicatorform.target_reduction_pct",
    "is_published": "indicatorform.is_published",
}


def as_widget(field: str, value):
    if field in ("breakdown", "role"):
        return value or ""
    if field in TEXTS:
        if value is None:
            return ""
        text_value = str(value)
        if field == "target_reduction_pct" and lang != "en":
            text_value = text_value.replace(".", ",")
        return text_value
    return value


form = EditForm(PREFIX, FIELDS, as_widget)


def reload_indicator(indicator_id: int | None) -> None:
    form.load(NEW if indicator_id is None else write.indicators.read_indicator(data.connection(), indicator_id))


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


# -- one indicator --


def indicator_form(indicator_id: int | None, loaded: dict, organisation_id: int) -> None:
    emissions = loaded.get("role") == "emissions"
    labels = {field: tr(key) for field, key in LABELS.items()}
    with st.form(PREFIX + "form"):
        for language in ("fi", "sv", "en"):
            form.widget(st.text_input, f"name_{language}", labels[f"name_{language}"], max_chars=rules.NAME_MAX)
        for language in ("fi", "sv", "en"):
            form.widget(
                st.text_area,
                f"description_{language}",
                labels[f"description_{language}"],
                max_chars=rules.INDICATOR_DESCRIPTION_MAX,
                height=80,
            )
        if emissions:
            st.caption(tr("indicatorform.emissions_fixed"))
            form.choice(
                "emission_reading",
                labels["emission_reading"],
                {r: tr(f"emissions.reading.{r}") for r in write.indicators.READINGS},
            )
        else:
            unit_col, direction_col, frequency_col = st.columns(3)
            form.widget(st.text_input, "unit", labels["unit"], within=unit_col, max_chars=rules.INDICATOR_UNIT_MAX)
            form.choice(
                "direction",
                labels["direction"],
                {d: tr(f"indicators.direction_{d}") for d in write.indicators.DIRECTIONS},
                within=direction_col,
            )
            form.choice(
                "frequency",
                labels["frequency"],
                {f: tr(f"indicators.frequency_{f}") for f in write.indicators.FREQUENCIES},
                within=frequency_col,
            )
            breakdown_col, role_col = st.columns(2)
            form.widget(
                st.selectbox,
                "breakdown",
                labels["breakdown"],
                within=breakdown_col,
                options=["", *write.indicators.BREAKDOWNS],
                format_func={
                    b: tr(f"indicatorform.breakdown_{b or 'none'}") for b in ("", *write.indicators.BREAKDOWNS)
                }.get,
            )
            form.widget(
                st.selectbox,
                "role",
                labels["role"],
                within=role_col,
                options=["", *write.indicators.FORM_ROLES],
                format_func={
                    r: tr(f"indicatorform.role_{r or 'none'}") for r in ("", *write.indicators.FORM_ROLES)
                }.get,
            )
        st.markdown(f"**{tr('indicatorform.target')}**")
        st.caption(tr("indicatorform.target_help"))
        base_col, target_col, pct_col = st.columns(3)
        for field, column in (("base_year", base_col), ("target_year", target_col)):
            form.widget(
                st.number_input,
                field,
                labels[field],
                within=column,
                min_value=rules.MIN_YEAR,
                max_value=rules.MAX_YEAR,
                step=1,
                value=None,
            )
        form.widget(
            st.text_input, "target_reduction_pct", labels["target_reduction_pct"], within=pct_col, placeholder="80"
        )
        st.checkbox(labels["is_published"], key=form.key("is_published"))
        submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
    if submitted:
        con, who, fields = data.connection(), session.caller(), form.values()
        if indicator_id is None:
            form.save(lambda: write.indicators.create_indicator(con, who, organisation_id, fields), creates=True)
        else:
            form.save(
                lambda: write.indicators.save_indicator(
                    con, who, indicator_id, fields, expected_version=loaded["version"]
                )
            )
    # what the save did, right below its button
    form.show_outcome(labels, discard=lambda: reload_indicator(indicator_id))


def small_problems(key: str) -> dict:
    problems = st.session_state.get(key, {})
    if "_" in problems:
        st.error(tr_md(problems["_"][0], **problems["_"][1]))
    return problems


def goals_section(indicator: dict) -> None:
    st.subheader(tr("indicators.goals"), anchor=False)
    indicator_id = indicator["id"]
    goals = data.run("indicator_goal_list", indicator_id=indicator_id)
    if not goals.empty:
        st.dataframe(
            {
                tr("indicators.period"): [
                    period_text(y, m, lang) for y, m in zip(goals["year"], goals["month"], strict=True)
                ],
                tr("indicators.goal"): [value_text(v, lang) for v in goals["value"]],
                tr("indicators.goal_note"): goals["note"].fillna(""),
            },
            hide_index=True,
            width="stretch",
        )
    problems_key = PREFIX + "goal_problems"
    problems = small_problems(problems_key)
    monthly = indicator["frequency"] == "monthly"
    with st.form(PREFIX + "goal_form"):
        columns = st.columns(3 if monthly else 2)
        year = columns[0].number_input(
            tr("indicatorform.goal_year"),
            min_value=rules.MIN_YEAR,
            max_value=rules.MAX_YEAR,
            step=1,
            value=None,
            key=PREFIX + "goal_year",
        )
        with columns[0]:
            field_problem(problems, "year")
        month = None
        if monthly:
            month = columns[1].selectbox(
                tr("indicatorform.month"), MONTHS, index=None, key=PREFIX + "goal_month", placeholder=tr("app.choose")
            )
            with columns[1]:
                field_problem(problems, "month")
        value = columns[-1].text_input(
            tr_md("indicatorform.goal_value", unit=indicator["unit"]), key=PREFIX + "goal_value"
        )
        with columns[-1]:
            field_problem(problems, "value")
        note = st.text_input(tr("indicators.goal_note"), max_chars=rules.EFFECT_NOTE_MAX, key=PREFIX + "goal_note")
        field_problem(problems, "note")
        if st.form_submit_button(tr("indicatorform.save_goal"), icon=":material/flag:"):
            fields = {"year": year, "month": month, "value": value, "note": note}
            run_small_save(
                lambda: write.indicators.set_goal(data.connection(), session.caller(), indicator_id, fields),
                problems_key,
                "indicatorform.goal_saved",
            )
    if not goals.empty:
        periods = {
            (int(y), int(m)): period_text(y, m, lang) for y, m in zip(goals["year"], goals["month"], strict=True)
        }
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox(
            tr("indicatorform.remove_goal"),
            list(periods),
            format_func=periods.get,
            index=None,
            key=PREFIX + "goal_remove_choice",
        )
        if right.button(
            tr("form.remove"), icon=":material/delete:", disabled=chosen is None, key=PREFIX + "goal_remove"
        ):
            run_small_save(
                lambda: write.indicators.remove_goal(data.connection(), session.caller(), indicator_id, *chosen),
                problems_key,
                "indicatorform.goal_removed",
            )


def values_section(indicator: dict) -> None:
    st.subheader(tr("indicatorform.values"), anchor=False)
    indicator_id = indicator["id"]
    if indicator["role"] == "emissions":
        st.caption(tr("validation.emission_values_from_syke"))
        return
    series = data.run("indicator_series", indicator_id=indicator_id)
    monthly, breakdown = indicator["frequency"] == "monthly", indicator["breakdown"]
    if not series.empty:
        shown = {
            tr("indicators.period"): [
                period_text(y, m, lang) for y, m in zip(series["year"], series["month"], strict=True)
            ]
        }
        if breakdown:
            shown[tr(f"indicatorform.breakdown_{breakdown}")] = series["sector"]
        shown[tr("indicators.value")] = [value_text(v, lang) for v in series["value"]]
        shown[tr("audit.field.is_preliminary")] = [tr("form.yes") if p else "" for p in series["is_preliminary"]]
        shown[tr("indicatorform.source")] = series["source"].fillna("")
        st.dataframe(shown, hide_index=True, width="stretch")
    problems_key = PREFIX + "value_problems"
    problems = small_problems(problems_key)
    with st.form(PREFIX + "value_form"):
        st.markdown(f"**{tr('indicatorform.add_value')}**")
        columns = st.columns(2 + monthly + bool(breakdown))
        at = iter(columns)
        column = next(at)
        year = column.number_input(
            tr("field.year"),
            min_value=rules.MIN_YEAR,
            max_value=rules.MAX_YEAR,
            step=1,
            value=None,
            key=PREFIX + "value_year",
        )
        with column:
            field_problem(problems, "year")
        month = sector = None
        if monthly:
            column = next(at)
            month = column.selectbox(
                tr("indicatorform.month"), MONTHS, index=None, key=PREFIX + "value_month", placeholder=tr("app.choose")
            )
            with column:
                field_problem(problems, "month")
        if breakdown:
            column = next(at)
            sector = column.text_input(
                tr(f"indicatorform.breakdown_{breakdown}"), max_chars=rules.NAME_MAX, key=PREFIX + "value_sector"
            )
            with column:
                field_problem(problems, "sector")
        column = next(at)
        value = column.text_input(tr_md("indicatorform.value_in", unit=indicator["unit"]), key=PREFIX + "value_value")
        with column:
            field_problem(problems, "value")
        preliminary = st.checkbox(tr("audit.field.is_preliminary"), key=PREFIX + "value_preliminary")
        if st.form_submit_button(tr("indicatorform.save_value"), icon=":material/save:"):
            fields = {"year": year, "month": month, "sector": sector, "value": value, "is_preliminary": preliminary}
            run_small_save(
                lambda: write.indicators.set_value(data.connection(), session.caller(), indicator_id, fields),
                problems_key,
                "indicatorform.value_saved",
            )
    if not series.empty:
        keys = {
            (int(r.year), int(r.month), r.sector): " · ".join(
                part for part in (period_text(r.year, r.month, lang), r.sector, value_text(r.value, lang)) if part
            )
            for r in series.itertuples()
        }
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox(
            tr("indicatorform.remove_value"),
            list(keys),
            format_func=keys.get,
            index=None,
            key=PREFIX + "value_remove_choice",
        )
        if right.button(
            tr("form.remove"), icon=":material/delete:", disabled=chosen is None, key=PREFIX + "value_remove"
        ):
            run_small_save(
                lambda: write.indicators.remove_value(data.connection(), session.caller(), indicator_id, *chosen),
                problems_key,
                "indicatorform.value_removed",
            )
    values_import(indicator)


def values_import(indicator: dict) -> None:
    st.markdown(f"**{tr('indicatorform.import')}**")
    st.caption(
        tr_md(
            "indicatorform.import_help",
            columns=", ".join(indicator_sheet.COLUMNS[k][0] for k in indicator_sheet.wanted_columns(indicator)),
        )
    )
    template_col, upload_col = st.columns([1, 2])
    template_col.download_button(
        tr("indicatorform.template"),
        data=indicator_sheet.template(indicator, lang),
        file_name=f"indicator-{indicator['id']}-{lang}.csv",
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
    if upload is None:
        return
    try:
        plan = indicator_sheet.read_values(upload.getvalue(), upload.name, indicator)
    except UnusableFile as unusable:
        st.error(error_text(unusable))
        return
    (st.error if plan.errors else st.success)(tr("import_page.summary", rows=plan.row_count, errors=len(plan.errors)))
    for warning in plan.warnings:
        st.warning(md(warning.message(lang)))
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


def links_section(indicator: dict, organisation_id: int) -> None:
    st.subheader(tr("indicators.measures"), anchor=False)
    indicator_id = indicator["id"]
    linked = data.run(
        "indicator_measures", indicator_id=indicator_id, lang=lang, include_unpublished=True, today=data.today()
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
    choices = data.run("organisation_measure_choices", organisation_id=organisation_id, lang=lang)
    names = {
        int(row.id): f"{row.code} {row.title}" + (f" ({row.programme})" if choices["programme"].nunique() > 1 else "")
        for row in choices.itertuples()
    }
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
    link = current.get(measure_id, {})
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
        amount = amount_col.text_input(
            tr_md("indicatorform.effect_amount", unit=indicator["unit"]),
            value=""
            if link.get("effect_amount") is None or pd.isna(link.get("effect_amount"))
            else value_text(link["effect_amount"], lang),
            key=PREFIX + f"link_amount_{measure_id}",
        )
        with amount_col:
            field_problem(problems, "effect_amount")
        year = year_col.number_input(
            tr("indicatorform.effect_year"),
            min_value=rules.MIN_YEAR,
            max_value=rules.MAX_YEAR,
            step=1,
            value=None
            if link.get("effect_year") is None or pd.isna(link.get("effect_year"))
            else int(link["effect_year"]),
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
                    data.connection(), session.caller(), indicator_id, measure_id, fields
                ),
                problems_key,
                "indicatorform.link_saved",
            )
    if measure_id in current and st.button(
        tr("indicatorform.unlink"), icon=":material/link_off:", key=PREFIX + "unlink"
    ):
        run_small_save(
            lambda: write.indicators.unlink_measure(data.connection(), session.caller(), indicator_id, measure_id),
            problems_key,
            "indicatorform.unlinked",
        )


def delete_section(indicator: dict) -> None:
    if indicator["role"] == "emissions":
        return
    st.divider()
    confirm = st.checkbox(tr("indicatorform.confirm_delete"), key=PREFIX + "confirm_delete")
    if st.button(tr("indicatorform.delete"), icon=":material/delete:", disabled=not confirm, key=PREFIX + "delete"):

        def deleted(_result) -> str:
            form.forget()
            st.session_state[PREFIX + "choice"] = None
            return "indicatorform.deleted"

        form.save(
            lambda: write.indicators.remove_indicator(
                data.connection(), session.caller(), indicator["id"], expected_version=indicator["version"]
            ),
            saved=deleted,
        )


# -- the page --

st.title(tr("nav.indicator_form"))
programme = required_programme()
lang = text.lang()
organisation_id = int(programme["organisation_id"])
notice = st.session_state.pop(PREFIX + "small_notice", None)
if notice:
    st.success(tr_md(notice[0], **notice[1]))
done = st.session_state.pop(SYKE + "done", None)
if done:
    show_report(done, written=True)

cursor = data.connection().cursor()
try:
    organisation = write.programmes.fetch_organisation(cursor, organisation_id)
finally:
    cursor.close()
syke_section(organisation)

st.header(tr("indicatorform.header"), anchor=False)
listed = data.run("indicator_list", organisation_id=organisation_id, lang=lang, include_unpublished=True)
names = {int(row.id): row.name for row in listed.itertuples()}
form.choose_created(PREFIX + "choice")
if PREFIX + "choice" not in st.session_state and url_int("indicator") in names:
    st.session_state[PREFIX + "choice"] = url_int("indicator")
indicator_id = select_or_none(tr("indicators.choose"), names, tr("indicatorform.new"), key=PREFIX + "choice")
if indicator_id is not None:
    st.query_params["indicator"] = str(indicator_id)
else:
    st.query_params.pop("indicator", None)
if form.loaded() is None or form.loaded().get("id") != indicator_id:
    reload_indicator(indicator_id)
loaded = form.loaded()
indicator_form(indicator_id, loaded, organisation_id)
if indicator_id is not None:
    values_section(loaded)
    goals_section(loaded)
    links_section(loaded, organisation_id)
    delete_section(loaded)
