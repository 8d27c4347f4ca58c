"""Budget: the programme's money by year, theme and cost centre, planned against
actual, with variance, utilisation and the lines that went over budget."""

import streamlit as st

from tracker.report import content
from ui import data, session, text
from ui.formats import cell_text, fmt_eur, fmt_pct, missing
from ui.programme import required_programme
from ui.tables import Column, measure_link, table
from ui.text import md, tr, tr_md

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


# The money both budget tables end with, in this order.
MONEY_FIGURES = ("planned", "actual", "variance", "utilisation")


def money_cells(row) -> list[str]:
    """A budget row's planned, actual and variance in euros and its utilisation, as MONEY_FIGURES."""
    return [fmt_eur(row.planned_eur), fmt_eur(row.actual_eur), fmt_eur(row.variance_eur), pct(row.utilisation)]


def money_columns() -> list[Column]:
    """The headers of money_cells, right-aligned as numbers."""
    return [Column(tr(f"column.{name}"), number=True) for name in MONEY_FIGURES]


total = pivot[pivot["level"] == "total"].iloc[0]
# Each figure formatted once: the tiles and the sentence under them say the same.
planned = fmt_eur(total["planned_eur"])
actual = fmt_eur(total["actual_eur"])
share = pct(total["utilisation"])
# Two tiles a row: euro amounts in the millions do not fit a quarter of the page.
money_tiles, share_tiles = st.columns(2), st.columns(2)
money_tiles[0].metric(tr("column.planned"), planned, border=True)
money_tiles[1].metric(tr("column.actual"), actual, border=True)
share_tiles[0].metric(tr("column.variance"), fmt_eur(total["variance_eur"]), border=True)
share_tiles[1].metric(tr("column.utilisation"), share, border=True)
st.markdown(tr("budget.summary", planned=planned, actual=actual, share=share))

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
matrix = matrix.map(lambda v: fmt_eur(v)).reset_index(level="theme_position", drop=True)
table(
    [[theme, *amounts] for theme, amounts in zip(matrix.index, matrix.values.tolist(), strict=True)],
    [Column(tr("column.theme")), *(Column(str(year), number=True) for year in matrix.columns)],
    f"{tr('budget.by_theme_year')}: {measures[shown_measure]}",
)

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
    return str(int(row.year)), row.theme, f"{row.cost_centre} {cell_text(row.cost_centre_name)}".strip()


table(
    [[*label(row), *money_cells(row)] for row in rows.itertuples()],
    [
        Column(tr("column.year"), nowrap=True, lead=True),
        Column(tr("column.theme"), lead=True),
        Column(tr("column.cost_centre"), lead=True),
        *money_columns(),
    ],
    tr("budget.detail"),
    cards=True,
    row_classes=[{"total": "total", "year": "subtotal", "theme": "subtotal"}.get(level, "") for level in rows["level"]],
)
st.caption(tr("budget.detail_caption"))

# -- year x cost centre with cost-centre totals (issue 14: the same table as the board report) --
st.subheader(tr("budget.by_cost_centre_year"))
money = data.run(
    "report_money_table", programme_id=programme_id, period_id=None, include_unpublished=scope["include_unpublished"]
)
money_years, money_centres, money_total, _chart = content.money_rows(money, lang)
money_frame = content.money_table(money_years, money_centres, money_total, content.texts(lang))
table(
    money_frame.values.tolist(),
    [
        Column(money_frame.columns[0], lead=True),
        Column(money_frame.columns[1], nowrap=True),
        *(Column(name, number=True) for name in money_frame.columns[2:]),
    ],
    tr("budget.by_cost_centre_year"),
    cards=True,
    row_classes=["total" if index >= len(money_frame) - 2 else "" for index in range(len(money_frame))],
)
st.caption(tr("budget.by_cost_centre_year_caption"))

# -- lines over budget --
st.subheader(tr("budget.over"))
over = data.run("budget_lines_over", year=year_choice, **scope)
if year_choice is not None:
    st.caption(tr_md("budget.over_year", year=year_choice))
if over.empty:
    st.success(tr("budget.over_none"))
else:
    st.markdown(tr("budget.over_summary", count=len(over)))
    table(
        [
            [
                measure_link(programme_id, row.code),
                row.title,
                str(row.year),
                f"{row.cost_centre} {'' if missing(row.cost_centre_name) else row.cost_centre_name}".strip(),
                *money_cells(row),
            ]
            for row in over.itertuples()
        ],
        [
            Column(tr("column.code"), html=True, nowrap=True, lead=True),
            Column(tr("column.measure"), lead=True),
            Column(tr("column.year"), nowrap=True),
            Column(tr("column.cost_centre")),
            *money_columns(),
        ],
        tr("budget.over"),
        cards=True,
    )
