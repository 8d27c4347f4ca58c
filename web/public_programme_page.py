"""/view, the programme's light page: headline, status, search and filters, the
measures, status by theme, emissions, feedback and open-data links."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from tracker import i18n, search
from tracker.present import charts, emissions
from tracker.present import public_html as h
from tracker.status import STATUSES
from web import cache
from web.public_html import (
    FEEDBACK,
    MEASURE,
    OPEN_DATA,
    VIEW,
    Reader,
    chosen_programme,
    document,
    feed_url,
    footer,
    public_settings,
    run_query,
    section,
)


def _period(reader: Reader, programme: pd.Series) -> str:
    caption = programme["organisation"]
    if not h.missing(programme["start_year"]):
        caption += " · " + reader.t(
            "overview.period", start=int(programme["start_year"]), end=int(programme["end_year"])
        )
    return h.note(caption)


def _demo_notice(reader: Reader, programme: pd.Series, show_money: bool) -> str:
    """In a demo programme: the one real measure with its status, money and decision."""
    if not programme["is_demo"]:
        return ""
    notices = []
    real = run_query(
        "demo_real_measures", programme_id=int(programme.name), lang=reader.lang, include_unpublished=False
    )
    for row in real.itertuples():
        details = []
        if show_money and not h.missing(row.first_year):
            per_year = not h.missing(row.planned_per_year)
            details.append(
                reader.t(
                    "app.demo_money_per_year" if per_year else "app.demo_money_total",
                    amount=i18n.format_eur(row.planned_per_year if per_year else row.planned_eur, reader.lang),
                    first=row.first_year,
                    last=row.last_year,
                )
            )
        if not h.missing(row.decision_body):
            outcome = reader.t(f"outcome.{row.decision_outcome}")
            if not h.missing(row.decision_unanimous) and row.decision_unanimous:
                outcome += " " + reader.t("measure.unanimous")
            details.append(reader.t("app.demo_decision", body=row.decision_body, outcome=outcome.lower()))
        link = f'<a href="{h.esc(reader.url(MEASURE, code=row.code))}">{h.esc(row.code)} {h.esc(row.title)}</a>'
        notices.append(
            '<div class="notice"><p>'
            + reader.t(
                "view.demo_notice",
                link=link,
                status=h.esc(h.status_text(row.status, reader.lang)),
                details=h.esc("".join(f" · {d}" for d in details)),
            )
            + "</p></div>"
        )
    return "".join(notices)


# -- the programme page --


def _search_form(reader: Reader, themes: pd.DataFrame) -> str:
    """One form: the search field in sight, theme and status behind one <details> (open when used)."""
    hidden = f'<input type="hidden" name="lang" value="{reader.lang}">'
    if reader.programme_id is not None:
        hidden += f'<input type="hidden" name="programme" value="{reader.programme_id}">'
    if reader.embed:
        hidden += '<input type="hidden" name="embed" value="true">'
    theme_options = [f'<option value="">{h.esc(reader.t("public.all_themes"))}</option>'] + [
        f'<option value="{int(t.position)}"{" selected" if reader.theme == int(t.position) else ""}>'
        f"{h.esc(t.name)}</option>"
        for t in themes.itertuples()
    ]
    status_options = [f'<option value="">{h.esc(reader.t("public.all_statuses"))}</option>'] + [
        f'<option value="{s}"{" selected" if reader.status == s else ""}>'
        f"{h.esc(h.status_text(s, reader.lang))}</option>"
        for s in STATUSES
    ]
    filtered = reader.theme is not None or reader.status is not None
    return (
        f'<form class="search" role="search" method="get" action="{VIEW}">{hidden}'
        f'<label for="q">{h.esc(reader.t("view.search_label"))}</label>'
        f'<p class="hint" id="q-hint">{h.esc(reader.t("view.search_hint"))}</p>'
        '<div class="search-row">'
        f'<input type="search" id="q" name="q" value="{h.esc(reader.query)}" maxlength="{search.QUERY_MAX}"'
        ' aria-describedby="q-hint" autocomplete="off">'
        f'<button type="submit">{h.esc(reader.t("view.search_button"))}</button></div>'
        f'<details class="filters"{" open" if filtered else ""}><summary>{h.esc(reader.t("view.filters"))}</summary>'
        f'<label for="theme">{h.esc(reader.t("public.theme_filter"))}</label>'
        f'<select id="theme" name="theme">{"".join(theme_options)}</select>'
        f'<label for="status">{h.esc(reader.t("public.status_filter"))}</label>'
        f'<select id="status" name="status">{"".join(status_options)}</select>'
        f'<div><button type="submit">{h.esc(reader.t("view.show"))}</button></div></details></form>'
    )


def _measures_section(reader: Reader, programme_id: int) -> str:
    link = lambda code: reader.url(MEASURE, code=code)  # noqa: E731
    if reader.query:
        found = run_query(
            "public_search",
            programme_id=programme_id,
            lang=reader.lang,
            query=reader.query,
            prefixes=search.query_prefixes(reader.lang, reader.query),
        )
        if reader.theme is not None:
            found = found[found["theme_position"] == reader.theme]
        if reader.status is not None:
            found = found[found["status"] == reader.status]
        everything = f'<p><a href="{h.esc(reader.url(VIEW))}">{h.esc(reader.t("view.show_all"))}</a></p>'
        if found.empty:
            body = f'<p role="status">{h.esc(reader.t("view.no_results", query=reader.query))}</p>{everything}'
        else:
            count = reader.t("view.results_count", query=reader.query, count=len(found))
            body = f'<p role="status">{h.esc(count)}</p>{h.measure_results(found, link, reader.lang)}{everything}'
        return section("measures-heading", reader.t("view.results"), body)
    measures = run_query(
        "public_measures",
        programme_id=programme_id,
        lang=reader.lang,
        theme_position=reader.theme,
        status=reader.status,
        today=cache.today(),
    )
    if measures.empty:
        body = f"<p>{h.esc(reader.t('public.none_match'))}</p>"
    else:
        body = h.note(reader.t("public.measures_count", shown=len(measures))) + h.measure_groups(
            measures, link, reader.lang
        )
    return section("measures-heading", reader.t("public.measures"), body)


def _theme_status_counts(reader: Reader, programme_id: int) -> pd.DataFrame:
    """Published measures per theme and status as shown today."""
    return run_query(
        "theme_status_counts",
        programme_id=programme_id,
        lang=reader.lang,
        include_unpublished=False,
        today=cache.today(),
    )


def _by_theme_section(reader: Reader, programme_id: int) -> str:
    counts = _theme_status_counts(reader, programme_id)
    if reader.theme is not None:
        counts = counts[counts["position"] == reader.theme]
    counts = counts[counts["theme_total"] > 0]
    if counts.empty:
        return ""
    table = charts.status_by_theme_table(counts, reader.lang)
    body = (
        f"<p>{h.esc(charts.status_by_theme_summary(counts, reader.lang))}</p>"
        + h.theme_bars(counts, reader.lang)
        + h.html_table(
            table.values.tolist(),
            list(table.columns),
            reader.t("public.table_caption"),
            numbers=set(range(1, len(table.columns))),
        )
    )
    return section("by-theme-heading", reader.t("public.by_theme"), body)


def _emissions_section(reader: Reader, programme: pd.Series) -> str:
    """The municipality's emissions against its target as the overview and the board report
    say them (the gap sentence, the target, the table behind their chart, the source);
    nothing when no SYKE figures are imported or the emissions indicator is not published."""
    organisation_id = int(programme["organisation_id"])
    source = run_query("emission_source", organisation_id=organisation_id, lang=reader.lang)
    if source.empty or not bool(source.iloc[0]["is_published"]):
        return ""
    totals = run_query("emission_totals", organisation_id=organisation_id)
    path = run_query("emission_target_path", organisation_id=organisation_id, pace_years=emissions.PACE_YEARS)
    report = emissions.report_section_of(totals, path, source, reader.lang)
    if report is None:
        return ""
    table = h.html_table(
        report.rows, report.headers, reader.t("chart.data_table"), numbers=set(range(1, len(report.headers)))
    )
    body = (
        f"<p>{h.esc(report.sentence)}</p>"
        + (f"<p>{h.esc(report.target)}</p>" if report.target else "")
        + f"<details><summary>{h.esc(reader.t('chart.data_table'))}</summary>{table}</details>"
        + (f'<p class="source">{h.esc(report.source)}</p>' if report.source else "")
    )
    return section("emissions-heading", report.heading, body)


def _open_data_section(reader: Reader, licence: str, licence_url: str) -> str:
    # The downloads stay (a file, not a page); the licence, the feed and the API leave the
    # view, and embedded they open a new tab: framed, they would break the city's page.
    leaving = h.leaving(reader.embed)
    licence_link = f'<a href="{h.esc(licence_url)}"{leaving}>{h.esc(licence)}</a>' if licence_url else h.esc(licence)
    links = [
        (reader.url(OPEN_DATA + ".csv"), reader.t("public.download_csv"), ""),
        (reader.url(OPEN_DATA + ".json"), reader.t("public.download_json"), ""),
        (feed_url(reader), reader.t("view.feed_link"), leaving),
        (f"/api/v1/measures?programme={reader.programme_id}&lang={reader.lang}", reader.t("view.api_link"), leaving),
    ]
    items = "".join(f'<li><a href="{h.esc(url)}"{extra}>{h.esc(label)}</a></li>' for url, label, extra in links)
    body = f"<p>{reader.t('view.open_data_text', licence=licence_link)}</p><ul>{items}</ul>"
    return section("open-data-heading", reader.t("public.open_data"), body)


def _feedback_section(reader: Reader, **params) -> str:
    link = f'<a href="{h.esc(reader.url(FEEDBACK, **params))}">{h.esc(reader.t("view.feedback_link"))}</a>'
    return section(
        "feedback-heading",
        reader.t("view.feedback_heading"),
        f"<p>{h.esc(reader.t('view.feedback_text'))}</p><p>{link}</p>",
    )


def programme_page(reader: Reader) -> tuple[int, str]:
    stored = public_settings()
    programme = chosen_programme(reader, stored["public_programme_id"])
    if programme is None:
        main = f"<h1>{h.esc(reader.t('app.title'))}</h1><p>{h.esc(reader.t('app.no_data'))}</p>"
        return 200, document(reader, reader.t("app.title"), main, url_for=lambda code: reader.url(VIEW, lang=code))
    programme_id = int(programme.name)
    reader = replace(reader, programme_id=programme_id)
    show_money = stored["public_show_money"]
    headline = run_query("public_headline", programme_id=programme_id, theme_position=None).iloc[0]
    parts = [
        f"<h1>{h.esc(programme['name'])}</h1>",
        _period(reader, programme),
        _demo_notice(reader, programme, show_money),
    ]
    if int(headline["total"]) == 0:
        parts.append(f"<p>{h.esc(reader.t('overview.no_measures'))}</p>")
    else:
        counts = _theme_status_counts(reader, programme_id)
        by_status = counts.groupby("status", sort=False)["measures"].sum().astype(int).to_dict()
        parts.append(
            section(
                "status-heading",
                reader.t("view.status_heading"),
                h.headline(int(headline["done"]), int(headline["total"]), reader.lang)
                + h.status_bar(by_status, reader.lang),
            )
        )
        themes = run_query("programme_themes", programme_id=programme_id, lang=reader.lang)
        parts.append(_search_form(reader, themes))
        parts.append(_measures_section(reader, programme_id))
        parts.append(_by_theme_section(reader, programme_id))
    parts.append(_emissions_section(reader, programme))
    parts.append(_feedback_section(reader))
    parts.append(_open_data_section(reader, stored["open_data_licence"], stored["open_data_licence_url"]))
    params = {"theme": reader.theme, "status": reader.status, "q": reader.query or None}
    title = f"{programme['name']} – {programme['organisation']}"
    return 200, document(
        reader,
        title,
        "".join(parts),
        url_for=lambda code: reader.url(VIEW, lang=code, **params),
        footer=footer(reader, programme),
        feed=feed_url(reader),
    )
