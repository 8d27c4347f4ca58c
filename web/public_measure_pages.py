"""/view/measure (one published measure), /view/accessibility (the statement)
and the open-data files of the light public pages."""

from __future__ import annotations

from dataclasses import replace

from tracker.present import open_data
from tracker.present import public_html as h
from web import public_html as page
from web.public_html import FEEDBACK, MEASURE, STATEMENT, VIEW, Reader

# -- one measure --


def listed_section(
    reader: Reader, heading_id: str, heading_key: str, query: str, render, none_key: str, **params
) -> str:
    """A section of the measure's rows from ``query`` drawn by ``render``, or the
    note ``none_key`` when it has none."""
    rows = page.run_query(query, **params)
    body = render(rows) if not rows.empty else h.note(reader.t(none_key))
    return page.section(heading_id, reader.t(heading_key), body)


def measure_page(reader: Reader) -> tuple[int, str]:
    stored = page.public_settings()
    programme = page.chosen_programme(reader, stored["public_programme_id"])
    url_for = lambda code: reader.url(MEASURE, lang=code, code=reader.code)  # noqa: E731
    if programme is None:
        main = f"<h1>{h.esc(reader.t('app.title'))}</h1><p>{h.esc(reader.t('app.no_data'))}</p>"
        return 404, page.document(reader, reader.t("app.title"), main, url_for=url_for)
    programme_id = int(programme.name)
    reader = replace(reader, programme_id=programme_id)
    back = f'<p><a href="{h.esc(reader.url(VIEW))}">{h.esc(reader.t("public.back"))}</a></p>'
    measure = page.published_measure(reader, programme_id)
    if measure is None:
        message = reader.t("public.measure_not_found", code=reader.code or "–")
        main = f"{back}<h1>{h.esc(reader.t('nav.measure'))}</h1><p>{h.esc(message)}</p>"
        return 404, page.document(reader, message, main, url_for=url_for, footer=page.footer(reader, programme))
    measure_id = int(measure["id"])
    title = f"{measure['code']} {measure['title']}"
    parts = [back, f"<h1>{h.esc(title)}</h1>", h.measure_facts(measure, reader.lang)]
    if measure["is_illustrative"] and programme["is_demo"]:
        parts.append(h.note("ⓘ " + reader.t("app.illustrative")))
    parts.append(
        page.section(
            "description-heading", reader.t("measure.description"), h.description(measure["description"], reader.lang)
        )
    )
    parts.append(
        listed_section(
            reader,
            "timeline-heading",
            "public.timeline",
            "public_measure_events",
            lambda events: h.timeline(events, reader.lang),
            "measure.timeline_empty",
            measure_id=measure_id,
        )
    )
    parts.append(
        listed_section(
            reader,
            "decisions-heading",
            "measure.decisions",
            "public_measure_decisions",
            lambda decisions: h.decisions(decisions, reader.lang, new_window=reader.embed),
            "measure.decisions_none",
            measure_id=measure_id,
        )
    )
    if stored["public_show_money"]:
        parts.append(
            listed_section(
                reader,
                "money-heading",
                "measure.money",
                "public_measure_money",
                lambda money: h.money(money, reader.lang),
                "measure.money_none",
                measure_id=measure_id,
            )
        )
    feedback = reader.url(FEEDBACK, kind="measure", code=measure["code"])
    parts.append(
        page.section(
            "feedback-heading",
            reader.t("view.feedback_heading"),
            f'<p><a href="{h.esc(feedback)}">{h.esc(reader.t("view.feedback_measure_link"))}</a></p>',
        )
    )
    return 200, page.document(
        reader,
        f"{title} – {programme['name']}",
        "".join(parts),
        url_for=url_for,
        footer=page.footer(reader, programme),
        feed=page.feed_url(reader),
    )


# -- the accessibility statement --


def statement_page(reader: Reader) -> tuple[int, str]:
    stored = page.public_settings()
    programme = page.chosen_programme(reader, stored["public_programme_id"])
    if programme is not None:
        reader = replace(reader, programme_id=int(programme.name))
    organisation = reader.t("app.title") if programme is None else programme["organisation"]
    feedback = reader.url(FEEDBACK, kind="accessibility")
    main = h.statement(reader.lang, organisation, stored, feedback_url=feedback, heading="h2", new_window=reader.embed)
    back = f'<p><a href="{h.esc(reader.url(VIEW))}">{h.esc(reader.t("accessibility.back"))}</a></p>'
    return 200, page.document(
        reader,
        reader.t("accessibility.title"),
        f"<h1>{h.esc(reader.t('accessibility.title'))}</h1>{main}{back}",
        url_for=lambda code: reader.url(STATEMENT, lang=code),
        footer=page.footer(reader, programme),
    )


# -- open data --


def open_data_file(reader: Reader, kind: str) -> tuple[int, bytes]:
    stored = page.public_settings()
    programme = page.chosen_programme(reader, stored["public_programme_id"])
    if programme is None:
        return 404, b""
    show_money = stored["public_show_money"]
    rows = page.run_query(
        "public_open_data", programme_id=int(programme.name), lang=reader.lang, include_money=show_money
    )
    if kind == "csv":
        return 200, open_data.measures_csv(rows, reader.lang, include_money=show_money)
    return 200, open_data.measures_json(
        rows,
        reader.lang,
        include_money=show_money,
        organisation=programme["organisation"],
        programme=programme["name"],
        licence=stored["open_data_licence"],
        licence_url=stored["open_data_licence_url"],
    )
