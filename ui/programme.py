"""The programme a page shows: chosen by ``?programme=ID`` (else the default),
with a selector when there are several, and the demo programme's notice."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data
from ui.badges import status_text
from ui.formats import fmt_eur, missing
from ui.text import lang, md_link, tr, tr_md

# Up to this many programmes plain selectboxes list them all; beyond it (a
# regional or national host) the reader searches and picks among the matches,
# so the browser never receives thousands of options.
PROGRAMME_LIST_LIMIT = 20
PROGRAMME_MATCHES = 20


def programmes() -> pd.DataFrame:
    return data.run("programmes", lang=lang())


def _programme_label(row) -> str:
    return f"{row.organisation} – {row.name}"


def url_int(name: str) -> int | None:
    """The URL's ``?name=`` as a whole number, or None when absent or not one."""
    try:
        return int(st.query_params.get(name))
    except (TypeError, ValueError):
        return None


def selected_programme() -> pd.Series | None:
    """The programme named by ``?programme=ID`` (else the default), with a selector
    when there are several; None when the database holds none.

    Up to PROGRAMME_LIST_LIMIT programmes: an organisation selector (``?org=ID``)
    when they belong to several organisations, and a programme selector. Beyond
    that: a search box whose matches (at most PROGRAMME_MATCHES, found by DuckDB)
    fill a small selectbox."""
    wanted_id = url_int("programme")
    lookup = data.run("programme_lookup", programme_id=wanted_id, lang=lang())
    count = int(lookup.at[0, "programmes"])
    if count == 0:
        return None
    if count <= PROGRAMME_LIST_LIMIT:
        return _select_from_list(wanted_id)
    current = wanted_id if not missing(lookup.at[0, "id"]) else int(lookup.at[0, "first_id"])
    picked = _search_programme(current)
    if picked is not None:
        current = picked
    st.query_params["programme"] = str(current)
    row = data.run("programme_lookup", programme_id=current, lang=lang()).iloc[0]
    fields = ["organisation_id", "organisation", "name", "start_year", "end_year", "is_demo", "is_default"]
    return row[fields].rename(current)


def required_programme(title_key: str | None = None) -> pd.Series:
    """selected_programme(); when the database holds none, the page's title (if
    ``title_key``) and a note saying how to add one, and the page stops there."""
    programme = selected_programme()
    if programme is None:
        if title_key:
            st.title(tr(title_key))
        st.info(tr("app.no_data"))
        st.stop()
    return programme


def _select_from_list(wanted_id: int | None) -> pd.Series:
    available = programmes()
    ids = available["id"].tolist()
    current = wanted_id if wanted_id in ids else ids[0]
    organisation_ids = list(dict.fromkeys(available["organisation_id"]))
    if len(organisation_ids) > 1:
        names = dict(zip(available["organisation_id"], available["organisation"], strict=False))
        wanted_org = url_int("org")
        if wanted_org not in organisation_ids:
            wanted_org = int(available.set_index("id").at[current, "organisation_id"])
        org = st.selectbox(
            tr("app.organisation"),
            organisation_ids,
            index=organisation_ids.index(wanted_org),
            format_func=names.get,
            key="common_organisation",
            placeholder=tr("app.choose"),
        )
        st.query_params["org"] = str(org)
        available = available[available["organisation_id"] == org]
        ids = available["id"].tolist()
        if current not in ids:
            current = ids[0]
        programme_key = f"common_programme_{org}"
    else:
        programme_key = "common_programme"
    if len(ids) > 1:
        labels = {row.id: _programme_label(row) for row in available.itertuples()}
        current = st.selectbox(
            tr("app.programme"),
            ids,
            index=ids.index(current),
            format_func=labels.get,
            key=programme_key,
            placeholder=tr("app.choose"),
        )
    st.query_params["programme"] = str(current)
    return available.set_index("id").loc[current].rename(current)


def _search_programme(current: int) -> int | None:
    """A search box and the matching programmes; the one picked, or None to keep ``current``."""
    shown = data.run("programme_lookup", programme_id=current, lang=lang()).iloc[0]
    search = st.text_input(
        tr("app.programme_search"),
        key="common_programme_search",
        placeholder=tr("app.programme_search_placeholder"),
        help=tr_md("app.programme_search_help", current=_programme_label(shown)),
    )
    if not search.strip():
        return None
    matches = data.run("organisation_search", search=search.strip(), lang=lang(), limit=PROGRAMME_MATCHES)
    if matches.empty:
        st.caption(tr("app.programme_search_none"))
        return None
    labels = {row.id: _programme_label(row) for row in matches.itertuples()}
    ids = list(labels)
    return st.selectbox(
        tr("app.programme"),
        ids,
        index=ids.index(current) if current in ids else None,
        format_func=labels.get,
        placeholder=tr("app.programme_choose", matches=len(ids)),
        key="common_programme_match",
    )


def period_caption(programme: pd.Series) -> str:
    """The organisation, and the programme's years when it has them."""
    caption = programme["organisation"]
    if not missing(programme["start_year"]):
        caption += " · " + tr("overview.period", start=programme["start_year"], end=programme["end_year"])
    return caption


def demo_notice(programme_id: int, link, *, include_unpublished: bool, show_money: bool = True) -> None:
    """In a demo programme: which measure is real, with its status, money and
    decision, linked by ``link(code)``; the rest is said to be illustrative."""
    real = data.run(
        "demo_real_measures", programme_id=programme_id, lang=lang(), include_unpublished=include_unpublished
    )
    for row in real.itertuples():
        details = []
        if show_money and not missing(row.first_year):
            per_year = not missing(row.planned_per_year)
            details.append(
                tr(
                    "app.demo_money_per_year" if per_year else "app.demo_money_total",
                    amount=fmt_eur(row.planned_per_year if per_year else row.planned_eur),
                    first=row.first_year,
                    last=row.last_year,
                )
            )
        if not missing(row.decision_body):
            outcome = tr(f"outcome.{row.decision_outcome}")
            if not missing(row.decision_unanimous) and row.decision_unanimous:
                outcome += " " + tr("measure.unanimous")
            details.append(tr("app.demo_decision", body=row.decision_body, outcome=outcome.lower()))
        st.info(
            tr_md(
                "app.demo_notice",
                measure=md_link(f"{row.code} {row.title}", link(row.code)),
                status=status_text(row.status),
                details="".join(f" · {detail}" for detail in details),
            )
        )
