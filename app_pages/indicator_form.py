"""Manage indicators (editors): SYKE's emission figures for the organisation (a
municipality's CSV or the all-municipality workbook, uploaded or fetched from
SYKE's site), previewed with what would change and imported all or nothing; any
indicator created and edited (names fi/sv/en, unit, direction, frequency,
breakdown, target), its values entered one at a time or imported from a
spreadsheet, its dated goals, and the measures meant to move it with the effect
expected of each."""

import streamlit as st

from tracker import rules, write
from ui import data, session, text
from ui.forms import EditForm, select_or_none
from ui.indicator_sections import PREFIX, goals_section, links_section, values_section
from ui.indicator_syke import SYKE, show_report, syke_section
from ui.programme import required_programme, url_int
from ui.text import tr, tr_md

FIELDS = write.indicators.FORM_FIELDS
NEW = {"direction": "decrease", "frequency": "yearly", "is_published": True}
# the percentage is a text box too, so that it can show the reader's decimal comma
TEXTS = (*write.indicators.TEXT_FIELDS, "target_reduction_pct")
NUMBERS = ("base_year", "target_year")
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


# -- one indicator --


def name_fields() -> None:
    labels = {field: tr(key) for field, key in LABELS.items()}
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


def kind_fields() -> None:
    """What is measured and how: fixed for the emissions indicator, so shown only for the others."""
    labels = {field: tr(key) for field, key in LABELS.items()}
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
    optional_choice(
        "breakdown",
        write.indicators.BREAKDOWNS,
        breakdown_col,
        lambda b: f"indicatorform.breakdown_{b or 'none'}",
    )
    optional_choice("role", write.indicators.FORM_ROLES, role_col, lambda r: f"indicatorform.role_{r or 'none'}")


def optional_choice(field: str, options, within, text_key) -> None:
    """A choice that may be left empty: "" is an option too, named by text_key like the others."""
    labels = {name: tr(key) for name, key in LABELS.items()}
    options = ["", *options]
    form.widget(
        st.selectbox,
        field,
        labels[field],
        within=within,
        options=options,
        format_func={o: tr(text_key(o)) for o in options}.get,
    )


def target_fields() -> None:
    labels = {field: tr(key) for field, key in LABELS.items()}
    st.markdown(f"**{tr('indicatorform.target')}**")
    st.caption(tr("indicatorform.target_help"))
    base_col, target_col, pct_col = st.columns(3)
    for field, column in (("base_year", base_col), ("target_year", target_col)):
        form.whole_number(field, labels[field], rules.MIN_YEAR, rules.MAX_YEAR, within=column, value=None)
    form.widget(st.text_input, "target_reduction_pct", labels["target_reduction_pct"], within=pct_col, placeholder="80")


def indicator_form(indicator_id: int | None, loaded: dict, organisation_id: int) -> None:
    labels = {field: tr(key) for field, key in LABELS.items()}
    with st.form(PREFIX + "form"):
        name_fields()
        if loaded.get("role") == "emissions":
            st.caption(tr("indicatorform.emissions_fixed"))
            form.choice(
                "emission_reading",
                labels["emission_reading"],
                {r: tr(f"emissions.reading.{r}") for r in write.indicators.READINGS},
            )
        else:
            kind_fields()
        target_fields()
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
