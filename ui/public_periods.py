"""The public view of reporting periods (issue 14): ``?period=ID`` shows a closed
period's frozen figures and ``?compare=ID`` what moved since another period —
published measures and public fields only (money only when the admin shows it).

Two entry points for app_pages/public.py: ``show_period_view`` draws the period
view and returns True when the URL asks for one (False: the page goes on as
before); ``period_links`` lists the reported periods under the programme view.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.present.public_html import html_table
from tracker.report import content
from ui import data
from ui.badges import esc, status_text
from ui.formats import fmt_date, fmt_eur, missing
from ui.links import public_link
from ui.programme import url_int
from ui.public_view import public_note
from ui.text import lang, md, tr, tr_md

PAGE = "public"


def _closed_periods(programme_id: int) -> pd.DataFrame:
    periods = data.run("reporting_periods", programme_id=programme_id, lang=lang())
    return periods[periods["closing_id"].notna()]


def period_links(programme: pd.Series) -> None:
    """The programme's reported periods, each linked to its public page (nothing when none)."""
    programme_id = int(programme.name)
    closed = _closed_periods(programme_id)
    if closed.empty:
        return
    items = "".join(
        f'<li><a href="{esc(public_link(PAGE, programme=programme_id, period=int(row["id"])))}" target="_self">'
        f"{esc(row['name'])}</a> ({esc(fmt_date(row['as_of']))})</li>"
        for row in closed.to_dict("records")
    )
    st.subheader(tr("public_period.reports"), anchor=False)
    st.html(f'<ul class="public-measures">{items}</ul>')


def show_period_view(programme: pd.Series, show_money: bool) -> bool:
    """The period (and comparison) the URL names, drawn; False when the URL names none."""
    programme_id = int(programme.name)
    closed = _closed_periods(programme_id)
    wanted, base = url_int("period"), url_int("compare")
    ids = [int(i) for i in closed["id"]]
    if wanted not in ids:
        if wanted is not None:
            public_note(tr("public_period.not_found"))
        return False
    period = closed.set_index("id").loc[wanted]
    back = public_link(PAGE, programme=programme_id)
    st.html(f'<p><a href="{esc(back)}" target="_self">{esc(tr("public.back"))}</a></p>')
    st.header(tr_md("public_period.heading", name=md(period["name"]), date=fmt_date(period["as_of"])), anchor=False)
    scope = {
        "programme_id": programme_id,
        "period_id": wanted,
        "include_unpublished": False,
        "today": data.today(),
        "lang": lang(),
    }
    tiles = data.run("report_tiles", year=period["as_of"].year, **scope).iloc[0]
    st.subheader(tr("overview.headline", done=int(tiles["done"]), total=int(tiles["total"])), anchor=False)
    counts = data.run("report_theme_status", **scope)
    if not counts.empty:
        table = [
            [theme, *[int(n) for n in group["measures"]], int(group["theme_total"].iloc[0])]
            for (_position, theme), group in counts.groupby(["position", "theme"], sort=False)
        ]
        headers = [tr("column.theme"), *content.status_labels(lang()), tr("public.total")]
        st.html(html_table(table, headers, tr("public_period.by_theme"), numbers=set(range(1, len(headers)))))
    if show_money and int(tiles["total"]):
        public_note(
            tr(
                "public_period.money",
                year=int(period["as_of"].year),
                planned=fmt_eur(tiles["planned_year"]),
                actual=fmt_eur(tiles["actual_year"]),
            )
        )
    others = closed[closed["id"] != wanted]
    if base in [int(i) for i in others["id"]]:
        _comparison(programme_id, wanted, base, others.set_index("id").loc[base], show_money)
    elif not others.empty:
        items = "".join(
            f'<li><a href="{esc(public_link(PAGE, programme=programme_id, period=wanted, compare=int(row["id"])))}"'
            f' target="_self">{esc(tr("public_period.compare_with", name=row["name"]))}</a></li>'
            for row in others.to_dict("records")
        )
        st.html(f'<ul class="public-measures">{items}</ul>')
    return True


def _comparison(programme_id: int, period_id: int, base_id: int, base: pd.Series, show_money: bool) -> None:
    scope = {
        "programme_id": programme_id,
        "base_period_id": base_id,
        "period_id": period_id,
        "include_unpublished": False,
        "today": data.today(),
    }
    st.subheader(tr_md("public_period.since", name=md(base["name"])), anchor=False)
    summary = data.run("period_change_summary", **scope).iloc[0]
    lines = content.change_counts(summary, lang())
    if show_money:
        lines.append(
            tr(
                "public_period.money_change",
                planned_before=fmt_eur(summary["planned_before"]),
                planned=fmt_eur(summary["planned_after"]),
                actual_before=fmt_eur(summary["actual_before"]),
                actual=fmt_eur(summary["actual_after"]),
            )
        )
    st.html("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>")
    changes = data.run("period_changes", lang=lang(), **scope)
    changes = changes[changes["in_before"] & changes["in_after"]]
    if changes.empty:
        public_note(tr("compare.nothing_moved"))
        return

    def status_cell(code) -> str:
        return "–" if missing(code) else status_text(code)

    rows = [
        [
            f"{row.code} {row.title}",
            status_cell(row.status_before),
            status_cell(row.status_after),
            f"{int(row.progress_before)} → {int(row.progress_after)} %",
        ]
        for row in changes.itertuples()
    ]
    headers = [tr("column.measure"), tr("compare.status_before"), tr("compare.status_after"), tr("report.progress")]
    st.html(html_table(rows, headers, tr("public_period.changes_caption", name=base["name"]), numbers={3}))
