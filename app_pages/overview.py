"""Overview: how far the programme has come, what is late or forgotten, and what
the money planned for it has bought, at a glance."""

import pandas as pd
import streamlit as st

from tracker import i18n
from tracker.present import charts
from ui import data, session, text
from ui.badges import measure_list, status_text
from ui.charts import chart, figure, money_years_chart, planned_vs_actual
from ui.emissions import emissions_section
from ui.formats import fmt_date, fmt_eur, fmt_pct, missing
from ui.indicators import indicator_overview
from ui.links import page_link
from ui.money import money_section
from ui.programme import demo_notice, period_caption, required_programme
from ui.text import md, tr, tr_md

programme = required_programme("app.title")

lang = text.lang()
internal = session.sees_internal()
money_shown = session.sees_money()
programme_id = int(programme.name)
today = data.today()
limits = data.settings()
scope = {"programme_id": programme_id, "lang": lang, "include_unpublished": internal, "today": today}

st.title(md(programme["name"]))
st.caption(md(period_caption(programme)))

if programme["is_demo"]:
    demo_notice(
        programme_id,
        lambda code: page_link("measure", programme=programme_id, code=code),
        include_unpublished=internal,
        show_money=money_shown,
    )

tiles = data.run("overview_tiles", recent_days=limits["acceptable_days"], **scope).iloc[0]
total = int(tiles["total"])
if total == 0:
    st.info(tr("overview.no_measures"))
    st.stop()

# -- headline tiles --
done = int(tiles["done"])
st.subheader(tr("overview.headline", done=done, total=total))
st.progress(done / total, text=tr("overview.headline_share", share=fmt_pct(done / total)))
status_row = st.columns(4)
status_row[0].metric(
    charts.status_name("done", lang),
    f"{done} / {total}",
    fmt_pct(done / total),
    "off",
    border=True,
    delta_arrow="off",
)
# Each measure in one tile: a late one (the late rule) counts as late, never also as in progress.
status_row[1].metric(charts.status_name("in_progress", lang), int(tiles["in_progress"]), border=True)
status_row[2].metric(charts.status_name("late", lang), int(tiles["late"]), help=tr("late.rule"), border=True)
status_row[3].metric(charts.status_name("not_started", lang), int(tiles["not_started"]), border=True)
if int(tiles["postponed"]) or int(tiles["cancelled"]):
    st.caption(tr("overview.other_statuses", postponed=int(tiles["postponed"]), cancelled=int(tiles["cancelled"])))

year = today.year
money_row = st.columns(3)
# Money hidden from the public (public_show_money off): no euro tile, no money section.
money_tiles = (
    (money_row[0], tr_md("overview.money_year", year=year), tiles["actual_this_year"], tiles["planned_this_year"]),
    (money_row[1], tr("overview.money_period"), tiles["actual_period"], tiles["planned_period"]),
)
for column, label, actual, planned in money_tiles if money_shown else ():
    share = fmt_pct(actual / planned) if planned else "–"
    column.metric(
        label,
        fmt_eur(actual),
        tr("overview.money_of_planned", share=share, planned=fmt_eur(planned)),
        "off",
        delta_arrow="off",
        border=True,
    )
recent = int(tiles["updated_recently"])
money_row[2 if money_shown else 0].metric(
    tr_md("overview.updated_recently", days=limits["acceptable_days"]),
    fmt_pct(recent / total),
    tr("overview.updated_count", count=recent, total=total),
    "off",
    delta_arrow="off",
    border=True,
)

# -- status by theme --
st.subheader(tr("overview.by_theme"))
theme_counts = data.run("theme_status_counts", **scope)
theme_totals = theme_counts.drop_duplicates("theme_id")
themes_done = theme_counts[theme_counts["status"] == "done"]
leader = themes_done.sort_values("share", ascending=False, kind="stable").iloc[0]
chart(
    figure("status_by_theme", theme_counts[theme_counts["theme_total"] > 0], lang),
    tr_md(
        "overview.by_theme_summary",
        done=done,
        total=total,
        share=fmt_pct(done / total),
        theme=leader["theme"],
        theme_share=fmt_pct(leader["share"]),
    ),
    theme_counts.pivot(index=["position", "theme_id", "theme"], columns="status", values="measures")
    .reindex(columns=list(dict.fromkeys(theme_counts["status"])))
    .rename(columns=lambda s: status_text(s))
    .assign(**{tr("column.measures"): theme_totals.set_index(["position", "theme_id", "theme"])["theme_total"]})
    .astype(int)
    .reset_index(level=["position", "theme_id"], drop=True)
    .reset_index()
    .rename(columns={"theme": tr("column.theme")}),
    key="overview_by_theme",
)
empty_themes = theme_totals[theme_totals["theme_total"] == 0]["theme"].tolist()
if empty_themes:
    st.caption(tr_md("overview.themes_without_measures", themes=", ".join(empty_themes)))

# -- progress over time --
st.subheader(tr("overview.history"))
history = data.run("status_history", **scope)
if history.empty:
    st.info(tr("overview.history_empty"))
else:
    first = history[history["month_end"] == history["month_end"].min()]
    last = history[history["month_end"] == history["month_end"].max()]
    first_done = int(first.loc[first["status"] == "done", "measures"].iloc[0])
    last_done = int(last.loc[last["status"] == "done", "measures"].iloc[0])
    chart(
        figure("status_history", history, lang),
        tr(
            "overview.history_summary",
            start=fmt_date(first["month_end"].iloc[0]),
            end=fmt_date(last["month_end"].iloc[0]),
            first_done=first_done,
            last_done=last_done,
            late=int(last.loc[last["status"] == "late", "measures"].iloc[0]),
        ),
        history.pivot(index="month_end", columns="status", values="measures")
        .reindex(columns=list(dict.fromkeys(history["status"])))
        .rename(columns=lambda s: status_text(s))
        .reset_index()
        .assign(month_end=lambda f: [fmt_date(d) for d in f["month_end"]])
        .rename(columns={"month_end": tr("column.date")}),
        key="overview_history",
    )

# -- late, stale, upcoming --


def late_detail(row) -> str:
    """Why a measure is late: days past its end date (with the status set on it, when
    that is not Late), or marked late."""
    if missing(row.days_overdue):
        return tr("overview.marked_late")
    overdue = tr("overview.days_overdue", days=int(row.days_overdue))
    if row.set_status == "late":
        return overdue
    return f"{overdue}, {tr('late.set_status', status=i18n.status_label(row.set_status, lang))}"


late_col, stale_col = st.columns(2)
with late_col:
    st.subheader(tr("overview.late"))
    late = data.run("late_measures", **scope)
    if late.empty:
        st.success(tr("overview.late_none"))
    else:
        st.caption(tr("overview.late_caption", count=len(late)) + " " + tr("late.rule"))
        measure_list(late, programme_id, late_detail)
with stale_col:
    st.subheader(tr("overview.stale"))
    stale = data.run(
        "stale_measures", acceptable_days=limits["acceptable_days"], stale_days=limits["stale_days"], **scope
    )
    if stale.empty:
        st.success(tr_md("overview.stale_none", days=limits["acceptable_days"]))
    else:
        very = int(stale["stale_count"].iloc[0])
        st.caption(
            tr_md(
                "overview.stale_caption",
                count=len(stale),
                days=limits["acceptable_days"],
                stale=very,
                stale_days=limits["stale_days"],
            )
        )
        measure_list(
            stale,
            programme_id,
            lambda r: tr("overview.last_updated", date=fmt_date(r.updated_at), days=int(r.days_since_update)),
        )

st.subheader(tr_md("overview.upcoming", days=limits["upcoming_days"]))
upcoming = data.run("upcoming_measures", upcoming_days=limits["upcoming_days"], **scope)
if upcoming.empty:
    st.caption(tr_md("overview.upcoming_none", days=limits["upcoming_days"]))
else:
    measure_list(
        upcoming,
        programme_id,
        lambda r: tr("overview.ends_on", date=fmt_date(r.end_date), days=int(r.days_left)),
    )

# -- money --
by_year = money_section(
    money_shown, tr("overview.money"), lambda: data.run("money_by_year", **scope), none=tr("overview.money_none")
)
if by_year is not None:
    money_table = {
        tr("column.year"): by_year["year"].astype(str),
        tr("column.planned"): [fmt_eur(v) for v in by_year["planned_eur"]],
        tr("column.actual"): [fmt_eur(v) for v in by_year["actual_eur"]],
        tr("column.variance"): [fmt_eur(v) for v in by_year["variance_eur"]],
        tr("column.utilisation"): [fmt_pct(v) if not missing(v) else "–" for v in by_year["utilisation"]],
    }
    money_years_chart(by_year, "year", "overview.money_summary", pd.DataFrame(money_table), key="overview_money_year")

    st.markdown(f"**{tr('overview.money_by_cost_centre')}**")
    centres = data.run("money_by_cost_centre", **scope)
    centre_labels = centres["cost_centre"] + " " + centres["cost_centre_name"].fillna("")
    top = centres.iloc[0]
    chart(
        planned_vs_actual(centres.assign(label=centre_labels), "label", horizontal=True),
        tr_md(
            "overview.cost_centre_summary",
            count=len(centres),
            centre=f"{top['cost_centre']} {top['cost_centre_name'] or ''}".strip(),
            planned=fmt_eur(top["planned_eur"]),
            share=fmt_pct(top["utilisation"]) if not missing(top["utilisation"]) else "–",
        ),
        pd.DataFrame(
            {
                tr("column.cost_centre"): centre_labels,
                tr("column.measures"): centres["measures"],
                tr("column.planned"): [fmt_eur(v) for v in centres["planned_eur"]],
                tr("column.actual"): [fmt_eur(v) for v in centres["actual_eur"]],
                tr("column.variance"): [fmt_eur(v) for v in centres["variance_eur"]],
                tr("column.utilisation"): [fmt_pct(v) if not missing(v) else "–" for v in centres["utilisation"]],
            }
        ),
        key="overview_money_centre",
    )

without_money = data.run("measures_without_money", **scope) if money_shown else None
if without_money is not None:
    st.markdown(f"**{tr('overview.without_money')}**")
if without_money is None:
    pass  # money hidden from the public
elif without_money.empty:
    st.caption(tr("overview.without_money_none"))
else:
    st.caption(tr("overview.without_money_caption", count=len(without_money), total=total))
    with st.expander(tr("overview.without_money_list", count=len(without_money))):
        measure_list(without_money, programme_id)

# -- outcomes: emissions against the target, and the indicators measures move (issue 16) --
organisation_id = int(programme["organisation_id"])
emissions_section(organisation_id, key="overview", internal=internal)
indicator_overview(organisation_id, programme_id, internal=internal)

# -- every measure by theme --
st.subheader(tr("overview.all_measures"))
measures = data.run("programme_measures", **scope)
themes = data.run("programme_themes", programme_id=programme_id, lang=lang)
for row_start in range(0, len(themes), 3):
    # One row of columns per three themes keeps the programme's order when they stack on a phone.
    columns = st.columns(3)
    for column, theme in zip(columns, themes.iloc[row_start : row_start + 3].itertuples(), strict=False):
        in_theme = measures[measures["theme_position"] == theme.position]
        with column.container(border=True):
            st.markdown(f"**{md(theme.name)}**")
            if in_theme.empty:
                st.caption(tr("overview.theme_empty"))
                continue
            measure_list(in_theme, programme_id, item_gap="0.25em")
