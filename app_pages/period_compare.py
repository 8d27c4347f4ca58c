"""Compare periods: what moved between any two reporting periods (or a period
and now) — newly done, newly late, status changes, progress, money planned and
spent — from their frozen snapshots."""

import pandas as pd
import streamlit as st

from ui import data
from ui.badges import status_text
from ui.formats import fmt_eur, fmt_number, missing
from ui.periods import period_choice, period_page
from ui.tables import Column, measure_link, table
from ui.text import md, tr, tr_md

_programme, programme_id, lang, internal, periods, closed = period_page("nav.period_compare")
if closed.empty:
    st.info(tr("compare.none_closed"))
    st.stop()

# Defaults: the latest closed period against the one before it (or against now when there is one).
if "compare" not in st.query_params:
    st.query_params["compare"] = str(int(closed.iloc[1]["id"] if len(closed) > 1 else closed.iloc[0]["id"]))
    if len(closed) > 1 and "period" not in st.query_params:
        st.query_params["period"] = str(int(closed.iloc[0]["id"]))
left, right = st.columns(2)
base_id = period_choice(closed, "compare", tr("compare.base"), tr("compare.choose"), within=left)
if base_id is None:
    st.info(tr("compare.choose_base"))
    st.stop()
period_id = period_choice(
    closed[closed["id"] != base_id], "period", tr("compare.later"), tr("report.now_option"), within=right
)
names = periods.set_index("id")["name"]
later_name = names.get(period_id) if period_id is not None else tr("report.now_option")
scope = {
    "programme_id": programme_id,
    "base_period_id": base_id,
    "period_id": period_id,
    "include_unpublished": internal,
    "today": data.today(),
}
summary = data.run("period_change_summary", **scope).iloc[0]
st.subheader(tr_md("compare.heading", base=md(names[base_id]), later=md(later_name)), anchor=False)


def count(name: str) -> int:
    return int(summary[name])


def percent(value) -> str:
    return f"{fmt_number(value or 0)} %"


def euros(value) -> str:
    return fmt_eur(value)


# (label, value now, the small text under it) for each tile, two rows of three
tiles = [
    (tr("compare.done"), count("done_after"), tr("compare.newly", count=count("newly_done"))),
    (tr("compare.late"), count("late_after"), tr("compare.newly", count=count("newly_late"))),
    (tr("compare.status_changes"), count("status_changes"), None),
    (
        tr("compare.progress"),
        percent(summary["progress_after"]),
        tr("compare.before", value=percent(summary["progress_before"])),
    ),
    (
        tr("column.planned"),
        euros(summary["planned_after"]),
        tr("compare.before", value=euros(summary["planned_before"])),
    ),
    (tr("column.actual"), euros(summary["actual_after"]), tr("compare.before", value=euros(summary["actual_before"]))),
]
for row_start in (0, 3):
    for column, (label, value, below) in zip(st.columns(3), tiles[row_start : row_start + 3], strict=True):
        column.metric(md(label), md(value), md(below), "off", border=True, delta_arrow="off")
st.markdown(
    tr_md(
        "compare.summary",
        before=count("done_before"),
        after=count("done_after"),
        measures=count("measures_after"),
        added=count("added"),
        removed=count("removed"),
    )
)

# -- money per year --
st.subheader(tr("compare.money"), anchor=False)
by_year = data.run("period_money_change", **{k: v for k, v in scope.items() if k != "today"})
if by_year.empty:
    st.caption(tr("overview.money_none"))
else:
    st.dataframe(
        pd.DataFrame(
            {
                tr("column.year"): by_year["year"].astype(str),
                tr("compare.planned_before"): [fmt_eur(v) for v in by_year["planned_before"]],
                tr("compare.planned_after"): [fmt_eur(v) for v in by_year["planned_after"]],
                tr("compare.actual_before"): [fmt_eur(v) for v in by_year["actual_before"]],
                tr("compare.actual_after"): [fmt_eur(v) for v in by_year["actual_after"]],
                tr("compare.spent_change"): [
                    fmt_eur(a - b) for a, b in zip(by_year["actual_after"], by_year["actual_before"], strict=True)
                ],
            }
        ),
        hide_index=True,
        width="stretch",
        key="compare_money",
    )

# -- measure by measure --
st.subheader(tr("compare.measures"), anchor=False)
changes = data.run("period_changes", lang=lang, **scope)
if changes.empty:
    st.success(tr("compare.nothing_moved"))
    st.stop()


def status_cell(code) -> str:
    return "–" if missing(code) else status_text(code)


def flags(row) -> str:
    words = []
    if row.newly_done:
        words.append(tr("report.newly_done"))
    if row.newly_late:
        words.append(tr("report.newly_late"))
    if not row.in_before:
        words.append(tr("report.added"))
    if not row.in_after:
        words.append(tr("report.removed"))
    return ", ".join(words)


def progress_cell(before, after) -> str:
    if missing(before) or missing(after):
        return "–"
    return f"{int(before)} → {int(after)} %"


# HTML links (ui/tables): a click switches pages in place and keeps the chosen periods;
# a data grid's link column opened a new tab with a full load.
table(
    [
        [
            measure_link(programme_id, row.code),
            row.title,
            status_cell(row.status_before),
            status_cell(row.status_after),
            progress_cell(row.progress_before, row.progress_after),
            fmt_eur(row.actual_after - row.actual_before),
            flags(row),
        ]
        for row in changes.itertuples()
    ],
    [
        Column(tr("column.code"), html=True, lead=True, nowrap=True),
        Column(tr("column.measure"), lead=True),
        Column(tr("compare.status_before"), nowrap=True),
        Column(tr("compare.status_after"), nowrap=True),
        Column(tr("report.progress"), number=True),
        Column(tr("compare.spent_change"), number=True),
        Column(tr("report.notes")),
    ],
    tr("compare.measures"),
    cards=True,
)
