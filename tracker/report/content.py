"""What the board report says (issue 14), as plain data and text in the
reader's language: built once from the named queries and shown both by the
report page and in the PDF, so the two never disagree.

tracker/report/scope.py chooses the report (``scope_for``, ``resolve``) and
runs its queries (``collect(run, scope)``, through the page's cached
ui.data.run or the CLI's tracker.db.query); ``build`` here formats what they
returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker import i18n
from tracker.present import emissions as emissions_present
from tracker.report.scope import Frames, Scope, is_missing, text_in_language
from tracker.status import COLOURS, ICONS, SHOWN_ORDER, TEXT_ON

# The statuses in the order the tiles, charts and tables show them.
STATUS_ORDER = SHOWN_ORDER
# Black-and-white print: the statuses whose greys are close get a fill pattern too.
PATTERNS = {"late": "hatch", "postponed": "dots"}


# -- the report as text --


@dataclass
class Report:
    """Everything the report shows, formatted in its language; ``texts`` holds the headings."""

    lang: str
    title: str
    organisation: str
    programme: str
    period: str
    as_of: str
    generated: str
    headline: str
    done_share: str
    tiles: list[dict]
    theme_rows: list[dict]
    theme_summary: str
    late_rows: list[dict]
    money_years: list[int]
    money_rows: list[dict]
    money_total: dict | None
    money_by_year: list[dict]
    money_summary: str
    decisions: list[dict]
    changes: dict | None
    demo_notice: list[str]
    texts: dict = field(default_factory=dict)
    # the emissions section (built by ``emissions``); None when the report leaves unpublished
    # data out and the organisation's emissions indicator is unpublished
    emissions: dict | None = None


def _eur(value, lang: str) -> str:
    return "–" if is_missing(value) else i18n.format_eur(round(float(value)), lang)


def _date(value, lang: str) -> str:
    return "" if is_missing(value) else i18n.format_date(value, lang)


def _pct(value, lang: str) -> str:
    return "–" if is_missing(value) else i18n.format_percent(value, lang)


def _status(code: str | None, lang: str) -> str:
    return "–" if is_missing(code) else f"{ICONS[code]} {i18n.status_label(code, lang)}"


def _signed(number: float, text: str) -> str:
    return f"+{text}" if number > 0 else text


def money_rows(money: pd.DataFrame, lang: str) -> tuple[list[int], list[dict], dict | None, list[dict]]:
    """From queries/report_money_table.sql: the years; a row per cost centre with its planned and
    actual money per year and its total over the years; the totals row; the year totals for the chart."""
    if money.empty:
        return [], [], None, []
    years = sorted(int(y) for y in money["year"].dropna().unique())
    lines = money[money["level"] == "line"]
    rows = []
    for centre, group in money[money["level"].isin(["line", "centre"])].groupby("cost_centre", sort=False):
        per_year = {int(r["year"]): r for r in lines[lines["cost_centre"] == centre].to_dict("records")}
        total = group[group["level"] == "centre"].iloc[0]
        name = total["cost_centre_name"]
        rows.append(
            {
                "centre": f"{centre} {name}".strip() if not is_missing(name) else str(centre),
                "years": [
                    {
                        "planned": _eur(per_year[y]["planned_eur"], lang) if y in per_year else "–",
                        "actual": _eur(per_year[y]["actual_eur"], lang) if y in per_year else "–",
                    }
                    for y in years
                ],
                "planned": _eur(total["planned_eur"], lang),
                "actual": _eur(total["actual_eur"], lang),
                "utilisation": _pct(total["utilisation"], lang),
            }
        )
    by_year = money[money["level"] == "year"].sort_values("year")
    grand = money[money["level"] == "total"].iloc[0]
    total = {
        "years": [
            {"planned": _eur(r["planned_eur"], lang), "actual": _eur(r["actual_eur"], lang)}
            for r in by_year.to_dict("records")
        ],
        "planned": _eur(grand["planned_eur"], lang),
        "actual": _eur(grand["actual_eur"], lang),
        "utilisation": _pct(grand["utilisation"], lang),
    }
    chart = [
        {
            "year": int(r["year"]),
            "planned": float(r["planned_eur"]),
            "actual": float(r["actual_eur"]),
            "planned_text": _eur(r["planned_eur"], lang),
            "actual_text": _eur(r["actual_eur"], lang),
        }
        for r in by_year.to_dict("records")
    ]
    return years, rows, total, chart


def _count_change(key: str, summary, kind: str, lang: str) -> str:
    """How many measures were ``kind`` (done, late) before and after, and how many newly."""
    return i18n.t(
        key,
        lang,
        before=int(summary[f"{kind}_before"]),
        after=int(summary[f"{kind}_after"]),
        new=int(summary[f"newly_{kind}"]),
    )


def change_counts(summary, lang: str) -> list[str]:
    """What moved between two states of a programme, as the report and the public view
    say it: measures done and late (before, after, newly) and the status changes, from a
    row of queries/period_change_summary.sql."""
    return [
        _count_change("report.changes_done", summary, "done", lang),
        _count_change("report.changes_late", summary, "late", lang),
        i18n.t("report.changes_status", lang, count=int(summary["status_changes"])),
    ]


def _changes(frames: Frames, scope: Scope) -> dict | None:
    if frames.change_summary is None:
        return None
    lang, s = scope.lang, frames.change_summary
    base = text_in_language(scope.compare, "name", lang)
    rows = []
    for row in frames.changes.to_dict("records"):
        progress = (
            f"{int(row['progress_before'])} → {int(row['progress_after'])} %"
            if not is_missing(row["progress_before"]) and not is_missing(row["progress_after"])
            else "–"
        )
        notes = []
        if row["newly_done"]:
            notes.append(i18n.t("report.newly_done", lang))
        if row["newly_late"]:
            notes.append(i18n.t("report.newly_late", lang))
        if not row["in_before"]:
            notes.append(i18n.t("report.added", lang))
        if not row["in_after"]:
            notes.append(i18n.t("report.removed", lang))
        spent = float(row["actual_after"]) - float(row["actual_before"])
        rows.append(
            {
                "code": row["code"],
                "title": row["title"],
                "status": f"{_status(row['status_before'], lang)} → {_status(row['status_after'], lang)}",
                "progress": progress,
                "spent": _signed(spent, _eur(spent, lang)) if spent else "",
                "notes": ", ".join(notes),
            }
        )
    planned_change = float(s["planned_after"]) - float(s["planned_before"])
    actual_change = float(s["actual_after"]) - float(s["actual_before"])
    sentences = [
        *change_counts(s, lang),
        i18n.t(
            "report.changes_money",
            lang,
            planned=_eur(s["planned_after"], lang),
            planned_change=_signed(planned_change, _eur(planned_change, lang)),
            actual=_eur(s["actual_after"], lang),
            actual_change=_signed(actual_change, _eur(actual_change, lang)),
        ),
    ]
    return {"base": base, "sentences": sentences, "rows": rows}


def _number(value) -> float | None:
    return None if is_missing(value) else float(value)


def emissions(frames: Frames, scope: Scope) -> dict | None:
    """The emissions section: the heading and the gap sentence (or a line saying there are
    no figures), the target, the reading the figure follows, a note that a closed period's
    emissions are today's import (they are not in its snapshot), the source, the table the
    overview shows behind its figure (tracker.present.emissions.path_table) and the series a
    chart needs. None when the emissions indicator is unpublished and the report leaves
    unpublished data out, as the overview and the public view do."""
    lang = scope.lang
    empty = {
        "heading": i18n.t("emissions.heading", lang),
        "sentence": i18n.t("emissions.no_figures", lang),
        "target": "",
        "label": "",
        "note": "",
        "source": "",
        "caption": "",
        "headers": [],
        "rows": [],
        "series": [],
    }
    if frames.emission_source.empty:
        return empty
    found = frames.emission_source.iloc[0]
    if not scope.include_unpublished and not is_missing(found["is_published"]) and not bool(found["is_published"]):
        return None
    section = emissions_present.report_section_of(
        frames.emission_totals, frames.emission_path, frames.emission_source, lang
    )
    if section is None:
        return empty
    note = (
        i18n.t(
            "report.emissions_today",
            lang,
            period=text_in_language(scope.period, "name", lang),
            file=found["file_name"],
            day=_date(found["imported_at"], lang),
        )
        if scope.period is not None
        else ""
    )
    series = [
        {
            "year": int(point["year"]),
            "actual": _number(point.get("actual", point.get("hinku_kt"))),
            "target_line": _number(point.get("target_line")),
            "required_path": _number(point.get("required_path")),
            "pace_path": _number(point.get("pace_path")),
            "preliminary": not is_missing(point.get("is_preliminary")) and bool(point.get("is_preliminary")),
        }
        for point in section.series
    ]
    return {
        "heading": section.heading,
        "sentence": section.sentence,
        "target": section.target or "",
        "label": section.label,
        "note": note,
        # the file and the day as the overview shows them to a signed-in reader; a closed period's note has them
        "source": emissions_present.source_text(
            found, lang, with_file=scope.include_unpublished and scope.period is None
        ),
        "caption": i18n.t("report.emissions_caption", lang, reading=section.label),
        "headers": section.headers,
        "rows": [[str(cell) for cell in row] for row in section.rows],
        "series": series,
    }


def _tiles(t, lang: str) -> list[dict]:
    """One tile per status, in STATUS_ORDER, with its count from the tiles row."""
    return [
        {
            "code": code,
            "label": i18n.status_label(code, lang),
            "icon": ICONS[code],
            "count": int(t[code]),
            "colour": COLOURS[code],
            "text_on": TEXT_ON[code],
            "pattern": PATTERNS.get(code, ""),
        }
        for code in STATUS_ORDER
    ]


def _theme_rows(frames: Frames) -> list[dict]:
    rows = []
    for (_position, theme), group in frames.theme_status.groupby(["position", "theme"], sort=False):
        by_status = dict(zip(group["status"], group["measures"].astype(int), strict=True))
        rows.append(
            {
                "theme": theme,
                "counts": [by_status.get(code, 0) for code in STATUS_ORDER],
                "total": int(group["theme_total"].iloc[0]),
            }
        )
    return rows


def _theme_summary(theme_rows: list[dict], lang: str) -> str:
    """A sentence naming the theme with the largest share done ("" without one)."""
    leader = max(theme_rows, key=lambda r: (r["counts"][0] / r["total"]) if r["total"] else 0, default=None)
    if not (leader and leader["total"]):
        return ""
    return i18n.t(
        "report.theme_summary",
        lang,
        themes=len(theme_rows),
        theme=leader["theme"],
        share=_pct(leader["counts"][0] / leader["total"], lang),
    )


def _late_rows(frames: Frames, lang: str) -> list[dict]:
    return [
        {
            "code": row["code"],
            "title": row["title"],
            "end": _date(row["end_date"], lang),
            "overdue": (
                i18n.t("report.days_overdue", lang, days=int(row["days_overdue"]))
                if not is_missing(row["days_overdue"])
                else i18n.t("report.marked_late", lang)
            ),
            "note": "" if is_missing(row["note"]) else str(row["note"]),
            "note_date": _date(row["note_at"], lang),
        }
        for row in frames.late.to_dict("records")
    ]


def _money_summary(t, scope: Scope, has_money: bool) -> str:
    lang = scope.lang
    if not has_money:
        return i18n.t("report.money_none", lang)
    return i18n.t(
        "report.money_summary",
        lang,
        year=scope.year,
        planned_year=_eur(t["planned_year"], lang),
        actual_year=_eur(t["actual_year"], lang),
        planned=_eur(t["planned_total"], lang),
        actual=_eur(t["actual_total"], lang),
    )


def _decision_rows(frames: Frames, lang: str) -> list[dict]:
    return [
        {
            "date": _date(row["decided_on"], lang),
            "body": row["body"],
            "section": "" if is_missing(row["section"]) else f"§ {int(row['section'])}",
            "title": "" if is_missing(row["title"]) else str(row["title"]),
            "outcome": i18n.t(f"outcome.{row['outcome']}", lang),
            "measures": row["measures"] or "",
        }
        for row in frames.decisions.to_dict("records")
    ]


def _demo_notice(frames: Frames, lang: str) -> list[str]:
    """For a demo programme, the notice and the real measures it mirrors; else nothing."""
    if not bool(frames.programme["is_demo"]):
        return []
    return [i18n.t("report.demo_notice", lang)] + [
        i18n.t("report.demo_real", lang, code=row["code"], title=row["title"], status=_status(row["status"], lang))
        for row in frames.demo.to_dict("records")
    ]


def build(frames: Frames, scope: Scope, *, generated: date | None = None) -> Report:
    """The report's content in ``scope.lang`` from what ``collect`` returned."""
    lang = scope.lang
    t = frames.tiles
    total, done = int(t["total"]), int(t["done"])
    theme_rows = _theme_rows(frames)
    years, money_rows_, money_total, money_by_year = money_rows(frames.money, lang)
    programme = frames.programme
    period = (
        text_in_language(scope.period, "name", lang)
        if scope.period is not None
        else i18n.t("report.now", lang, date=_date(scope.today, lang))
    )
    return Report(
        lang=lang,
        title=f"{programme['name']} – {period}",
        organisation=str(programme["organisation"]),
        programme=str(programme["name"]),
        period=period,
        as_of=i18n.t("report.as_of", lang, date=_date(scope.on_day, lang)),
        generated=i18n.t("report.generated", lang, date=_date(generated or date.today(), lang)),
        headline=i18n.t("overview.headline", lang, done=done, total=total),
        done_share=_pct(done / total, lang) if total else "–",
        tiles=_tiles(t, lang),
        theme_rows=theme_rows,
        theme_summary=_theme_summary(theme_rows, lang),
        late_rows=_late_rows(frames, lang),
        money_years=years,
        money_rows=money_rows_,
        money_total=money_total,
        money_by_year=money_by_year,
        money_summary=_money_summary(t, scope, bool(money_total)),
        decisions=_decision_rows(frames, lang),
        changes=_changes(frames, scope),
        demo_notice=_demo_notice(frames, lang),
        texts=texts(lang),
        emissions=emissions(frames, scope),
    )


TEXT_KEYS = (
    "report.status_tiles",
    "report.by_theme",
    "report.late",
    "report.late_none",
    "report.money",
    "report.decisions",
    "report.decisions_none",
    "report.changes",
    "report.page",
    "report.planned",
    "report.actual",
    "report.total",
    "report.utilisation",
    "report.cost_centre",
    "report.theme",
    "report.code",
    "report.measure",
    "report.end",
    "report.overdue",
    "report.latest_note",
    "report.date",
    "report.body",
    "report.outcome",
    "report.measures",
    "report.status",
    "report.progress",
    "report.spent",
    "report.notes",
    "report.title_text",
    "report.by_theme_alt",
    "report.money_alt",
    "report.thousand_eur",
)


def texts(lang: str) -> dict:
    """The report's fixed words in ``lang``, keyed by their catalogue key without ``report.``."""
    return {key.removeprefix("report."): i18n.t(key, lang) for key in TEXT_KEYS}


def status_labels(lang: str) -> list[str]:
    return [f"{ICONS[code]} {i18n.status_label(code, lang)}" for code in STATUS_ORDER]


def money_table(years: list[int], rows: list[dict], total: dict, texts_: dict) -> pd.DataFrame:
    """The year x cost-centre table as the pages show it: two rows a cost centre (planned, actual),
    a column a year, the cost centre's total last, and the totals at the bottom."""
    table = []
    for row in [*rows, {**total, "centre": texts_["total"]}]:
        table.append([row["centre"], texts_["planned"], *[y["planned"] for y in row["years"]], row["planned"]])
        table.append(["", texts_["actual"], *[y["actual"] for y in row["years"]], row["actual"]])
    return pd.DataFrame(table, columns=[texts_["cost_centre"], "", *[str(y) for y in years], texts_["total"]])
