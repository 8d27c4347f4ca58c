"""Measure form: titles and descriptions in fi/sv/en, theme, code, responsible
unit, contact, dates, continuous, published and the internal note; create a
new measure, archive one (never delete) or bring it back."""

from datetime import date

import streamlit as st

from tracker import i18n, rules, write
from tracker.frameworks import vocabulary
from tracker.status import PHASES
from ui import data, session, text
from ui.formats import missing
from ui.forms import EditForm, select_or_none
from ui.programme import required_programme
from ui.text import tr

PREFIX = "measureform_"
TEXTS = list(write.measures.MEASURE_TEXT_FIELDS)
LONG_TEXTS = {"description_fi", "description_sv", "description_en", "internal_note"}
FIELDS = tuple(write.measures.MEASURE_EDITABLE)
EMPTY = {"is_continuous": False, "is_published": True}
DATE_RANGE = {
    "min_value": date(rules.MIN_YEAR, 1, 1),
    "max_value": date(rules.MAX_YEAR, 12, 31),
    "format": "DD.MM.YYYY",
}


def as_widget(field: str, value):
    """A stored value as its widget holds it (text inputs hold "" for nothing, the phase's choice None)."""
    if field == "phase":
        return value or None
    if field in TEXTS:
        return "" if value is None else str(value)
    if field in vocabulary.AMOUNT_FIELDS or field == vocabulary.SHARE_FIELD:
        return "" if missing(value) else format(value, "f").rstrip("0").rstrip(".").replace(".", ",")
    if field in vocabulary.LIST_FIELDS:
        return [] if value is None else list(value)
    return value


form = EditForm(PREFIX, FIELDS, as_widget)


def reload_from_database(measure_id: int | None) -> None:
    """Put a measure (or, for None, an empty form) on screen, replacing any input."""
    form.load(EMPTY if measure_id is None else write.measures.read_measure(data.connection(), measure_id))


st.title(tr("nav.measure_form"))
programme = required_programme()
lang = text.lang()
programme_id = int(programme.name)

choices = data.run("workspace_measure_choices", programme_id=programme_id, lang=lang, include_archived=True)
names = {
    int(row.id): f"{row.code} {row.title}" + (f" ({tr('measureform.archived')})" if row.is_archived else "")
    for row in choices.itertuples()
}
form.choose_created(PREFIX + "choice")
measure_id = select_or_none(tr("measureform.choose"), names, tr("measureform.new"), key=PREFIX + "choice")
if form.loaded() is None or form.loaded().get("id") != measure_id:
    reload_from_database(measure_id)
loaded = form.loaded()
labels = {field: tr(f"field.{field}") for field in FIELDS}

themes = data.run("programme_themes", programme_id=programme_id, lang=lang)
theme_names = {int(row.id): row.name for row in themes.itertuples()}


def text_field(field: str, container=None) -> None:
    draw = st.text_area if field in LONG_TEXTS else st.text_input
    limit = write.measures.MEASURE_TEXT_FIELDS[field][0]
    form.widget(draw, field, labels[field], within=container or st.container(), max_chars=limit)


with st.form(PREFIX + "form"):
    code_col, theme_col = st.columns([1, 3])
    text_field("code", code_col)
    form.choice("theme_id", labels["theme_id"], theme_names, within=theme_col)
    for field in ("title", "description"):
        for language in ("fi", "sv", "en"):
            text_field(f"{field}_{language}")
    unit_col, contact_col, email_col = st.columns(3)
    text_field("responsible_unit", unit_col)
    text_field("contact_name", contact_col)
    text_field("contact_email", email_col)
    start_col, end_col, phase_col = st.columns(3)
    for field, column in (("start_date", start_col), ("end_date", end_col)):
        form.widget(st.date_input, field, labels[field], within=column, **DATE_RANGE)
    # The phases of the vocabulary in words, and a phase typed before it existed as it was stored.
    phases = [None, *PHASES, *([loaded["phase"]] if loaded.get("phase") and loaded["phase"] not in PHASES else [])]
    form.widget(
        st.selectbox,
        "phase",
        labels["phase"],
        within=phase_col,
        options=phases,
        format_func=lambda code: tr("phase.none") if code is None else i18n.phase_label(code, lang),
        placeholder=tr("app.choose"),
    )
    st.checkbox(labels["is_continuous"], key=form.key("is_continuous"))
    st.checkbox(labels["is_published"], key=form.key("is_published"))
    text_field("internal_note")
    # -- the optional fields the CDP-ICLEI Track and Covenant of Mayors reports ask for (issue 14) --
    with st.expander(tr("measureform.frameworks"), expanded=False):
        st.caption(tr("measureform.frameworks_help"))
        none = {None: tr("measureform.not_given")}
        coded = list(vocabulary.CODED_FIELDS)
        for start in range(0, len(coded), 2):
            for field, column in zip(coded[start : start + 2], st.columns(2), strict=False):
                terms = vocabulary.CODED_FIELDS[field]
                form.choice(field, labels[field], {**none, **{c: tr(t.key) for c, t in terms.items()}}, within=column)
        form.widget(
            st.multiselect,
            "co_benefits",
            labels["co_benefits"],
            options=list(vocabulary.CO_BENEFITS),
            format_func=lambda code: tr(vocabulary.CO_BENEFITS[code].key),
            placeholder=tr("app.choose"),
        )
        amount_columns = st.columns(3)
        for index, field in enumerate((*vocabulary.AMOUNT_FIELDS, vocabulary.SHARE_FIELD)):
            form.widget(st.text_input, field, labels[field], within=amount_columns[index % 3])
    submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
form.show_outcome(labels, discard=lambda: reload_from_database(measure_id))

if submitted:
    con, who, fields = data.connection(), session.caller(), form.values()
    if measure_id is None:
        form.save(lambda: write.measures.create_measure(con, who, programme_id, fields), creates=True)
    else:
        form.save(lambda: write.measures.save_measure(con, who, measure_id, fields, expected_version=loaded["version"]))

if measure_id is not None:
    st.divider()
    archived = not missing(loaded.get("archived_at"))
    st.caption(tr("measureform.archive_help"))
    label = tr("measureform.restore") if archived else tr("measureform.archive")
    if st.button(label, icon=":material/archive:", key=PREFIX + "archive"):

        def archived_done(_version) -> str:
            form.forget()
            return "measureform.restored" if archived else "measureform.archived_done"

        form.save(
            lambda: write.measures.archive_measure(
                data.connection(), session.caller(), measure_id, expected_version=loaded["version"], restore=archived
            ),
            saved=archived_done,
            place="archive",
        )
    form.show_outcome(labels, place="archive", discard=lambda: reload_from_database(measure_id))
