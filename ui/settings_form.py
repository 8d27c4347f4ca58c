"""The admin's settings as a form: each setting with its label in the reader's
language and the widget its kind needs (a number within its range, a checkbox,
a programme chooser, a date, a line of text), the problem a save found beside
it, and a stored value out of range said beside the field with the default
used instead. The settings page shows every setting; the embed page the
public view's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from tracker import rules, write
from tracker import settings as defined
from tracker.errors import ValidationError
from ui import data, session
from ui.formats import display_value, fmt_number
from ui.forms import field_problem
from ui.programme import programmes
from ui.text import tr, tr_md

FRESHNESS = ("fresh_days", "acceptable_days", "stale_days", "upcoming_days")
SIGN_IN = ("session_idle_minutes", "session_max_hours")
# the reminders' mail server and the address their links point to
MAIL = ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_from", "app_base_url")
PUBLIC = (
    "public_programme_id",
    "public_show_money",
    "open_data_licence",
    "open_data_licence_url",
    "accessibility_feedback_contact",
    "accessibility_statement_date",
    "embed_allowed_origins",
    "feedback_contact_retention_days",
)
# (heading, settings) in the order the settings page shows them.
GROUPS = (
    ("settings.freshness", FRESHNESS),
    ("settings.sign_in", SIGN_IN),
    ("settings.public", PUBLIC),
    ("settings.mail", MAIL),
)


def grouped() -> list[tuple[str, tuple[str, ...]]]:
    """GROUPS, and after them any setting none of them names."""
    named = {key for _heading, keys in GROUPS for key in keys}
    others = tuple(key for key in defined.DEFAULTS if key not in named)
    return [*GROUPS, *([("settings.other", others)] if others else [])]


def _kind(key: str) -> str:
    parser = defined.DEFAULTS[key][1]
    if hasattr(parser, "range"):
        return "number"
    if parser is defined.flag:
        return "flag"
    if parser is defined.optional_date:
        return "date"
    if hasattr(parser, "choices"):
        return "choice"
    if parser is defined.origins:
        return "origins"
    if key == "public_programme_id":
        return "programme"
    return "text"


def as_text(key: str, value) -> str:
    """A widget's value as the setting stores it."""
    kind = _kind(key)
    if value is None:
        return ""
    if kind == "flag":
        return "true" if value else "false"
    if kind == "date":
        return value.isoformat()
    if kind in ("number", "programme"):
        return str(int(value))
    if kind == "origins":
        return "\n".join(value) if isinstance(value, tuple | list) else str(value).strip()
    return str(value).strip()


def _shown(key: str, value) -> str:
    """A setting's value as the reader reads it (in the note on a refused stored value)."""
    kind = _kind(key)
    if kind == "number":
        return fmt_number(value)
    if kind == "programme" and value is None:
        return tr("settings.programme_automatic")
    return display_value(value) if value not in (None, "") else tr("form.empty_value")


def _widget(key: str, value, widget_key: str, programme_names: dict) -> None:
    label = tr(f"setting.{key}")
    kind = _kind(key)
    if kind == "number":
        low, high = defined.DEFAULTS[key][1].range
        st.number_input(
            label,
            min_value=low,
            max_value=high,
            value=value,
            step=1,
            key=widget_key,
            help=tr("settings.range", low=fmt_number(low), high=fmt_number(high)),
        )
    elif kind == "flag":
        st.checkbox(label, value=bool(value), key=widget_key)
    elif kind == "date":
        st.date_input(
            label,
            value=value,
            min_value=date(rules.MIN_YEAR, 1, 1),
            max_value=date(rules.MAX_YEAR, 12, 31),
            format="DD.MM.YYYY",
            key=widget_key,
        )
    elif kind == "origins":
        st.text_area(label, value="\n".join(value), key=widget_key, help=tr("embed.allowed_origins_help"), height=100)
    elif kind == "choice":
        choices = list(defined.DEFAULTS[key][1].choices)
        st.selectbox(label, choices, index=choices.index(value) if value in choices else 0, key=widget_key)
    elif kind == "programme":
        options = [None, *programme_names]
        st.selectbox(
            label,
            options,
            index=options.index(value) if value in options else 0,
            format_func=lambda p: tr("settings.programme_automatic") if p is None else programme_names[p],
            key=widget_key,
            help=tr("settings.programme_help"),
            placeholder=tr("app.choose"),
        )
    else:
        st.text_input(label, value=value, key=widget_key)


def settings_form(groups: Sequence[tuple[str | None, Sequence[str]]], form_key: str) -> None:
    """The settings of ``groups`` (heading or None, keys) in one form, saved all at once."""
    current, refused = data.settings(), data.refused_settings()
    problems_key, saved_key = f"{form_key}_problems", f"{form_key}_saved"
    problems = st.session_state.get(problems_key, {})
    listed = programmes()
    names = {int(row.id): f"{row.organisation} – {row.name}" for row in listed.itertuples()}
    keys = [key for _heading, group in groups for key in group]
    with st.form(form_key):
        for heading, group in groups:
            if heading:
                st.subheader(tr(heading), anchor=False)
            for key in group:
                _widget(key, current[key], f"{form_key}_{key}", names)
                field_problem(problems, key)
                if key in refused:
                    default = defined.parse(key, defined.DEFAULTS[key][0])
                    st.warning(
                        tr_md("settings.refused", stored=refused[key][:80], default=_shown(key, default)),
                        icon=":material/warning:",
                    )
        submitted = st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:")
    # what the save did, right below its button
    if st.session_state.pop(saved_key, False):
        st.success(tr("form.saved"), icon=":material/check_circle:")
    if submitted:
        typed = {key: as_text(key, st.session_state[f"{form_key}_{key}"]) for key in keys}
        # A refused stored value is replaced even when the form shows its default unchanged.
        changes = {key: text for key, text in typed.items() if key in refused or text != as_text(key, current[key])}
        st.session_state.pop(problems_key, None)
        try:
            if changes:
                write.settings.set_settings(data.connection(), session.caller(), changes)
        except ValidationError as invalid:
            st.session_state[problems_key] = invalid.problems
        else:
            st.session_state[saved_key] = True
        st.rerun()
