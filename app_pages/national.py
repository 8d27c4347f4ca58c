"""All organisations: the overview's numbers summed over every organisation in the
database (a regional or national host), the organisations furthest along, money by
year, and every organisation in a searchable, paged table."""

import streamlit as st

from ui import data, session, text
from ui.badges import esc, status_badge
from ui.charts import figure, planned_vs_actual
from ui.formats import fmt_eur, fmt_number, fmt_pct, percent_column_format, percent_points
from ui.links import page_link
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
    st.dataframe(
        top.assign(
            link=[page_link("overview", programme=p) for p in top["programme_id"]],
            share_done=[percent_points(v) for v in top["share_done"]],
        ),
        column_order=["organisation", "link", "measures", "done", "share_done"],
        column_config={
            "organisation": tr("column.organisation"),
            "link": st.column_config.LinkColumn(tr("nav.overview"), display_text="→"),
            "measures": tr("column.measures"),
            "done": tr("column.done"),
            "share_done": st.column_config.ProgressColumn(
                tr("column.share_done"), min_value=0, max_value=100, format=percent_column_format()
            ),
        },
        hide_index=True,
    )
with right:
    # Money hidden from the public (public_show_money off): no money section, no money columns.
    if money_shown:
        st.subheader(tr("national.money"))
    money = data.run("national_money_by_year", include_unpublished=internal) if money_shown else None
    if money is None:
        pass
    elif money.empty:
        st.info(tr("national.money_none"))
    else:
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
table = rows.assign(
    link=[page_link("overview", programme=p) for p in rows["programme_id"]],
    planned=[fmt_eur(v) for v in rows["planned_eur"]],
    actual=[fmt_eur(v) for v in rows["actual_eur"]],
    share_done=[percent_points(v) for v in rows["share_done"]],
)
if not money_shown:  # column_order only hides a column: the browser would still receive it
    table = table.drop(columns=["planned_eur", "actual_eur", "planned", "actual"])
st.dataframe(
    table,
    column_order=["organisation", "link", "measures", "done", "late", "share_done"]
    + (["planned", "actual"] if money_shown else []),
    column_config={
        "organisation": tr("column.organisation"),
        "link": st.column_config.LinkColumn(tr("nav.overview"), display_text="→"),
        "measures": tr("column.measures"),
        "done": tr("column.done"),
        "late": tr("column.late"),
        "share_done": st.column_config.ProgressColumn(
            tr("column.share_done"), min_value=0, max_value=100, format=percent_column_format()
        ),
        "planned": tr("column.planned"),
        "actual": tr("column.actual"),
    },
    hide_index=True,
)
