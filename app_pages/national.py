"""All organisations: the overview's numbers summed over every organisation in the
database (a regional or national host), the organisations furthest along, money by
year, and every organisation in a searchable, paged table."""

import streamlit as st

from ui import data, session, text
from ui.badges import esc, status_badge
from ui.charts import figure, planned_vs_actual
from ui.formats import fmt_eur, fmt_number, fmt_pct, percent_points
from ui.links import page_link
from ui.money import money_section
from ui.tables import Column, progress_cell, table
from ui.text import tr, tr_md

PAGE_SIZE = 25
TOP_COUNT = 10

lang = text.lang()
internal = session.sees_internal()
money_shown = session.sees_money()
# Staleness as the settings define it, measured on the same day as the other pages.
stale_days = data.settings()["stale_days"]
st.title(tr("national.title"))

summary = data.run("national_summary", include_unpublished=internal, today=data.today(), stale_days=stale_days).iloc[0]
if int(summary["organisations"]) == 0:
    st.info(tr("app.no_data"))
    st.stop()


def number(value) -> str:
    return fmt_number(int(value))


def overview_link(programme_id: int, organisation: str) -> str:
    """The organisation's name as a link to its programme's overview (HTML, escaped)."""
    return f'<a href="{esc(page_link("overview", programme=programme_id))}" target="_self">{esc(organisation)}</a>'


def share_cell(share) -> str:
    """The share done as a small bar and in words, as the measures list shows progress."""
    points = percent_points(share)
    return "–" if points is None else progress_cell(points, fmt_pct(share))


st.caption(tr("national.caption", organisations=int(summary["organisations"]), programmes=int(summary["programmes"])))
total = int(summary["measures"])
done = int(summary["done"])
st.subheader(tr("national.headline", done=done, total=total))
if total:
    st.progress(done / total, text=tr("overview.headline_share", share=fmt_pct(done / total)))
st.markdown(tr_md("national.late_stale", late=int(summary["late"]), stale=int(summary["stale"]), days=int(stale_days)))
st.caption(tr("late.rule"))

st.subheader(tr("national.by_status"))
counts = data.run("national_status_counts", include_unpublished=internal, today=data.today())
by_status = dict(zip(counts["status"], counts["share"], strict=True))
chips = " ".join(
    f"{status_badge(row.status)}&nbsp;<strong>{number(row.measures)}</strong>"
    for row in counts.itertuples()
    if row.measures
)
st.markdown(f'<p aria-label="{esc(tr("national.by_status"))}">{chips}</p>', unsafe_allow_html=True)
st.caption(
    tr(
        "national.status_summary",
        total=total,
        done_share=fmt_pct(by_status["done"]),
        late_share=fmt_pct(by_status["late"]),
    )
)
st.plotly_chart(figure("status_totals", counts, lang), config={"displayModeBar": False})

left, right = st.columns(2)
with left:
    st.subheader(tr("national.top"))
    top = data.run("national_top_organisations", lang=lang, include_unpublished=internal, limit=TOP_COUNT)
    st.caption(tr("national.top_summary", count=len(top)))
    # HTML (ui/tables): the organisation's name links to its programme's overview and a
    # click switches pages in place; a data grid's link column opened a new tab with a full load.
    table(
        [
            [
                overview_link(row.programme_id, row.organisation),
                number(row.measures),
                number(row.done),
                share_cell(row.share_done),
            ]
            for row in top.itertuples()
        ],
        [
            Column(tr("column.organisation"), html=True),
            Column(tr("column.measures"), number=True),
            Column(tr("column.done"), number=True),
            Column(tr("column.share_done"), html=True),
        ],
        tr("national.top"),
    )
with right:
    # Money hidden from the public (public_show_money off): no money section, no money columns.
    money = money_section(
        money_shown,
        tr("national.money"),
        lambda: data.run("national_money_by_year", include_unpublished=internal),
        none=tr("national.money_none"),
    )
    if money is not None:
        st.caption(
            tr_md(
                "national.money_summary",
                first=money["year"].iloc[0],
                last=money["year"].iloc[-1],
                planned=fmt_eur(money["total_planned_eur"].iloc[0]),
                actual=fmt_eur(money["total_actual_eur"].iloc[0]),
            )
        )
        st.plotly_chart(
            planned_vs_actual(money, "year"),
            config={"displayModeBar": False},
        )

st.subheader(tr("national.organisations"))
search_col, page_col = st.columns([3, 1])
search = search_col.text_input(tr("national.search"), key="national_search").strip()
page = page_col.number_input(tr("national.page"), min_value=1, value=1, step=1, key="national_page")
rows = data.run(
    "national_organisations",
    search=search,
    lang=lang,
    include_unpublished=internal,
    today=data.today(),
    limit=PAGE_SIZE,
    offset=(int(page) - 1) * PAGE_SIZE,
)
if rows.empty:
    st.info(tr("national.no_match"))
    st.stop()
first = (int(page) - 1) * PAGE_SIZE + 1
st.caption(tr_md("national.page_of", first=first, last=first + len(rows) - 1, total=number(rows["total_rows"].iloc[0])))
money_columns = [Column(tr("column.planned"), number=True), Column(tr("column.actual"), number=True)]
table(
    [
        [
            overview_link(row.programme_id, row.organisation),
            number(row.measures),
            number(row.done),
            number(row.late),
            share_cell(row.share_done),
            # Money hidden from the public: its cells are not sent to the browser at all.
            *([fmt_eur(row.planned_eur), fmt_eur(row.actual_eur)] if money_shown else []),
        ]
        for row in rows.itertuples()
    ],
    [
        Column(tr("column.organisation"), html=True, lead=True),
        Column(tr("column.measures"), number=True),
        Column(tr("column.done"), number=True),
        Column(tr("column.late"), number=True),
        Column(tr("column.share_done"), html=True),
        *(money_columns if money_shown else []),
    ],
    tr("national.organisations"),
    cards=True,
)
