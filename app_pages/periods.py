"""Reporting periods: open one (names in fi/sv/en, as-of and due days), mark
measures ready for it, see what is ready, not ready and not updated since it
opened, close it (confirmed: the figures are frozen) and, as an admin, reopen
it with a reason (its snapshot is kept)."""

from datetime import date

import pandas as pd
import streamlit as st

from tracker import rules, write
from tracker.errors import UserError, ValidationError
from ui import data, session, text
from ui.badges import status_text
from ui.formats import fmt_date, missing
from ui.forms import field_problem, problem_text
from ui.links import page_link
from ui.periods import period_choice, plain_caption
from ui.programme import required_programme
from ui.tables import Column, measure_link, table
from ui.text import md, md_link, tr, tr_md

PREFIX = "periods_"
DAYS = {"min_value": date(rules.MIN_YEAR, 1, 1), "max_value": date(rules.MAX_YEAR, 12, 31), "format": "DD.MM.YYYY"}

programme = required_programme("nav.periods")
st.title(tr("nav.periods"))
lang = text.lang()
programme_id = int(programme.name)
who = session.caller()
con = data.connection()

notice = st.session_state.pop(PREFIX + "notice", None)
if notice:
    st.success(tr_md(notice[0], **notice[1]))
refusal = st.session_state.pop(PREFIX + "refusal", None)
if refusal:
    st.error(tr_md(refusal[0], **refusal[1]))


def act(action, done_key: str, **params) -> None:
    """Run a write; its refusal or its notice is shown on the next run."""
    try:
        action()
    except ValidationError as invalid:
        st.session_state[PREFIX + "problems"] = invalid.problems
        st.rerun()
    except UserError as refused:
        st.session_state[PREFIX + "refusal"] = (refused.key, refused.params)
    else:
        st.session_state.pop(PREFIX + "problems", None)
        st.session_state[PREFIX + "notice"] = (done_key, params)
    st.rerun()


periods = data.run("reporting_periods", programme_id=programme_id, lang=lang)

# -- open a new period --
problems = st.session_state.get(PREFIX + "problems", {})
with st.expander(tr("periods.open_new"), expanded=periods.empty or bool(problems)):
    with st.form(PREFIX + "open"):
        st.text_input(tr("periods.name_fi"), key=PREFIX + "name_fi", placeholder=tr("periods.name_example"))
        field_problem(problems, "name_fi")
        sv_col, en_col = st.columns(2)
        sv_col.text_input(tr("periods.name_sv"), key=PREFIX + "name_sv")
        en_col.text_input(tr("periods.name_en"), key=PREFIX + "name_en")
        as_of_col, due_col = st.columns(2)
        as_of_col.date_input(tr("periods.as_of"), value=None, key=PREFIX + "as_of", **DAYS)
        with as_of_col:
            field_problem(problems, "as_of")
        due_col.date_input(tr("periods.due_on"), value=None, key=PREFIX + "due_on", **DAYS)
        with due_col:
            field_problem(problems, "due_on")
        opened = st.form_submit_button(tr("periods.open"), type="primary", icon=":material/add:")
    if opened:
        fields = {
            name: st.session_state.get(PREFIX + name) for name in ("name_fi", "name_sv", "name_en", "as_of", "due_on")
        }
        act(
            lambda: st.session_state.__setitem__(
                PREFIX + "opened", write.periods.open_period(con, who, programme_id, fields)
            ),
            "periods.opened",
            name=(fields["name_fi"] or "").strip(),
        )

if periods.empty:
    st.info(tr("periods.none"))
    st.stop()

# -- every period --
st.subheader(tr("periods.list"))
st.dataframe(
    pd.DataFrame(
        {
            tr("periods.column_name"): periods["name"],
            tr("periods.as_of"): [fmt_date(v) for v in periods["as_of"]],
            tr("periods.due_on"): [fmt_date(v) for v in periods["due_on"]],
            tr("periods.column_state"): [
                tr("period.state_closed") if s == "closed" else tr("period.state_open") for s in periods["state"]
            ],
            tr("periods.column_ready"): [
                f"{int(r)} / {int(n)}" for r, n in zip(periods["ready"], periods["measures"], strict=True)
            ],
            tr("periods.column_closed"): [fmt_date(v) for v in periods["closed_at"]],
            tr("periods.column_closings"): periods["closings"].astype(int),
        }
    ),
    hide_index=True,
    width="stretch",
)

opened_now = st.session_state.pop(PREFIX + "opened", None)
if opened_now is not None:  # show the period just opened: a new chooser that starts from the URL
    st.query_params["period"] = str(opened_now)
    st.session_state[PREFIX + "generation"] = st.session_state.get(PREFIX + "generation", 0) + 1
open_first = periods.sort_values("state", key=lambda s: s != "open", kind="stable")
if "period" not in st.query_params:  # at first the open period (else the newest)
    st.query_params["period"] = str(int(open_first.iloc[0]["id"]))
period_id = period_choice(
    open_first,
    "period",
    tr("periods.choose"),
    tr("periods.choose_none"),
    generation=st.session_state.get(PREFIX + "generation", 0),
)
if period_id is None:
    st.stop()
period = periods.set_index("id").loc[period_id]
st.header(md(md(period["name"])), anchor=False)

if period["state"] == "closed":
    st.success(
        tr_md(
            "periods.closed_at",
            date=fmt_date(period["closed_at"]),
            who=md(period["closed_by"]),
            measures=int(period["measures"]),
        )
    )
    if not missing(period["reopened_at"]):
        plain_caption(
            tr("periods.reopened_before", date=fmt_date(period["reopened_at"]), reason=period["reopen_reason"])
        )
    report_link = md_link(tr("nav.report"), page_link("report", programme=programme_id, period=period_id))
    compare_link = md_link(tr("nav.period_compare"), page_link("compare", programme=programme_id, period=period_id))
    st.markdown(tr_md("periods.links", report=report_link, compare=compare_link))
    if who.can("admin"):
        with st.form(PREFIX + "reopen"):
            st.markdown(f"**{tr('periods.reopen')}**")
            st.caption(tr("periods.reopen_help"))
            reason = st.text_area(tr("periods.reopen_reason"), key=PREFIX + "reason", max_chars=rules.NOTE_MAX)
            field_problem(st.session_state.get(PREFIX + "problems", {}), "reason")
            if st.form_submit_button(tr("periods.reopen"), icon=":material/lock_open:"):
                act(
                    lambda: write.periods.reopen_period(
                        con, who, period_id, reason, expected_version=int(period["version"])
                    ),
                    "periods.reopened",
                    name=period["name"],
                )
    st.stop()

# -- an open period: readiness --
if not missing(period["reopened_at"]):
    plain_caption(tr("periods.reopened_before", date=fmt_date(period["reopened_at"]), reason=period["reopen_reason"]))
due = tr("periods.due_text", date=fmt_date(period["due_on"])) if not missing(period["due_on"]) else ""
st.caption(tr("periods.open_text", as_of=fmt_date(period["as_of"]), opened=fmt_date(period["opened_at"])) + due)
readiness = data.run("period_readiness", period_id=period_id, lang=lang)
groups = {
    "ready": tr("periods.ready"),
    "not_ready": tr("periods.not_ready"),
    "not_updated": tr("periods.not_updated"),
}
counts = readiness["readiness"].value_counts()
for column, (code, label) in zip(st.columns(3), groups.items(), strict=True):
    column.metric(md(label), f"{int(counts.get(code, 0))} / {len(readiness)}", border=True)

labels = {int(r.id): f"{r.code} {r.title}" for r in readiness.itertuples()}
for code, label in groups.items():
    rows = readiness[readiness["readiness"] == code]
    st.subheader(md(f"{label} ({len(rows)})"))
    if rows.empty:
        st.caption(tr("periods.group_empty"))
        continue
    # HTML links (ui/tables): a click switches pages in place and keeps this view's
    # state; a data grid's link column opened a new tab with a full load.
    table(
        [
            [
                measure_link(programme_id, row.code),
                row.title,
                status_text(row.status),
                "" if missing(row.contact_name) else row.contact_name,
                fmt_date(row.updated_at),
                "" if missing(row.marked_at) else f"{fmt_date(row.marked_at)} {row.marked_by}",
            ]
            for row in rows.itertuples()
        ],
        [
            Column(tr("column.code"), html=True, lead=True, nowrap=True),
            Column(tr("column.measure"), lead=True),
            Column(tr("column.status"), nowrap=True),
            Column(tr("periods.contact")),
            Column(tr("column.updated"), nowrap=True),
            Column(tr("periods.marked")),
        ],
        f"{label} ({len(rows)})",
        cards=True,
    )

ready_ids = [int(i) for i in readiness.loc[readiness["readiness"] == "ready", "id"]]
waiting_ids = [int(i) for i in readiness.loc[readiness["readiness"] != "ready", "id"]]


def readiness_form(column, name: str, ids: list[int], *, ready: bool, texts: tuple[str, str, str], **button) -> None:
    """A form in ``column`` marking the chosen measures of ``ids`` ready (or not ready) at once.

    ``texts`` are the catalogue keys of the list label, the button and the notice after it."""
    label, button_label, notice = texts
    with column.form(PREFIX + name):
        chosen = st.multiselect(
            tr(label), ids, format_func=labels.get, key=f"{PREFIX}to_{name}", placeholder=tr("app.choose")
        )
        if st.form_submit_button(tr(button_label), **button):
            act(
                lambda: [write.periods.set_ready(con, who, period_id, measure, ready) for measure in chosen],
                notice,
                count=len(chosen),
            )


MARK_TEXTS = ("periods.mark_ready", "periods.mark_ready_button", "periods.marked_done")
UNMARK_TEXTS = ("periods.unmark_ready", "periods.unmark_ready_button", "periods.unmarked")
mark_col, unmark_col = st.columns(2)
readiness_form(mark_col, "mark", waiting_ids, ready=True, texts=MARK_TEXTS, type="primary", icon=":material/task_alt:")
readiness_form(unmark_col, "unmark", ready_ids, ready=False, texts=UNMARK_TEXTS, icon=":material/undo:")

# -- close --
st.divider()
st.subheader(tr("periods.close"))
st.markdown(tr("periods.close_help", ready=int(counts.get("ready", 0)), total=len(readiness)))
confirmed = st.checkbox(tr("periods.close_confirm"), key=PREFIX + "confirm")
if st.button(
    tr("periods.close_button"), type="primary", disabled=not confirmed, icon=":material/lock:", key=PREFIX + "close"
):
    act(
        lambda: write.periods.close_period(con, who, period_id, expected_version=int(period["version"])),
        "periods.closed_done",
        name=period["name"],
    )
if problems and "reason" not in problems:
    for field, problem in problems.items():
        if field not in ("name_fi", "as_of", "due_on"):
            st.error(problem_text(problem))
