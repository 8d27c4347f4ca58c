"""Measure: everything about one measure (``?code=6.1``): status, progress,
schedule, people, description, what was done, money and decisions."""

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import esc, status_badge, tr
from tracker import i18n

programme = common.selected_programme()
if programme is None:
    st.title(tr("nav.measure"))
    st.info(tr("app.no_data"))
    st.stop()

lang = common.lang()
programme_id = int(programme.name)
internal = common.sees_internal()
code = st.query_params.get("code")
if not code:
    measures = common.run("programme_measures", programme_id=programme_id, lang=lang, include_unpublished=internal)
    st.title(tr("nav.measure"))
    if measures.empty:
        st.info(tr("overview.no_measures"))
        st.stop()
    labels = dict(zip(measures["code"], measures["code"] + " " + measures["title"], strict=True))
    code = st.selectbox(
        tr("measure.choose"), list(labels), format_func=labels.get, key="measure_choice", placeholder=tr("app.choose")
    )
    st.query_params["code"] = code

found = common.run(
    "measure_by_code",
    programme_id=programme_id,
    code=code,
    lang=lang,
    include_unpublished=internal,
    include_internal=internal,
)
st.page_link("app_pages/measures.py", label=tr("measure.back"), query_params={"lang": lang, "programme": programme_id})
if found.empty:
    st.title(tr("nav.measure"))
    st.warning(tr("measure.not_found", code=code))
    st.stop()
measure = found.iloc[0]

# Long Finnish compound words in a title would break mid-word on a phone at the default size.
st.html("<style>@media (max-width: 640px) { h1 { font-size: 1.75rem !important; } }</style>")
st.title(f"{measure['code']} {measure['title']}")
st.markdown(
    f"{status_badge(measure['status'])}"
    + (f" &nbsp;<span>⟳ {esc(tr('status.continuous'))}</span>" if measure["is_continuous"] else ""),
    unsafe_allow_html=True,
)
st.progress(int(measure["progress"]) / 100, text=tr("measure.progress", progress=int(measure["progress"])))
if measure["is_illustrative"]:
    st.caption("ⓘ " + tr("app.illustrative"))
elif programme["is_demo"]:
    st.caption("✔ " + tr("app.real_data"))
if not measure["is_published"]:
    st.warning(tr("measure.unpublished"))

facts = st.columns(4)
if common.missing(measure["start_date"]) and common.missing(measure["end_date"]):
    schedule = tr("measure.schedule_unknown")
else:
    end = common.fmt_date(measure["end_date"])
    if not end and measure["is_continuous"]:
        end = tr("status.continuous")
    schedule = tr("measure.schedule_range", start=common.fmt_date(measure["start_date"]), end=end)
facts[0].markdown(f"**{tr('measure.schedule')}**  \n{esc(schedule)}")
facts[1].markdown(f"**{tr('measure.theme')}**  \n{esc(measure['theme'])}")
facts[2].markdown(f"**{tr('measure.responsible')}**  \n{esc(measure['responsible_unit'] or '–')}")
contact = measure["contact_name"] or "–"
if internal and measure["contact_email"]:
    contact += f" ({measure['contact_email']})"
facts[3].markdown(f"**{tr('measure.contact')}**  \n{esc(contact)}")

st.subheader(tr("measure.description"))
st.text(measure["description"] or tr("measure.no_description"))
if internal and measure["internal_note"]:
    st.info(f"**{tr('measure.internal_note')}:** {esc(measure['internal_note'])}")

measure_id = int(measure["id"])
timeline_col, side_col = st.columns([3, 2])
with timeline_col:
    st.subheader(tr("measure.timeline"))
    events = common.run("measure_events", measure_id=measure_id, include_internal=internal)
    if events.empty:
        st.caption(tr("measure.timeline_empty"))
    for event in events.itertuples():
        if common.missing(event.old_status):
            change = tr(
                "measure.event_created", status=i18n.status_label(event.new_status, lang), progress=event.new_progress
            )
        else:
            change = tr(
                "measure.event_change",
                old_status=i18n.status_label(event.old_status, lang),
                new_status=i18n.status_label(event.new_status, lang),
                old_progress=int(event.old_progress),
                new_progress=event.new_progress,
            )
        internal_mark = "" if event.note_is_public else f" · 🔒 {tr('measure.event_internal')}"
        with st.container(border=True):
            st.markdown(f"**{esc(common.fmt_date(event.occurred_at))}** · {esc(change)}{esc(internal_mark)}")
            if event.note:
                st.text(event.note)

with side_col:
    st.subheader(tr("measure.money"))
    lines = common.run("measure_budget_lines", measure_id=measure_id)
    if lines.empty:
        st.caption(tr("measure.money_none"))
    else:
        st.write(
            tr(
                "measure.money_summary",
                planned=common.fmt_eur(lines["planned_total"].iloc[0]),
                actual=common.fmt_eur(lines["actual_total"].iloc[0]),
            )
        )
        st.dataframe(
            {
                tr("column.year"): lines["year"].astype(str),
                tr("column.cost_centre"): lines["cost_centre"] + " " + lines["cost_centre_name"].fillna(""),
                tr("column.planned"): [common.fmt_eur(v) for v in lines["planned_eur"]],
                tr("column.actual"): [common.fmt_eur(v) for v in lines["actual_eur"]],
            },
            hide_index=True,
            width="stretch",
        )
        common.chart(
            common.figure(
                "planned_vs_actual",
                lines.assign(label=lines["year"].astype(str) + " " + lines["cost_centre"]),
                "label" if lines["year"].duplicated().any() else "year",
                lang,
                planned_name=tr("column.planned"),
                actual_name=tr("column.actual"),
            ),
            tr(
                "measure.money_chart_summary",
                first=int(lines["year"].min()),
                last=int(lines["year"].max()),
                planned=common.fmt_eur(lines["planned_total"].iloc[0]),
                actual=common.fmt_eur(lines["actual_total"].iloc[0]),
            ),
            pd.DataFrame(
                {
                    tr("column.year"): lines["year"].astype(str),
                    tr("column.cost_centre"): lines["cost_centre"],
                    tr("column.variance"): [common.fmt_eur(v) for v in lines["variance_eur"]],
                    tr("column.utilisation"): [
                        "–" if common.missing(u) else common.fmt_pct(u) for u in lines["utilisation"]
                    ],
                }
            ),
            key="measure_money_chart",
        )

    st.subheader(tr("measure.decisions"))
    decisions = common.run("measure_decisions", measure_id=measure_id)
    if decisions.empty:
        st.caption(tr("measure.decisions_none"))
    for decision in decisions.itertuples():
        when = common.fmt_date(decision.decided_on) or tr("measure.decision_undated")
        head = f"{decision.body} · {when}" + ("" if common.missing(decision.section) else f" § {int(decision.section)}")
        with st.container(border=True):
            st.markdown(f"**{esc(head)}**")
            if decision.title:
                st.markdown(esc(decision.title))
            outcome = tr(f"outcome.{decision.outcome}")
            if common.missing(decision.unanimous):
                pass
            elif decision.unanimous:
                outcome += f", {tr('measure.unanimous')}"
            else:
                outcome += f", {tr('measure.by_vote')}"
            st.markdown(f"⚖ {esc(outcome)}")
            if decision.case_number:
                st.caption(tr("measure.case_number", value=decision.case_number))
            st.caption(("ⓘ " + tr("app.illustrative")) if decision.is_illustrative else ("✔ " + tr("app.real_data")))
            if decision.url and str(decision.url).startswith(("https://", "http://")):
                st.link_button(tr("measure.open_link"), decision.url)
            if decision.text:
                with st.expander(tr("measure.decision_text")):
                    st.text(decision.text)

st.subheader(tr("measure.indicator"))
indicators = common.run("measure_indicator_summary", measure_id=measure_id, lang=lang)
if indicators.empty:
    st.caption(tr("measure.indicator_none"))
for indicator in indicators.itertuples():
    with st.container(border=True):
        st.markdown(f"**{esc(indicator.name)}** ({esc(indicator.unit)})")
        if common.missing(indicator.latest_year):
            st.caption(tr("overview.indicator_no_values", name=indicator.name))
            continue
        text = tr(
            "measure.indicator_latest",
            year=int(indicator.latest_year),
            value=i18n.format_number(indicator.latest_total, lang, 0),
            unit=indicator.unit,
        )
        if not common.missing(indicator.target_total):
            text += " " + tr(
                "measure.indicator_target",
                base_year=int(indicator.base_year),
                base=i18n.format_number(indicator.base_total, lang, 0),
                target_year=int(indicator.target_year),
                target=i18n.format_number(indicator.target_total, lang, 0),
                unit=indicator.unit,
            )
        st.markdown(esc(text))
        st.page_link(
            "app_pages/overview.py",
            label=tr("measure.indicator_link"),
            query_params={"lang": lang, "programme": programme_id},
        )
        if indicator.is_illustrative:
            st.caption("ⓘ " + tr("app.illustrative"))
