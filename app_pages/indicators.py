"""Indicators (``?indicator=ID``): the outcomes the programme follows. The chosen
indicator's figure with its goals and target, the table behind it, and the measures
meant to move it with their status; the emissions indicator shows SYKE's figures
under each reading with the target path. Editors find a link to manage them."""

import streamlit as st

from tracker.present.indicators import period_text, value_text
from ui import data, session, text
from ui.emissions import emissions_section
from ui.formats import missing
from ui.indicators import indicator_view, linked_measures
from ui.programme import required_programme, url_int
from ui.text import md, tr

programme = required_programme("indicators.title")
lang = text.lang()
internal = session.sees_internal()
organisation_id = int(programme["organisation_id"])
programme_id = int(programme.name)

st.title(tr("indicators.title"))
listed = data.run("indicator_list", organisation_id=organisation_id, lang=lang, include_unpublished=internal)
if session.caller().can("editor"):
    st.page_link(
        "app_pages/indicator_form.py",
        label=tr("indicators.manage_link"),
        icon=":material/edit:",
        query_params={"lang": lang, "programme": programme_id},
    )
if listed.empty:
    st.info(tr("indicators.none"))
    st.stop()

names = dict(zip(listed["id"].tolist(), listed["name"], strict=True))
wanted = url_int("indicator")
chosen = st.selectbox(
    tr("indicators.choose"),
    list(names),
    index=list(names).index(wanted) if wanted in names else 0,
    format_func=names.get,
    key="indicators_choice",
)
st.query_params["indicator"] = str(chosen)
found = data.run("indicator_detail", indicator_id=chosen, lang=lang, include_unpublished=internal)
indicator = found.iloc[0]

st.header(md(f"{indicator['name']} ({indicator['unit']})"), anchor=False)
facts = [tr(f"indicators.direction_{indicator['direction']}"), tr(f"indicators.frequency_{indicator['frequency']}")]
if not indicator["is_published"]:
    facts.append(tr("indicators.unpublished"))
st.caption(" · ".join(facts))
if not missing(indicator["description"]):
    st.markdown(md(indicator["description"]))

if indicator["role"] == "emissions":
    if not emissions_section(organisation_id, key="indicators", internal=internal):
        st.info(tr("emissions.no_figures"))
else:
    indicator_view(indicator, key="indicators")
    if indicator["is_illustrative"]:
        st.caption("ⓘ " + tr("app.illustrative"))

goals = data.run("indicator_goal_list", indicator_id=chosen)
if not goals.empty:
    st.subheader(tr("indicators.goals"), anchor=False)
    st.dataframe(
        {
            tr("indicators.period"): [
                period_text(y, m, lang) for y, m in zip(goals["year"], goals["month"], strict=True)
            ],
            tr("indicators.goal"): [f"{value_text(v, lang)} {indicator['unit']}" for v in goals["value"]],
            tr("indicators.goal_note"): goals["note"].fillna(""),
        },
        hide_index=True,
        width="stretch",
    )
linked_measures(chosen, indicator["unit"], internal=internal)
