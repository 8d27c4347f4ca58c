"""Public view: the programme's progress for residents, read-only and embeddable
in the city's website (``?embed=true``). Chosen by the URL: ``programme``,
``theme`` (its position), ``status``, ``q`` (a search), ``lang`` and ``measure``
(a code, for one measure's public page). Shows only published measures and
their public fields. The HTML of each section is tracker.present.public_html's,
the one copy the light pages (/view) use too.

The programme page is a list of sections (``PROGRAMME_SECTIONS``), each a
function of the programme; a new section (a reporting period, a comparison)
plugs in there."""

import pandas as pd
import streamlit as st

from tracker import search
from tracker.present import charts, open_data
from tracker.present import public_html as h
from tracker.status import STATUSES
from ui import data, text
from ui.badges import esc, status_text
from ui.charts import figure
from ui.emissions import emissions_section
from ui.forms import select_or_none
from ui.links import public_link
from ui.programme import demo_notice, period_caption, programmes, url_int
from ui.public_periods import period_links, show_period_view
from ui.public_view import language_links, public_note, public_style
from ui.text import Markdown, md, md_link, tr, tr_md

PAGE = "public"
FEEDBACK = "/view/feedback"


def chosen_programme(configured_id: int | None) -> pd.Series | None:
    """The programme in the URL, else the one configured for the public view, else the default."""
    available = programmes()
    if available.empty:
        return None
    ids = available["id"].tolist()
    current = url_int("programme")
    if current not in ids:
        current = configured_id if configured_id in ids else ids[0]
    return available.set_index("id").loc[current].rename(current)


def feedback_link(label: str, **params) -> str:
    """A link to the feedback form (a light page: one form for every public page)."""
    url = public_link(FEEDBACK, programme=programme_id, **params)
    return f'<p><a href="{esc(url)}" target="_self">{esc(label)}</a></p>'


def section(title_key: str, query: str, empty_key: str, **params) -> pd.DataFrame | None:
    """A section's heading and its rows, or a note that there are none (then None)."""
    st.subheader(tr(title_key), anchor=False)
    rows = data.run(query, **params)
    if rows.empty:
        public_note(tr(empty_key))
        return None
    return rows


# -- one measure --


def show_measure(programme: pd.Series, code: str, show_money: bool) -> None:
    """One measure's public page: status, schedule, description, what was done, decisions, money, feedback."""
    back = public_link(PAGE, programme=int(programme.name))
    st.html(f'<p><a href="{esc(back)}" target="_self">{esc(tr("public.back"))}</a></p>')
    found = data.run("public_measure", programme_id=int(programme.name), code=code, lang=lang, today=data.today())
    if found.empty:
        st.warning(tr_md("public.measure_not_found", code=code))
        return
    measure = found.iloc[0]
    measure_id = int(measure["id"])
    st.header(md(f"{measure['code']} {measure['title']}"), anchor=False)
    st.html(h.measure_facts(measure, lang))
    if measure["is_illustrative"] and programme["is_demo"]:
        public_note("ⓘ " + tr("app.illustrative"))
    st.subheader(tr("measure.description"), anchor=False)
    st.html(h.description(measure["description"], lang))
    events = section("public.timeline", "public_measure_events", "measure.timeline_empty", measure_id=measure_id)
    if events is not None:
        st.html(h.timeline(events, lang))
    decisions = section(
        "measure.decisions", "public_measure_decisions", "measure.decisions_none", measure_id=measure_id
    )
    if decisions is not None:
        st.html(h.decisions(decisions, lang))
    if show_money:
        money = section("measure.money", "public_measure_money", "measure.money_none", measure_id=measure_id)
        if money is not None:
            st.html(h.money(money, lang))
    st.subheader(tr("view.feedback_heading"), anchor=False)
    st.html(feedback_link(tr("view.feedback_measure_link"), kind="measure", code=measure["code"]))


# -- the programme --


def programme_status(programme_id: int) -> bool:
    """The headline figure and the programme's measures by status, first on the page; False when it has none."""
    headline = data.run("public_headline", programme_id=programme_id, theme_position=None).iloc[0]
    if int(headline["total"]) == 0:
        st.info(tr("overview.no_measures"))
        return False
    counts = data.run(
        "theme_status_counts", programme_id=programme_id, lang=lang, include_unpublished=False, today=data.today()
    )
    by_status = counts.groupby("status", sort=False)["measures"].sum().astype(int).to_dict()
    st.subheader(tr("view.status_heading"), anchor=False)
    st.html(h.headline(int(headline["done"]), int(headline["total"]), lang) + h.status_bar(by_status, lang))
    return True


def search_and_filters(programme_id: int) -> tuple[str, int | None, str | None]:
    """The search field in sight, theme and status behind one expander (open when used);
    the URL follows each (``q``, ``theme``, ``status``)."""
    if "public_q" not in st.session_state:
        st.session_state["public_q"] = search.clean_query(st.query_params.get("q"))
    query = search.clean_query(
        st.text_input(
            tr("view.search_label"),
            key="public_q",
            placeholder=tr("view.search_hint"),
            max_chars=search.QUERY_MAX,
        )
    )
    if query:
        st.query_params["q"] = query
    else:
        st.query_params.pop("q", None)
    themes = data.run("programme_themes", programme_id=programme_id, lang=lang)
    theme_names = dict(zip(themes["position"].tolist(), themes["name"], strict=True))
    statuses = {code: status_text(code) for code in STATUSES}
    chosen_before = url_int("theme") in theme_names or st.query_params.get("status") in statuses
    with st.expander(tr("view.filters"), expanded=bool(chosen_before)):
        left, right = st.columns(2)
        theme = url_filter(
            "theme", url_int("theme"), theme_names, tr("public.theme_filter"), tr("public.all_themes"), left
        )
        status = url_filter(
            "status",
            st.query_params.get("status"),
            statuses,
            tr("public.status_filter"),
            tr("public.all_statuses"),
            right,
        )
    return query, theme, status


def url_filter(param: str, wanted, names: dict, label: Markdown, every: str, within):
    """A filter among ``names`` (or ``every``), at first the URL's ``param``; the URL follows the choice."""
    index = [None, *names].index(wanted) if wanted in names else 0
    value = select_or_none(label, names, every, key=f"public_{param}", index=index, within=within)
    if value is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(value)
    return value


def measure_link(code: str) -> str:
    return public_link(PAGE, programme=programme_id, measure=code)


def search_results(programme_id: int, query: str, theme: int | None, status: str | None) -> None:
    """The measures a search found, best first (narrowed by the filters)."""
    st.subheader(tr("view.results"), anchor=False)
    found = data.run(
        "public_search",
        programme_id=programme_id,
        lang=lang,
        query=query,
        prefixes=search.query_prefixes(lang, query),
    )
    if theme is not None:
        found = found[found["theme_position"] == theme]
    if status is not None:
        found = found[found["status"] == status]
    if found.empty:
        st.html(f'<p role="status">{esc(tr("view.no_results", query=query))}</p>')
        return
    count = tr("view.results_count", query=query, count=len(found))
    st.html(f'<p role="status">{esc(count)}</p>' + h.measure_results(found, measure_link, lang))


def measure_links(programme_id: int, theme: int | None, status: str | None) -> None:
    """The measures chosen, by theme, each linked to its public page with its status."""
    st.subheader(tr("public.measures"), anchor=False)
    measures = data.run(
        "public_measures", programme_id=programme_id, lang=lang, theme_position=theme, status=status, today=data.today()
    )
    if measures.empty:
        st.info(tr("public.none_match"))
        return
    public_note(tr("public.measures_count", shown=len(measures)))
    st.html(h.measure_groups(measures, measure_link, lang))


def status_by_theme(programme_id: int, theme: int | None) -> None:
    """Status by theme as a sentence, a chart and a real table."""
    st.subheader(tr("public.by_theme"), anchor=False)
    counts = data.run(
        "theme_status_counts", programme_id=programme_id, lang=lang, include_unpublished=False, today=data.today()
    )
    if theme is not None:
        counts = counts[counts["position"] == theme]
    counts = counts[counts["theme_total"] > 0]
    st.write(md(charts.status_by_theme_summary(counts, lang)))
    st.plotly_chart(
        figure("status_by_theme", counts, lang),
        config={"displayModeBar": False, "responsive": True},
        width="stretch",
        key="public_chart",
    )
    table = charts.status_by_theme_table(counts, lang)
    numbers = set(range(1, len(table.columns)))
    st.html(h.html_table(table.values.tolist(), list(table.columns), tr("public.table_caption"), numbers=numbers))


def feedback_and_feed(programme: pd.Series) -> None:
    """Where a resident can say something back, and follow the changes."""
    st.subheader(tr("view.feedback_heading"), anchor=False)
    st.write(tr("view.feedback_text"))
    feed = f"/feed?programme={int(programme.name)}&lang={lang}"
    st.html(
        feedback_link(tr("view.feedback_link"))
        + f'<p><a href="{esc(feed)}" target="_blank" rel="noopener">{esc(tr("view.feed_link"))}</a></p>'
    )


def open_data_downloads(programme: pd.Series, show_money: bool) -> None:
    """The programme's published measures as CSV and JSON under the configured licence."""
    programme_id = int(programme.name)
    st.subheader(tr("public.open_data"), anchor=False)
    licence, licence_url = public_settings["open_data_licence"], public_settings["open_data_licence_url"]
    st.markdown(tr_md("public.open_data_text", licence=md_link(licence, licence_url)))
    rows = data.run("public_open_data", programme_id=programme_id, lang=lang, include_money=show_money)
    name = f"climate-programme-{programme_id}-{lang}"
    left, right = st.columns(2)
    left.download_button(
        tr("public.download_csv"),
        open_data.measures_csv(rows, lang, include_money=show_money),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key="public_csv",
    )
    right.download_button(
        tr("public.download_json"),
        open_data.measures_json(
            rows,
            lang,
            include_money=show_money,
            organisation=programme["organisation"],
            programme=programme["name"],
            licence=licence,
            licence_url=licence_url,
        ),
        file_name=f"{name}.json",
        mime="application/json",
        on_click="ignore",
        key="public_json",
    )


def show_programme(programme: pd.Series, show_money: bool) -> None:
    """Headline and status first (the first screen on a phone), then search and filters,
    the measures found, status by theme, feedback and the open data."""
    programme_id = int(programme.name)
    if not programme_status(programme_id):
        return
    query, theme, status = search_and_filters(programme_id)
    if query:
        search_results(programme_id, query, theme, status)
    else:
        measure_links(programme_id, theme, status)
    for show in PROGRAMME_SECTIONS:
        show(programme, theme)
    feedback_and_feed(programme)
    open_data_downloads(programme, show_money)


# Sections below the measures, each ``show(programme, theme)``, in page order: status by
# theme, then emissions against the target (ui/emissions.py draws that section).
PROGRAMME_SECTIONS = [
    lambda programme, theme: status_by_theme(int(programme.name), theme),
    lambda programme, theme: emissions_section(int(programme["organisation_id"]), key="public", public=True),
]


lang = text.lang()
public_settings = data.settings()
public_style()
programme = chosen_programme(public_settings["public_programme_id"])
measure_code = st.query_params.get("measure")
if programme is None:
    language_links(PAGE)
    st.title(tr("app.title"), anchor=False)
    st.info(tr("app.no_data"))
    st.stop()

programme_id = int(programme.name)
st.set_page_config(page_title=f"{programme['name']} – {programme['organisation']}")
language_links(
    PAGE,
    programme=programme_id,
    theme=st.query_params.get("theme"),
    status=st.query_params.get("status"),
    q=st.query_params.get("q"),
    measure=measure_code,
    period=st.query_params.get("period"),
    compare=st.query_params.get("compare"),
)
st.title(md(programme["name"]), anchor=False)
public_note(period_caption(programme))
show_money = public_settings["public_show_money"]
if programme["is_demo"]:
    demo_notice(programme_id, measure_link, include_unpublished=False, show_money=show_money)

if measure_code:
    show_measure(programme, measure_code, show_money)
elif not show_period_view(programme, show_money):  # ?period= / ?compare= (ui/public_periods.py)
    show_programme(programme, show_money)
    period_links(programme)

st.divider()
statement = public_link("accessibility", programme=programme_id)
source = tr("public.data_by", organisation=programme["organisation"])
links = [f'<a href="{esc(statement)}" target="_self">{esc(tr("public.accessibility_link"))}</a>', esc(source)]
st.html("<p>" + " · ".join(links) + "</p>")
