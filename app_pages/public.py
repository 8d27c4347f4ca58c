"""Public view: the programme's progress for residents, read-only and embeddable
in the city's website (``?embed=true``). Chosen by the URL: ``programme``,
``theme`` (its position), ``status``, ``lang`` and ``measure`` (a code, for one
measure's public page). Shows only published measures and their public fields."""

import streamlit as st

from app_pages import common
from app_pages.common import esc, status_badge, tr
from tracker import i18n, settings
from tracker.present import charts, open_data
from tracker.status import STATUSES

PAGE = "public"


def html_table(rows: list[list], headers: list[str], caption: str, numbers: set[int] = frozenset()) -> str:
    """A real <table> with a caption and column headers, scrolling inside itself when narrow."""
    head = "".join(
        f'<th scope="col" class="{"number" if i in numbers else ""}">{esc(h)}</th>' for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            (
                f'<th scope="row">{esc(v)}</th>'
                if i == 0
                else f'<td class="{"number" if i in numbers else ""}">{esc(v)}</td>'
            )
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="public-table" role="region" tabindex="0" aria-label="{esc(caption)}">'
        f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def chosen_programme(con):
    """The programme in the URL, else the one configured for the public view, else the default."""
    available = common.programmes()
    if available.empty:
        return None
    ids = available["id"].tolist()
    try:
        current = int(st.query_params.get("programme", ""))
    except ValueError:
        current = None
    if current not in ids:
        configured = settings.get(con, "public_programme_id")
        current = configured if configured in ids else ids[0]
    return available.set_index("id").loc[current].rename(current)


def show_measure(programme_id: int, code: str, show_money: bool) -> None:
    """One measure's public page: status, schedule, description, what was done, money."""
    back = common.public_link(PAGE, programme=programme_id)
    st.html(f'<p><a href="{esc(back)}" target="_self">{esc(tr("public.back"))}</a></p>')
    found = common.run("public_measure", programme_id=programme_id, code=code, lang=lang)
    if found.empty:
        st.warning(tr("public.measure_not_found", code=code))
        return
    measure = found.iloc[0]
    st.header(f"{measure['code']} {measure['title']}", anchor=False)
    facts = [status_badge(measure["status"]), esc(tr("public.progress", progress=int(measure["progress"])))]
    if measure["is_continuous"]:
        facts.append(esc("⟳ " + tr("status.continuous")))
    st.html("<p>" + " · ".join(facts) + "</p>")
    if common.missing(measure["start_date"]) and common.missing(measure["end_date"]):
        schedule = tr("measure.schedule_unknown")
    else:
        end = common.fmt_date(measure["end_date"]) or (tr("status.continuous") if measure["is_continuous"] else "")
        schedule = tr("measure.schedule_range", start=common.fmt_date(measure["start_date"]), end=end)
    details = [
        (tr("measure.theme"), measure["theme"]),
        (tr("measure.schedule"), schedule),
        (tr("measure.responsible"), measure["responsible_unit"] or "–"),
        (tr("column.updated"), common.fmt_date(measure["updated_on"])),
    ]
    st.html('<dl class="public-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in details) + "</dl>")
    if measure["is_illustrative"] and programme["is_demo"]:
        common.public_note("ⓘ " + tr("app.illustrative"))

    st.subheader(tr("measure.description"), anchor=False)
    text = measure["description"] or tr("measure.no_description")
    st.html("".join(f"<p>{esc(part)}</p>" for part in text.split("\n\n")).replace("\n", "<br>"))

    st.subheader(tr("public.timeline"), anchor=False)
    events = common.run("public_measure_events", measure_id=int(measure["id"]))
    if events.empty:
        common.public_note(tr("measure.timeline_empty"))
    else:
        items = []
        for event in events.itertuples():
            if common.missing(event.old_status):
                change = tr(
                    "measure.event_created",
                    status=i18n.status_label(event.new_status, lang),
                    progress=event.new_progress,
                )
            else:
                change = tr(
                    "measure.event_change",
                    old_status=i18n.status_label(event.old_status, lang),
                    new_status=i18n.status_label(event.new_status, lang),
                    old_progress=int(event.old_progress),
                    new_progress=event.new_progress,
                )
            note = f"<br>{esc(event.note)}" if event.note else ""
            items.append(f"<li><strong>{esc(common.fmt_date(event.occurred_at))}</strong> · {esc(change)}{note}</li>")
        st.html('<ul class="public-timeline">' + "".join(items) + "</ul>")

    if show_money:
        st.subheader(tr("measure.money"), anchor=False)
        money = common.run("public_measure_money", measure_id=int(measure["id"]))
        if money.empty:
            common.public_note(tr("measure.money_none"))
        else:
            st.write(
                tr(
                    "measure.money_summary",
                    planned=common.fmt_eur(money["planned_eur"].sum()),
                    actual=common.fmt_eur(money["actual_eur"].sum()),
                )
            )
            rows = [
                [
                    str(line.year),
                    f"{line.cost_centre} {line.cost_centre_name or ''}".strip(),
                    common.fmt_eur(line.planned_eur),
                    common.fmt_eur(line.actual_eur) or "–",
                ]
                for line in money.itertuples()
            ]
            headers = [tr("column.year"), tr("column.cost_centre"), tr("column.planned"), tr("column.actual")]
            st.html(html_table(rows, headers, tr("public.money_caption"), numbers={2, 3}))


def show_programme(programme_id: int, show_money: bool) -> None:
    """The headline, status by theme (chart, summary, table), the measures and the open data."""
    themes = common.run("programme_themes", programme_id=programme_id, lang=lang)
    theme_names = dict(zip(themes["position"].tolist(), themes["name"], strict=True))
    try:
        wanted_theme = int(st.query_params.get("theme", ""))
    except ValueError:
        wanted_theme = None
    wanted_status = st.query_params.get("status")
    left, right = st.columns(2)
    theme = left.selectbox(
        tr("public.theme_filter"),
        [None, *theme_names],
        index=[None, *theme_names].index(wanted_theme) if wanted_theme in theme_names else 0,
        format_func=lambda p: tr("public.all_themes") if p is None else theme_names[p],
        key="public_theme",
        placeholder=tr("app.choose"),
    )
    status = right.selectbox(
        tr("public.status_filter"),
        [None, *STATUSES],
        index=[None, *STATUSES].index(wanted_status) if wanted_status in STATUSES else 0,
        format_func=lambda s: tr("public.all_statuses") if s is None else common.status_text(s),
        key="public_status",
        placeholder=tr("app.choose"),
    )
    for key, value in (("theme", theme), ("status", status)):
        if value is None:
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = str(value)

    headline = common.run("public_headline", programme_id=programme_id, theme_position=theme).iloc[0]
    if int(headline["total"]) == 0:
        st.info(tr("overview.no_measures"))
        return
    st.header(tr("overview.headline", done=int(headline["done"]), total=int(headline["total"])), anchor=False)

    st.subheader(tr("public.by_theme"), anchor=False)
    counts = common.run("theme_status_counts", programme_id=programme_id, lang=lang, include_unpublished=False)
    if theme is not None:
        counts = counts[counts["position"] == theme]
    counts = counts[counts["theme_total"] > 0]
    st.write(charts.status_by_theme_summary(counts, lang))
    st.plotly_chart(
        common.figure("status_by_theme", counts, lang),
        config={"displayModeBar": False, "responsive": True},
        width="stretch",
        key="public_chart",
    )
    table = charts.status_by_theme_table(counts, lang)
    st.html(
        html_table(
            table.values.tolist(),
            list(table.columns),
            tr("public.table_caption"),
            numbers=set(range(1, len(table.columns))),
        )
    )

    st.subheader(tr("public.measures"), anchor=False)
    measures = common.run("public_measures", programme_id=programme_id, lang=lang, theme_position=theme, status=status)
    if measures.empty:
        st.info(tr("public.none_match"))
    else:
        common.public_note(tr("public.measures_count", shown=len(measures)))
        blocks = []
        for _position, group in measures.groupby("theme_position", sort=False):
            items = "".join(
                f'<li><a href="{esc(common.public_link(PAGE, programme=programme_id, measure=m.code))}" '
                f'target="_self">{esc(m.code)} {esc(m.title)}</a> — {status_badge(m.status)}</li>'
                for m in group.itertuples()
            )
            blocks.append(f'<h3>{esc(group["theme"].iloc[0])}</h3><ul class="public-measures">{items}</ul>')
        st.html("".join(blocks))

    st.subheader(tr("public.open_data"), anchor=False)
    con = common.connection()
    licence = settings.get(con, "open_data_licence")
    licence_url = settings.get(con, "open_data_licence_url")
    st.markdown(tr("public.open_data_text", licence=licence, url=licence_url))
    rows = common.run("public_open_data", programme_id=programme_id, lang=lang, include_money=show_money)
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


lang = common.lang()
con = common.connection()
common.set_document_language()
common.public_style()
programme = chosen_programme(con)
measure_code = st.query_params.get("measure")
if programme is None:
    common.language_links(PAGE)
    st.title(tr("app.title"), anchor=False)
    st.info(tr("app.no_data"))
    st.stop()

programme_id = int(programme.name)
st.set_page_config(page_title=f"{programme['name']} – {programme['organisation']}")
common.language_links(
    PAGE,
    programme=programme_id,
    theme=st.query_params.get("theme"),
    status=st.query_params.get("status"),
    measure=measure_code,
)
st.title(programme["name"], anchor=False)
caption = programme["organisation"]
if not common.missing(programme["start_year"]):
    caption += " · " + tr("overview.period", start=programme["start_year"], end=programme["end_year"])
common.public_note(caption)
show_money = settings.get(con, "public_show_money")
if programme["is_demo"]:
    common.demo_notice(
        programme_id,
        lambda code: common.public_link("public", programme=programme_id, measure=code),
        include_unpublished=False,
        show_money=show_money,
    )

if measure_code:
    show_measure(programme_id, measure_code, show_money)
else:
    show_programme(programme_id, show_money)

st.divider()
statement = common.public_link("accessibility", programme=programme_id)
source = tr("public.data_by", organisation=programme["organisation"])
st.html(f'<p><a href="{esc(statement)}" target="_self">{esc(tr("public.accessibility_link"))}</a> · {esc(source)}</p>')
