"""Forms that edit stored records: the save through a write service, the
problems it finds shown beside their fields, and a conflict with another
person's save shown with both sides, keeping what this user typed.

What a save did is said where the person who pressed the button is looking:
right below that button (``EditForm.show_outcome``, ``show_notice``), never at
the top of a long page they scrolled away from, and nothing is inserted above
the button that would push it out of view.

EditForm serves the measure form, budget lines, the decisions register (one
record at a time) and the weekly update (many records in one form)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st

from tracker.errors import ConflictError, UserError, ValidationError
from ui.formats import display_value
from ui.text import Markdown, md, tr, tr_md

# What a save left to show on the next run: a catalogue key, or a key and its parameters.
Notice = str | tuple[str, dict]


def error_text(error: UserError) -> Markdown:
    """The error's message; what it names (a value, a file name) shown as text."""
    return tr_md(error.key, **error.params)


def problem_text(problem: tuple[str, dict]) -> Markdown:
    key, params = problem
    return tr_md(key, **params)


def field_problem(problems: dict, field: str) -> None:
    """The message for ``field`` right beside it, if the last save found one."""
    if field in problems:
        st.error(problem_text(problems[field]), icon=":material/error:")


def show_problems(problems: dict, labels: dict[str, str]) -> None:
    """A summary naming every field that needs fixing."""
    lines = [f"- **{md(labels.get(field, field))}**: {problem_text(p)}" for field, p in problems.items()]
    st.error(tr("error.validation") + "\n\n" + "\n".join(lines), icon=":material/error:")


def leave_notice(slot: str, notice: Notice) -> None:
    """Keep what a save did for the next run, to be said by ``show_notice(slot)``."""
    st.session_state[slot] = notice


def show_notice(slot: str) -> None:
    """What the last save left under ``slot``, once: call it right below the button that saved."""
    notice = st.session_state.pop(slot, None)
    if notice:
        key, params = (notice, {}) if isinstance(notice, str) else notice
        st.success(tr_md(key, **params), icon=":material/check_circle:")


def show_conflict(error: ConflictError, loaded: dict, labels: dict[str, str], formats: dict | None = None) -> None:
    """The refusal and what the other person changed (loaded -> now)."""
    from tracker.write.base import conflict_differences

    formats = formats or {}
    lines = []
    for field, mine, theirs in conflict_differences(loaded, error.current):
        show = formats.get(field, display_value)
        lines.append(f"- **{md(labels.get(field, field))}**: {md(show(mine))} → {md(show(theirs))}")
    st.error(error_text(error))
    if lines:
        st.markdown(tr("error.conflict_changes") + "\n" + "\n".join(lines))


def _as_stored(field: str, value):
    return value


@dataclass(frozen=True)
class EditForm:
    """A page's form over stored records, its state in the session under ``prefix``:

    - the widgets: ``prefix + field``; in a form of many records (``records``),
      ``prefix + field + "_" + record id``;
    - ``loaded``: the record as the form loaded it, whose version the save
      expects (for many records: record id -> record);
    - ``problems``: field (``"id.field"`` for many records) -> the catalogue
      key and parameters of what the last save refused;
    - ``conflict``: the ConflictError of the last save, until the user keeps
      their input over the latest version or discards it;
    - ``notice``: what the last save did, shown once on the next run;
    - ``place``: which button made the last save (``"save"``, or e.g.
      ``"archive"``), so its outcome is shown below that button.

    ``as_widget(field, value)`` is a stored value as its widget holds it.
    """

    prefix: str
    fields: tuple[str, ...]
    as_widget: Callable[[str, Any], Any] = _as_stored
    records: bool = False

    def slot(self, name: str) -> str:
        return self.prefix + name

    def key(self, field: str, record=None) -> str:
        return self.prefix + field if record is None else f"{self.prefix}{field}_{record}"

    def loaded(self, record=None) -> dict | None:
        loaded = st.session_state.get(self.slot("loaded"))
        return loaded if record is None or loaded is None else loaded.get(record)

    @property
    def problems(self) -> dict:
        return st.session_state.get(self.slot("problems"), {})

    @property
    def conflict(self) -> ConflictError | None:
        return st.session_state.get(self.slot("conflict"))

    def values(self, record=None) -> dict:
        """The fields as the widgets hold them now."""
        return {field: st.session_state.get(self.key(field, record)) for field in self.fields}

    # -- loading --

    def load(self, row: dict | None) -> None:
        """Put a record (or, for None, an empty form) on screen, replacing any input."""
        row = dict(row or {})
        for field in self.fields:
            st.session_state[self.key(field)] = self.as_widget(field, row.get(field))
        st.session_state[self.slot("loaded")] = row
        self.forget_last_save()

    def forget(self, record=None) -> None:
        """Forget the loaded record (the next run loads it again)."""
        if record is None:
            st.session_state.pop(self.slot("loaded"), None)
        else:
            st.session_state.get(self.slot("loaded"), {}).pop(record, None)

    def forget_last_save(self) -> None:
        st.session_state.pop(self.slot("problems"), None)
        st.session_state.pop(self.slot("conflict"), None)

    def keep_mine(self, current: dict, record=None) -> None:
        """After a conflict: take the other person's values wherever this user
        changed nothing, keep what this user typed, and save over the new version."""
        loaded = self.loaded(record)
        for field in self.fields:
            key = self.key(field, record)
            if field in current and st.session_state.get(key) == self.as_widget(field, loaded.get(field)):
                st.session_state[key] = self.as_widget(field, current[field])
        latest = {**loaded, **{k: v for k, v in current.items() if k in loaded or k == "version"}}
        if record is None:
            st.session_state[self.slot("loaded")] = latest
        else:
            st.session_state[self.slot("loaded")][record] = latest
        st.session_state.pop(self.slot("conflict"), None)

    # -- showing --

    def show_outcome(
        self,
        labels: dict[str, str],
        formats: dict | None = None,
        *,
        place: str = "save",
        discard: Callable[[], None] | None = None,
        heading: Callable[[ConflictError], str] | None = None,
    ) -> None:
        """Right below the button that saved (``place``), what its last save did: that
        it saved, or the summary of the fields to fix, or the conflict with both sides
        and a button to keep this user's input (and one to ``discard`` it)."""
        if st.session_state.get(self.slot("place"), "save") != place:
            return
        show_notice(self.slot("notice"))
        conflict = self.conflict
        if conflict:
            record = conflict.entity_id if self.records else None
            if heading:
                st.markdown(f"**{md(heading(conflict))}**")
            show_conflict(conflict, self.loaded(record), labels, formats)
            keep_args = {"on_click": self.keep_mine, "args": (conflict.current, record), "type": "primary"}
            if discard is None:
                st.button(tr("form.keep_mine"), **keep_args)
            else:
                keep, drop = st.columns(2)
                keep.button(tr("form.keep_mine"), **keep_args)
                drop.button(tr("form.discard_mine"), on_click=discard)
        if self.problems:
            show_problems(self.problems, labels)

    def widget(self, draw: Callable[..., Any], field: str, label: Markdown, *, within=None, **options) -> Any:
        """``draw`` (st.text_input, st.selectbox ...) for ``field`` in ``within`` (a
        column or container), the problem the last save found in it right below."""
        with within if within is not None else contextlib.nullcontext():
            value = draw(label, key=self.key(field), **options)
            self.field_problem(field)
        return value

    def choice(self, field: str, label: Markdown, names: dict, *, within=None) -> Any:
        """A selectbox for ``field`` among ``names`` (value -> label)."""
        return self.widget(
            st.selectbox,
            field,
            label,
            within=within,
            options=list(names),
            format_func=names.get,
            placeholder=tr("app.choose"),
        )

    def whole_number(self, field: str, label: Markdown, lowest: int, highest: int, *, within=None, **options) -> Any:
        """A number input for ``field`` that takes whole numbers from ``lowest`` to ``highest``."""
        return self.widget(
            st.number_input, field, label, within=within, min_value=lowest, max_value=highest, step=1, **options
        )

    def field_problem(self, field: str, record=None) -> None:
        """The last save's problem with ``field``, right beside it."""
        field_problem(self.problems, field if record is None else f"{record}.{field}")

    # -- saving --

    def save(
        self,
        action: Callable[[], Any],
        *,
        saved: Callable[[Any], Notice | None] | None = None,
        creates: bool = False,
        place: str = "save",
    ) -> NoReturn:
        """Run ``action`` (a write service call) and rerun. A refusal is kept for the
        next run: its problems beside the fields, or its conflict. On success
        ``saved(result)`` says the notice to show (by default the record is loaded
        again and "saved" shown); ``creates``: the result is the new record's id,
        which choose_created picks on the next run. ``place`` names the button
        pressed: ``show_outcome(place=...)`` below it says what happened."""
        self.forget_last_save()
        st.session_state.pop(self.slot("notice"), None)
        st.session_state[self.slot("place")] = place
        try:
            result = action()
        except ValidationError as invalid:
            st.session_state[self.slot("problems")] = invalid.problems
        except ConflictError as error:
            st.session_state[self.slot("conflict")] = error
        else:
            if creates:
                st.session_state[self.slot("created")] = result
            if saved is None:
                self.forget()
                notice = "form.saved"
            else:
                notice = saved(result)
            if notice:
                leave_notice(self.slot("notice"), notice)
        st.rerun()

    def choose_created(self, chooser_key: str) -> None:
        """Point the record chooser at the record the last save created."""
        created = st.session_state.pop(self.slot("created"), None)
        if created is not None:
            st.session_state[chooser_key] = created


def select_or_none(label: Markdown, names: dict, none_label: str, *, key: str, index: int = 0, within=st) -> Any:
    """A selectbox of ``names`` (value -> label) led by None, read as ``none_label``
    (every theme, a new record ...); drawn in ``within`` (a column)."""
    return within.selectbox(
        label,
        [None, *names],
        index=index,
        format_func=lambda value: none_label if value is None else names[value],
        key=key,
        placeholder=tr("app.choose"),
    )
