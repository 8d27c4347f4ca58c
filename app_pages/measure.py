"""Measure: everything about one measure (``?code=6.1``): status, progress,
schedule, people, description, what was done, money and decisions."""

import pandas as pd
import streamlit as st

from tracker import i18n
from ui import data, session, text
from ui.badges import esc, status_badge
from ui.charts import money_years_chart
from ui.formats import event_text, fmt_date, fmt_eur, fmt_pct, missing, schedule_text
from ui.indicators import effect_text, summary_text
from ui.links import page_link, view_params
from ui.money import money_section
from ui.periods import ready_toggles
from ui.programme import required_programme
from ui.tables import Column, table
from ui.text import md, tr, tr_md

programme = required_programme("nav.measure")

lang = text.lang()
programme_id = int(programme.name)
internal = session.sees_internal()
code = st.query_params.get("code")
if not code:
    measures = data.run(
        "programme_measures", programme_id=programme_id, lang=lang, include_unpublished=internal, today=data.today()
    )
    st.title(tr("nav.measure"))
    if measures.empty:
        st.info(tr("overview.no_measures"))
        st.stop()
    labels = dict(zip(measures["code"], measures["code"] + " " + measures["title"], strict=True))
    code = st.selectbox(
        tr("measure.choose"), list(labels), format_func=labels.get, key="measure_choice", placeholder=tr("app.choose")
    )
    st.query_params["code"] = code

found = data.run(
    "measure_by_code",
    programme_id=programme_id,
    code=code,
    lang=lang,
    include_unpublished=internal,
    include_internal=internal,
    today=data.today(),
)
st.page_link(
    "app_pages/measures.py",
    label=tr("measure.back"),
    query_params=view_params("measures", lang=lang, programme=programme_id),
)
if found.empty:
    st.title(tr("nav.measure"))
    st.warning(tr_md("measure.not_found", code=code))
    st.stop()
measure = found.iloc[0]

# Long Finnish compound words in a title would break mid-word on a phone at the default size.
st.html("<style>@media (max-width: 640px) { h1 { font-size: 1.75rem !important; } }</style>")
st.title(md(f"{measure['code']} {measure['title']}"))
st.markdown(
    f"{status_badge(measure['status'])}"
    + (f" &nbsp;<span>⟳ {esc(tr('status.continuous'))}</span>" if measure["is_continuous"] else ""),
    unsafe_allow_html=True,
)
if measure["status"] != measure["set_status"]:  # late by the late rule, not by the status set on it
    status_set = i18n.status_label(measure["set_status"], lang)
    st.caption(tr("late.past_end", date=fmt_date(measure["end_date"]), status=status_set) + " " + tr("late.rule"))
st.progress(int(measure["progress"]) / 100, text=tr("measure.progress", progress=int(measure["progress"])))
if measure["is_illustrative"]:
    st.caption("ⓘ " + tr("app.illustrative"))
elif programme["is_demo"]:
    st.caption("✔ " + tr("app.real_data"))
if not measure["is_published"]:
    st.warning(tr("measure.unpublished"))
ready_toggles(int(measure["id"]), lang)

facts = st.columns(4)
schedule = schedule_text(measure["start_date"], measure["end_date"], measure["is_continuous"])
facts[0].markdown(f"**{tr('measure.schedule')}**  \n{md(schedule)}")
facts[1].markdown(f"**{tr('measure.theme')}**  \n{md(measure['theme'])}")
facts[2].markdown(f"**{tr('measure.responsible')}**  \n{md(measure['responsible_unit'] or '–')}")
contact = measure["contact_name"] or "–"
if internal and measure["contact_email"]:
    contact += f" ({measure['contact_email']})"
facts[3].markdown(f"**{tr('measure.contact')}**  \n{md(contact)}")

st.subheader(tr("measure.description"))
st.text(measure["description"] or tr("measure.no_description"))
if internal and measure["internal_note"]:
    st.info(f"**{tr('measure.internal_note')}:** {md(measure['internal_note'])}")

measure_id = int(measure["id"])


def centre_text(code: str, name) -> str:
    return code if missing(name) else f"{code} {name}"


timeline_col, side_col = st.columns([3, 2])
with timeline_col:
    st.subheader(tr("measure.timeline"))
    events = data.run("measure_events", measure_id=measure_id, include_internal=internal)
    if events.empty:
        st.caption(tr("measure.timeline_empty"))
    for event in events.itertuples():
        change = event_text(event)
        internal_mark = "" if event.note_is_public else f" · 🔒 {tr('measure.event_internal')}"
        with st.container(border=True):
            st.markdown(f"**{md(fmt_date(event.occurred_at))}** · {md(change)}{md(internal_mark)}")
            if event.note:
                st.text(event.note)

with side_col:
    # Money hidden from the public (public_show_money off): no money section for an anonymous visitor.
    lines = money_section(
        session.sees_money(),
        tr("measure.money"),
        lambda: data.run("measure_budget_lines", measure_id=measure_id),
        none=tr("measure.money_none"),
        say_none=st.caption,
    )
    if lines is not None:
        st.write(
            tr(
                "measure.money_summary",
                planned=fmt_eur(lines["planned_total"].iloc[0]),
                actual=fmt_eur(lines["actual_total"].iloc[0]),
            )
        )
        table(
            [
                [str(line.year), centre_text(line.cost_centre, line.cost_centre_name), planned, actual]
                for line, planned, actual in zip(
                    lines.itertuples(),
                    [fmt_eur(v) for v in lines["planned_eur"]],
                    [fmt_eur(v) for v in lines["actual_eur"]],
                    strict=True,
                )
            ],
            [
                Column(tr("column.year"), nowrap=True, lead=True),
                Column(tr("column.cost_centre"), lead=True),
                Column(tr("column.planned"), number=True),
                Column(tr("column.actual"), number=True),
            ],
            tr("measure.money"),
            cards=True,
        )
        money_years_chart(
            lines.assign(label=lines["year"].astype(str) + " " + lines["cost_centre"]),
            "label" if lines["year"].duplicated().any() else "year",
            "measure.money_chart_summary",
            pd.DataFrame(
                {
                    tr("column.year"): lines["year"].astype(str),
                    tr("column.cost_centre"): lines["cost_centre"],
                    tr("column.variance"): [fmt_eur(v) for v in lines["variance_eur"]],
                    tr("column.utilisation"): ["–" if missing(u) else fmt_pct(u) for u in lines["utilisation"]],
                }
            ),
            key="measure_money_chart",
        )

    st.subheader(tr("measure.decisions"))
    decisions = data.run("measure_decisions", measure_id=measure_id)
    if decisions.empty:
        st.caption(tr("measure.decisions_none"))
    for decision in decisions.itertuples():
        when = fmt_date(decision.decided_on) or tr("measure.decision_undated")
        head = f"{decision.body} · {when}" + ("" if missing(decision.section) else f" § {int(decision.section)}")
        with st.container(border=True):
            st.markdown(f"**{md(head)}**")
            if decision.title:
                st.markdown(md(decision.title))
            outcome = tr(f"outcome.{decision.outcome}")
            if missing(decision.unanimous):
                pass
            elif decision.unanimous:
                outcome += f", {tr('measure.unanimous')}"
            else:
                outcome += f", {tr('measure.by_vote')}"
            st.markdown(f"⚖ {md(outcome)}")
            if decision.case_number:
                st.caption(tr_md("measure.case_number", value=decision.case_number))
            st.caption(("ⓘ " + tr("app.illustrative")) if decision.is_illustrative else ("✔ " + tr("app.real_data")))
            if decision.url and str(decision.url).startswith(("https://", "http://")):
                st.link_button(tr("measure.open_link"), decision.url)
            if decision.text:
                with st.expander(tr("measure.decision_text")):
                    st.text(decision.text)

st.subheader(tr("measure.indicator"))
indicators = data.run("measure_indicator_summary", measure_id=measure_id, lang=lang, include_unpublished=internal)
if indicators.empty:
    st.caption(tr("measure.indicator_none"))
for indicator in indicators.to_dict("records"):
    with st.container(border=True):
        link = page_link("indicators", programme=programme_id, indicator=indicator["id"])
        name = f"<strong>{esc(indicator['name'])}</strong>"
        st.html(f'<p><a href="{esc(link)}" target="_self">{name}</a> ({esc(indicator["unit"])})</p>')
        st.markdown(md(tr("measure.indicator_effect", effect=effect_text(indicator, indicator["unit"]))))
        if not missing(indicator["effect_note"]):
            st.caption(md(indicator["effect_note"]))
        st.markdown(md(summary_text(indicator)))
        if indicator["is_illustrative"]:
            st.caption("ⓘ " + tr("app.illustrative"))
