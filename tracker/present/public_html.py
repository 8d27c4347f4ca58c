"""The residents' view as HTML fragments, in one copy for the Streamlit public
page (drawn with st.html) and the light pages of web/public_pages.py (plain
HTML, no script): a measure's facts, what was done, its decisions and money,
lists of measures, status bars and real tables. No Streamlit here; every
function takes the reader's language; every text from the data is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

from tracker import i18n
from tracker.status import COLOURS, ICONS, SHOWN_ORDER, TEXT_ON

# Decision links lead to the minutes only over http(s).
_LINK_SCHEMES = ("https://", "http://")


def esc(text) -> str:
    """Text from a person, a file or the URL as inert HTML."""
    return html.escape("" if text is None else str(text), quote=True)


def leaving(new_window: bool) -> str:
    """The attributes of a link that leaves the public view: inside the city's page
    (embedded) it opens a new tab, since the feed, the API and most other sites refuse
    to be framed and would leave a broken frame; elsewhere nothing (the same tab)."""
    return ' target="_blank" rel="noopener"' if new_window else ""


def missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def status_text(code: str, lang: str) -> str:
    """Icon and word, for tables and lists."""
    return f"{ICONS[code]} {i18n.status_label(code, lang)}"


def status_badge(code: str, lang: str) -> str:
    """The status as a coloured badge carrying its icon and word (never colour alone)."""
    return (
        f'<span class="status-badge" style="background:{COLOURS[code]};color:{TEXT_ON[code]};'
        f'padding:0.1em 0.5em;border-radius:0.6em;white-space:nowrap;font-size:0.9em">'
        f'<span aria-hidden="true">{ICONS[code]}</span> {esc(i18n.status_label(code, lang))}</span>'
    )


def fmt_date(value, lang: str) -> str:
    return "" if missing(value) else i18n.format_date(value, lang)


def schedule_text(start, end, continuous: bool, lang: str) -> str:
    """A measure's schedule: start – end, "continuous" for an open end, or unknown."""
    if missing(start) and missing(end):
        return i18n.t("measure.schedule_unknown", lang)
    end_text = fmt_date(end, lang) or (i18n.t("status.continuous", lang) if continuous else "")
    return i18n.t("measure.schedule_range", lang, start=fmt_date(start, lang), end=end_text)


def event_text(event, lang: str) -> str:
    """What a status event did: the measure created at a status, or the status and progress changed."""
    if missing(event.old_status):
        return i18n.t(
            "measure.event_created",
            lang,
            status=i18n.status_label(event.new_status, lang),
            progress=event.new_progress,
        )
    return i18n.t(
        "measure.event_change",
        lang,
        old_status=i18n.status_label(event.old_status, lang),
        new_status=i18n.status_label(event.new_status, lang),
        old_progress=int(event.old_progress),
        new_progress=event.new_progress,
    )


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


def note(text: str) -> str:
    """A small note in AA contrast."""
    return f'<p class="public-note">{esc(text)}</p>'


# -- the programme --


def headline(done: int, total: int, lang: str) -> str:
    """The headline figure: how many measures are done, of how many."""
    return (
        f'<p class="public-headline"><strong>{done}&nbsp;/&nbsp;{total}</strong> '
        f"{esc(i18n.t('view.headline_rest', lang))}</p>"
    )


def status_bar(counts: dict[str, int], lang: str) -> str:
    """The programme's measures by status as one bar (decorative) and a legend that says
    the same in words and numbers (what a screen reader reads)."""
    total = sum(counts.values()) or 1
    segments = "".join(
        f'<span style="width:{100 * counts[s] / total:.3f}%;background:{COLOURS[s]}"></span>'
        for s in SHOWN_ORDER
        if counts.get(s)
    )
    legend = "".join(
        f"<li>{status_badge(s, lang)} <strong>{counts[s]}</strong></li>" for s in SHOWN_ORDER if counts.get(s)
    )
    return f'<div class="status-bar" aria-hidden="true">{segments}</div><ul class="status-legend">{legend}</ul>'


def theme_bars(counts: pd.DataFrame, lang: str) -> str:
    """Status by theme as one bar per theme (decorative: the summary sentence and the
    table beside it carry the numbers). ``counts`` from queries/theme_status_counts.sql."""
    rows = []
    for _theme_id, group in counts.groupby("theme_id", sort=False):
        total = int(group["theme_total"].iloc[0]) or 1
        segments = "".join(
            f'<span style="width:{100 * int(r.measures) / total:.3f}%;background:{COLOURS[r.status]}"></span>'
            for r in group.itertuples()
            if int(r.measures)
        )
        rows.append(
            f'<div class="theme-bar"><span class="theme-name">{esc(group["theme"].iloc[0])}'
            f" ({int(group['theme_total'].iloc[0])})</span>"
            f'<div class="status-bar">{segments}</div></div>'
        )
    return f'<div class="theme-bars" aria-hidden="true">{"".join(rows)}</div>'


def measure_groups(measures: pd.DataFrame, link: Callable[[str], str], lang: str, *, heading: str = "h3") -> str:
    """The measures by theme, each a link to its public page with its status."""
    blocks = []
    for _position, group in measures.groupby("theme_position", sort=False):
        items = "".join(
            f'<li><a href="{esc(link(m.code))}" target="_self">{esc(m.code)} {esc(m.title)}</a> — '
            f"{status_badge(m.status, lang)}</li>"
            for m in group.itertuples()
        )
        blocks.append(f'<{heading}>{esc(group["theme"].iloc[0])}</{heading}><ul class="public-measures">{items}</ul>')
    return "".join(blocks)


def measure_results(measures: pd.DataFrame, link: Callable[[str], str], lang: str) -> str:
    """Search results as one list in the order found, each with its theme and status."""
    items = "".join(
        f'<li><a href="{esc(link(m.code))}" target="_self">{esc(m.code)} {esc(m.title)}</a> — '
        f'{status_badge(m.status, lang)} <span class="public-note-inline">· {esc(m.theme)}</span></li>'
        for m in measures.itertuples()
    )
    return f'<ul class="public-measures">{items}</ul>'


# -- one measure --


def measure_facts(measure: pd.Series, lang: str) -> str:
    """The measure's status and progress, theme, schedule, who is responsible, when updated."""
    facts = [
        status_badge(measure["status"], lang),
        esc(i18n.t("public.progress", lang, progress=int(measure["progress"]))),
    ]
    if measure["is_continuous"]:
        facts.append(esc("⟳ " + i18n.t("status.continuous", lang)))
    schedule = schedule_text(measure["start_date"], measure["end_date"], measure["is_continuous"], lang)
    details = [
        (i18n.t("measure.theme", lang), measure["theme"]),
        (i18n.t("measure.schedule", lang), schedule),
        (i18n.t("measure.responsible", lang), measure["responsible_unit"] or "–"),
        (i18n.t("column.updated", lang), fmt_date(measure["updated_on"], lang)),
    ]
    return (
        "<p>"
        + " · ".join(facts)
        + '</p><dl class="public-facts">'
        + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in details)
        + "</dl>"
    )


def description(text: str | None, lang: str) -> str:
    """The description as paragraphs (blank lines) and line breaks, all text escaped."""
    shown = text or i18n.t("measure.no_description", lang)
    return "".join(f"<p>{esc(part)}</p>" for part in shown.split("\n\n")).replace("\n", "<br>")


def timeline(events: pd.DataFrame, lang: str) -> str:
    """What was done: the events with a public note, newest first (public_measure_events)."""
    items = []
    for event in events.itertuples():
        note_html = f"<br>{esc(event.note)}" if event.note else ""
        items.append(
            f"<li><strong>{esc(fmt_date(event.occurred_at, lang))}</strong> · {esc(event_text(event, lang))}"
            f"{note_html}</li>"
        )
    return '<ul class="public-timeline">' + "".join(items) + "</ul>"


def money(lines: pd.DataFrame, lang: str) -> str:
    """Money planned and spent in total, and per year and cost centre (public_measure_money)."""
    totals = lines.iloc[0]
    summary = i18n.t(
        "measure.money_summary",
        lang,
        planned=i18n.format_eur(totals["planned_total"], lang),
        actual=i18n.format_eur(totals["actual_total"], lang),
    )
    rows = [
        [
            str(line.year),
            f"{line.cost_centre} {line.cost_centre_name or ''}".strip(),
            i18n.format_eur(line.planned_eur, lang),
            "–" if missing(line.actual_eur) else i18n.format_eur(line.actual_eur, lang),
        ]
        for line in lines.itertuples()
    ]
    headers = [i18n.t(k, lang) for k in ("column.year", "column.cost_centre", "column.planned", "column.actual")]
    return f"<p>{esc(summary)}</p>" + html_table(rows, headers, i18n.t("public.money_caption", lang), numbers={2, 3})


def decisions(rows: pd.DataFrame, lang: str, *, heading: str = "h3", new_window: bool = False) -> str:
    """The council decisions of a measure (public_measure_decisions): body, date, §,
    outcome and vote, the case number and a link to the minutes where recorded (in a
    new tab with ``new_window``: see leaving)."""
    items = []
    for decision in rows.itertuples():
        when = fmt_date(decision.decided_on, lang) or i18n.t("measure.decision_undated", lang)
        head = f"{decision.body} · {when}" + ("" if missing(decision.section) else f" § {int(decision.section)}")
        outcome = i18n.t(f"outcome.{decision.outcome}", lang)
        if not missing(decision.unanimous):
            outcome += ", " + i18n.t("measure.unanimous" if decision.unanimous else "measure.by_vote", lang)
        parts = [f"<{heading}>{esc(head)}</{heading}>"]
        if decision.title:
            parts.append(f"<p>{esc(decision.title)}</p>")
        parts.append(f'<p><span aria-hidden="true">⚖</span> {esc(outcome)}</p>')
        if decision.case_number:
            parts.append(note(i18n.t("measure.case_number", lang, value=decision.case_number)))
        if decision.url and str(decision.url).lower().startswith(_LINK_SCHEMES):
            label = i18n.t("view.minutes_link", lang, body=decision.body, date=when)
            target = ' target="_blank"' if new_window else ""
            parts.append(f'<p><a href="{esc(decision.url)}"{target} rel="noopener noreferrer">{esc(label)}</a></p>')
        if decision.is_illustrative:
            parts.append(note("ⓘ " + i18n.t("app.illustrative", lang)))
        items.append('<li class="public-decision">' + "".join(parts) + "</li>")
    return '<ul class="public-decisions">' + "".join(items) + "</ul>"


# -- the accessibility statement --

# What is still not accessible, said honestly (catalogue keys, in the statement's order).
KNOWN_ISSUES = (
    "accessibility.issue_chart",
    "accessibility.issue_framework",
    "accessibility.issue_tables",
    "accessibility.issue_uploader",
    "accessibility.issue_embed_height",
    "accessibility.issue_content",
)


def statement(
    lang: str, organisation: str, settings: dict, *, feedback_url: str, heading: str = "h2", new_window: bool = False
) -> str:
    """The accessibility statement (laki digitaalisten palvelujen tarjoamisesta 306/2019):
    status, what is not accessible, how it was assessed, feedback (the form and the
    admin's contact) and the enforcement body. ``settings`` as tracker.settings reads them;
    ``new_window``: the links to other sites open a new tab (see leaving)."""

    def section(key: str, body: str) -> str:
        return f"<{heading}>{esc(i18n.t(key, lang))}</{heading}>{body}"

    prepared_on = settings["accessibility_statement_date"]
    prepared = (
        i18n.t("accessibility.prepared", lang, date=fmt_date(prepared_on, lang))
        if prepared_on
        else i18n.t("accessibility.prepared_undated", lang)
    )
    form = f'<a href="{esc(feedback_url)}" target="_self">{esc(i18n.t("view.accessibility_form", lang))}</a>'
    contact = settings["accessibility_feedback_contact"].strip()
    if contact and "@" in contact and " " not in contact:
        contact_html = f'<a href="mailto:{esc(contact)}">{esc(contact)}</a>'
    elif contact.lower().startswith(_LINK_SCHEMES):
        contact_html = f'<a href="{esc(contact)}"{leaving(new_window)}>{esc(contact)}</a>'
    else:
        contact_html = esc(contact)
    reach = i18n.t("view.contact_or", lang, form=form, contact=contact_html) if contact else form
    site = i18n.t("accessibility.enforcement_site", lang)
    enforcement_link = f'<a href="https://www.{esc(site)}"{leaving(new_window)}>{esc(site)}</a>'
    issues = "".join(f"<li>{esc(i18n.t(key, lang))}</li>" for key in KNOWN_ISSUES)
    return (
        f"<p>{esc(i18n.t('accessibility.intro', lang, organisation=organisation))}</p>"
        + section("accessibility.status_heading", f"<p>{esc(i18n.t('accessibility.status', lang))}</p>")
        + section("accessibility.known_issues_heading", f"<ul>{issues}</ul>")
        + section("accessibility.prepared_heading", f"<p>{esc(prepared)}</p>")
        + section("accessibility.feedback_heading", f"<p>{i18n.t('accessibility.feedback', lang, contact=reach)}</p>")
        + section(
            "accessibility.enforcement_heading",
            f"<p>{i18n.t('accessibility.enforcement', lang, link=enforcement_link)}</p>",
        )
    )
