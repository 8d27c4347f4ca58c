"""Budget: the programme's money by year, theme and cost centre, planned against
actual, with variance, utilisation and the lines that went over budget."""

import pandas as pd
import streamlit as st

from ui import data, session, text
from ui.formats import fmt_eur, fmt_pct, missing
from ui.links import page_link
from ui.programme import required_programme
from ui.text import md, tr

programme = required_programme("budget.title")
st.title(tr("budget.title"))
if not session.sees_money():  # the admin keeps the money from the public
    st.info(tr("budget.not_public"))
    st.stop()

lang = text.lang()
programme_id = int(programme.name)
scope = {"programme_id": programme_id, "lang": lang, "include_unpublished": session.sees_internal()}
st.caption(md(programme["name"]))

pivot = data.run("budget_pivot", **scope)
if pivot.empty:
    st.info(tr("budget.none"))
    st.stop()


def pct(share) -> str:
    return "–" if missing(share) else fmt_pct(share)


total = pivot[pivot["level"] == "total"].iloc[0]
# Two tiles a row: euro amounts in the millions do not fit a quarter of the page.
money_tiles, share_tiles = st.columns(2), st.columns(2)
money_tiles[0].metric(tr("column.planned"), fmt_eur(total["planned_eur"], whole=True), border=True)
money_tiles[1].metric(tr("column.actual"), fmt_eur(total["actual_eur"], whole=True), border=True)
share_tiles[0].metric(tr("column.variance"), fmt_eur(total["variance_eur"], whole=True), border=True)
share_tiles[1].metric(tr("column.utilisation"), pct(total["utilisation"]), border=True)
st.markdown(
    tr(
        "budget.summary",
        planned=fmt_eur(total["planned_eur"], whole=True),
        actual=fmt_eur(total["actual_eur"], whole=True),
        share=pct(total["utilisation"]),
    )
)

# -- theme x year matrix --
st.subheader(tr("budget.by_theme_year"))
measures = {
    "planned_eur": tr("column.planned"),
    "actual_eur": tr("column.actual"),
}
wanted = st.query_params.get("show")
shown_measure = (
    st.segmented_control(
        tr("budget.show"),
        list(measures),
        default=wanted if wanted in measures else "planned_eur",
        format_func=measures.get,
        key="budget_show",
    )
    or "planned_eur"
)
st.query_params["show"] = shown_measure
by_theme_year = data.run("budget_theme_year", **scope)
matrix = by_theme_year.pivot(index=["theme_position", "theme"], columns="year", values=shown_measure)
matrix = matrix.map(lambda v: fmt_eur(v, whole=True)).reset_index(level="theme_position", drop=True)
matrix.columns = [str(year) for year in matrix.columns]
st.dataframe(matrix.reset_index().rename(columns={"theme": tr("column.theme")}), hide_index=True, width="stretch")

# -- year x theme x cost centre with subtotals --
st.subheader(tr("budget.detail"))
years = [int(y) for y in pivot["year"].dropna().unique()]
wanted_year = st.query_params.get("year")
year_choice = st.selectbox(
    tr("column.year"),
    [None, *years],
    index=(
        [None, *years].index(int(wanted_year))
        if wanted_year and wanted_year.isdigit() and int(wanted_year) in years
        else 0
    ),
    format_func=lambda y: tr("budget.all_years") if y is None else str(y),
    key="budget_year",
    placeholder=tr("app.choose"),
)
st.query_params["year"] = str(year_choice) if year_choice is not None else []
rows = pivot if year_choice is None else pivot[(pivot["year"] == year_choice) | (pivot["level"] == "total")]


def label(row) -> tuple[str, str, str]:
    if row.level == "total":
        return tr("budget.grand_total"), "", ""
    if row.level == "year":
        return str(int(row.year)), tr("budget.subtotal"), ""
    if row.level == "theme":
        return str(int(row.year)), row.theme, tr("budget.subtotal")
    return str(int(row.year)), row.theme, f"{row.cost_centre} {row.cost_centre_name or ''}".strip()


labels = [label(row) for row in rows.itertuples()]
detail = pd.DataFrame(
    {
        tr("column.year"): [lab[0] for lab in labels],
        tr("column.theme"): [lab[1] for lab in labels],
        tr("column.cost_centre"): [lab[2] for lab in labels],
        tr("column.planned"): [fmt_eur(v) for v in rows["planned_eur"]],
        tr("column.actual"): [fmt_eur(v) for v in rows["actual_eur"]],
        tr("column.variance"): [fmt_eur(v) for v in rows["variance_eur"]],
        tr("column.utilisation"): [pct(v) for v in rows["utilisation"]],
    }
)
st.dataframe(detail, hide_index=True, width="stretch")
st.caption(tr("budget.detail_caption"))

# -- lines over budget --
st.subheader(tr("budget.over"))
over = data.run("budget_lines_over", **scope)
if over.empty:
    st.success(tr("budget.over_none"))
else:
    st.markdown(tr("budget.over_summary", count=len(over)))
    st.dataframe(
        pd.DataFrame(
            {
                "link": [page_link("measure", programme=programme_id, code=code) for code in over["code"]],
                tr("column.measure"): over["title"],
                tr("column.year"): over["year"].astype(str),
                tr("column.cost_centre"): over["cost_centre"] + " " + over["cost_centre_name"].fillna(""),
                tr("column.planned"): [fmt_eur(v) for v in over["planned_eur"]],
                tr("column.actual"): [fmt_eur(v) for v in over["actual_eur"]],
                tr("column.variance"): [fmt_eur(v) for v in over["variance_eur"]],
                tr("column.utilisation"): [pct(v) for v in over["utilisation"]],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "link": st.column_config.LinkColumn(tr("column.code"), display_text=r"code=([^&]*)", width="small")
        },
    )
