"""Public view: the programme's progress for residents, read-only and embeddable
in the city's website (``?embed=true``). Chosen by the URL: ``programme``,
``theme`` (its position), ``status``, ``lang`` and ``measure`` (a code, for one
measure's public page). Shows only published measures and their public fields."""

import pandas as pd
import streamlit as st

from tracker.present import charts, open_data
from tracker.status import STATUSES
from ui import data, text
from ui.badges import esc, status_badge, status_text
from ui.charts import figure
from ui.emissions import emissions_section
from ui.formats import event_text, fmt_date, fmt_eur, schedule_text
from ui.forms import select_or_none
from ui.links import public_link
from ui.programme import demo_notice, period_caption, programmes, url_int
from ui.public_periods import period_links, show_period_view
from ui.public_view import html_table, language_links, public_note, public_style, set_document_language
from ui.text import Markdown, md, md_link, tr, tr_md

PAGE = "public"


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


# -- one measure --


def show_measure(programme: pd.Series, code: str, show_money: bool) -> None:
    """One measure's public page: status, schedule, description, what was done, money."""
    back = public_link(PAGE, programme=int(programme.name))
    st.html(f'<p><a href="{esc(back)}" target="_self">{esc(tr("public.back"))}</a></p>')
    found = data.run("public_measure", programme_id=int(programme.name), code=code, lang=lang, today=data.today())
    if found.empty:
        st.warning(tr_md("public.measure_not_found", code=code))
        return
    measure = found.iloc[0]
    measure_facts(measure, demo=bool(programme["is_demo"]))

    st.subheader(tr("measure.description"), anchor=False)
    description = measure["description"] or tr("measure.no_description")
    st.html("".join(f"<p>{esc(part)}</p>" for part in description.split("\n\n")).replace("\n", "<br>"))
    measure_timeline(int(measure["id"]))
    if show_money:
        measure_money(int(measure["id"]))


def measure_facts(measure: pd.Series, *, demo: bool) -> None:
    """The measure's heading, status and progress, theme, schedule, who is responsible, when updated."""
    st.header(md(f"{measure['code']} {measure['title']}"), anchor=False)
    facts = [status_badge(measure["status"]), esc(tr("public.progress", progress=int(measure["progress"])))]
    if measure["is_continuous"]:
        facts.append(esc("⟳ " + tr("status.continuous")))
    st.html("<p>" + " · ".join(facts) + "</p>")
    details = [
        (tr("measure.theme"), measure["theme"]),
        (tr("measure.schedule"), schedule_text(measure["start_date"], measure["end_date"], measure["is_continuous"])),
        (tr("measure.responsible"), measure["responsible_unit"] or "–"),
        (tr("column.updated"), fmt_date(measure["updated_on"])),
    ]
    st.html('<dl class="public-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in details) + "</dl>")
    if measure["is_illustrative"] and demo:
        public_note("ⓘ " + tr("app.illustrative"))


def section(title_key: str, query: str, empty_key: str, **params) -> pd.DataFrame | None:
    """A section's heading and its rows, or a note that there are none (then None)."""
    st.subheader(tr(title_key), anchor=False)
    rows = data.run(query, **params)
    if rows.empty:
        public_note(tr(empty_key))
        return None
    return rows


def measure_timeline(measure_id: int) -> None:
    """What was done: the events with a public note, newest first."""
    events = section("public.timeline", "public_measure_events", "measure.timeline_empty", measure_id=measure_id)
    if events is None:
        return
    items = []
    for event in events.itertuples():
        note = f"<br>{esc(event.note)}" if event.note else ""
        items.append(f"<li><strong>{esc(fmt_date(event.occurred_at))}</strong> · {esc(event_text(event))}{note}</li>")
    st.html('<ul class="public-timeline">' + "".join(items) + "</ul>")


def measure_money(measure_id: int) -> None:
    """The money planned and spent, in total and per year and cost centre."""
    money = section("measure.money", "public_measure_money", "measure.money_none", measure_id=measure_id)
    if money is None:
        return
    totals = money.iloc[0]
    st.write(
        tr("measure.money_summary", planned=fmt_eur(totals["planned_total"]), actual=fmt_eur(totals["actual_total"]))
    )
    rows = [
        [
            str(line.year),
            f"{line.cost_centre} {line.cost_centre_name or ''}".strip(),
            fmt_eur(line.planned_eur),
            fmt_eur(line.actual_eur) or "–",
        ]
        for line in money.itertuples()
    ]
    headers = [tr("column.year"), tr("column.cost_centre"), tr("column.planned"), tr("column.actual")]
    st.html(html_table(rows, headers, tr("public.money_caption"), numbers={2, 3}))


# -- the programme --


def show_programme(programme: pd.Series, show_money: bool) -> None:
    """The headline, status by theme (chart, summary, table), the measures and the open data."""
    programme_id = int(programme.name)
    theme, status = chosen_filters(programme_id)
    headline = data.run("public_headline", programme_id=programme_id, theme_position=theme).iloc[0]
    if int(headline["total"]) == 0:
        st.info(tr("overview.no_measures"))
        return
    st.header(tr("overview.headline", done=int(headline["done"]), total=int(headline["total"])), anchor=False)
    status_by_theme(programme_id, theme)
    # -- emissions against the target (issue 16): ui/emissions.py draws the section --
    emissions_section(int(programme["organisation_id"]), key="public", public=True)
    # -- end of emissions --
    measure_links(programme_id, theme, status)
    open_data_downloads(programme, show_money)


def chosen_filters(programme_id: int) -> tuple[int | None, str | None]:
    """The theme (its position) and status chosen, at first from the URL, which follows the choice."""
    themes = data.run("programme_themes", programme_id=programme_id, lang=lang)
    theme_names = dict(zip(themes["position"].tolist(), themes["name"], strict=True))
    statuses = {code: status_text(code) for code in STATUSES}
    left, right = st.columns(2)
    theme = url_filter("theme", url_int("theme"), theme_names, tr("public.theme_filter"), tr("public.all_themes"), left)
    status = url_filter(
        "status", st.query_params.get("status"), statuses, tr("public.status_filter"), tr("public.all_statuses"), right
    )
    return theme, status


def url_filter(param: str, wanted, names: dict, label: Markdown, every: str, within):
    """A filter among ``names`` (or ``every``), at first the URL's ``param``; the URL follows the choice."""
    index = [None, *names].index(wanted) if wanted in names else 0
    value = select_or_none(label, names, every, key=f"public_{param}", index=index, within=within)
    if value is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(value)
    return value


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
    st.html(html_table(table.values.tolist(), list(table.columns), tr("public.table_caption"), numbers=numbers))


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
    blocks = []
    for _position, group in measures.groupby("theme_position", sort=False):
        items = "".join(
            f'<li><a href="{esc(public_link(PAGE, programme=programme_id, measure=m.code))}" '
            f'target="_self">{esc(m.code)} {esc(m.title)}</a> — {status_badge(m.status)}</li>'
            for m in group.itertuples()
        )
        blocks.append(f'<h3>{esc(group["theme"].iloc[0])}</h3><ul class="public-measures">{items}</ul>')
    st.html("".join(blocks))


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


lang = text.lang()
public_settings = data.settings()
set_document_language()
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
    measure=measure_code,
    period=st.query_params.get("period"),
    compare=st.query_params.get("compare"),
)
st.title(md(programme["name"]), anchor=False)
public_note(period_caption(programme))
show_money = public_settings["public_show_money"]
if programme["is_demo"]:
    demo_notice(
        programme_id,
        lambda code: public_link(PAGE, programme=programme_id, measure=code),
        include_unpublished=False,
        show_money=show_money,
    )

if measure_code:
    show_measure(programme, measure_code, show_money)
elif not show_period_view(programme, show_money):  # issue 14: ?period= / ?compare= (ui/public_periods.py)
    show_programme(programme, show_money)
    period_links(programme)

st.divider()
statement = public_link("accessibility", programme=programme_id)
source = tr("public.data_by", organisation=programme["organisation"])
st.html(f'<p><a href="{esc(statement)}" target="_self">{esc(tr("public.accessibility_link"))}</a> · {esc(source)}</p>')
