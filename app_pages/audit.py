"""Audit log: who changed what and when (Helsinki time), with before → after of
every field, in the reader's language, filtered by measure, person and dates,
and downloadable as CSV."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from tracker import db, formulas
from tracker.present import audit_log
from ui import data, text
from ui.downloads import internal_download
from ui.formats import cell_text, display_value, fmt_date, missing
from ui.programme import selected_programme
from ui.text import tr

st.title(tr("nav.audit"))
programme = selected_programme()
lang = text.lang()
measure_names = {}
# References in the changes (a theme, a cost centre, a measure) by their names, not their ids.
references: dict[str, dict] = {}
if programme is not None:
    choices = data.run("workspace_measure_choices", programme_id=int(programme.name), lang=lang, include_archived=True)
    measure_names = {int(row.id): f"{row.code} {row.title}" for row in choices.itertuples()}
    themes = data.run("programme_themes", programme_id=int(programme.name), lang=lang)
    centres = data.run("workspace_cost_centres", organisation_id=int(programme["organisation_id"]))
    references = {
        "theme_id": {int(row.id): row.name for row in themes.itertuples()},
        "cost_centre_id": {int(row.id): f"{row.code} {cell_text(row.name)}".strip() for row in centres.itertuples()},
        "measure_id": measure_names,
    }
actors = data.run("workspace_audit_actors")["actor"].tolist()

measure_col, actor_col, dates_col = st.columns([3, 2, 2])
measure_id = measure_col.selectbox(
    tr("audit.measure"),
    [None, *measure_names],
    format_func=lambda value: tr("audit.all") if value is None else measure_names[value],
    key="audit_measure",
    placeholder=tr("app.choose"),
)
actor = actor_col.selectbox(
    tr("audit.person"),
    [None, *actors],
    format_func=lambda value: tr("audit.all") if value is None else value,
    key="audit_actor",
    placeholder=tr("app.choose"),
)
today = db.utcnow().date()
dates = dates_col.date_input(
    tr("audit.dates"), value=(today - timedelta(days=365), today), format="DD.MM.YYYY", key="audit_dates"
)
date_from, date_to = (*tuple(dates or ()), None, None)[:2]

log = data.run("workspace_audit_log", measure_id=measure_id, actor=actor, date_from=date_from, date_to=date_to)
rows = []
for entry in log.itertuples():
    rows.append(
        {
            tr("audit.when"): audit_log.local_time(entry.occurred_at, lang),
            tr("audit.person"): entry.actor,
            tr("audit.action"): audit_log.action_label(entry.action, entry.entity, lang),
            tr("audit.target"): audit_log.entity_label(
                entry.entity,
                None if missing(entry.entity_id) else entry.entity_id,
                None if missing(entry.entity_name) else entry.entity_name,
                None if missing(entry.entity_date) else entry.entity_date,
                None if missing(entry.entity_section) else int(entry.entity_section),
                lang,
                date_text=fmt_date,
            ),
            tr("audit.measure"): "" if missing(entry.measure_code) else entry.measure_code,
            tr("audit.changes"): audit_log.changes_text(entry.before, entry.after, lang, display_value, references),
        }
    )
table = pd.DataFrame(
    rows,
    columns=[
        tr(k) for k in ("audit.when", "audit.person", "audit.action", "audit.target", "audit.measure", "audit.changes")
    ],
)
st.caption(tr("audit.count", count=len(table)))
st.dataframe(table, hide_index=True, width="stretch")
# Built when clicked, for a signed-in viewer; its address answers for a short while only.
internal_download(
    tr("audit.download"),
    lambda: formulas.csv_bytes(table),
    file_name="audit-log.csv",
    mime="text/csv",
    icon=":material/download:",
    key="audit_download",
    least_role="viewer",
)
