"""Board report: a period's frozen figures (or the programme now), compared with
another period if chosen, as the city board's appendix shows them — and the
same report as a PDF, the one-page summary, and the CDP-ICLEI Track and
Covenant of Mayors exports to download."""

from functools import partial

import pandas as pd
import streamlit as st

from tracker.errors import UserError
from tracker.frameworks import export as framework_export
from tracker.report import content, pdf
from tracker.report import scope as report_scope
from ui import data
from ui.charts import chart, figure
from ui.downloads import internal_download
from ui.emissions import path_view
from ui.periods import period_choice, period_page, plain_caption, plain_list, plain_note
from ui.text import LANGUAGE_NAMES, md, tr, tr_md


def report_table(frame: pd.DataFrame, *, key: str) -> None:
    """One of the report's tables across the page, without pandas' row numbers."""
    st.dataframe(frame, hide_index=True, width="stretch", key=key)


def table_section(
    heading: str, rows: list[list], columns: list[str], none: str, *, key: str, say_none=st.caption
) -> None:
    """A section of the report: its heading, then its rows as a table, or ``none`` (said by
    ``say_none``, e.g. st.success) when it has none."""
    st.subheader(md(heading))
    if rows:
        report_table(pd.DataFrame(rows, columns=columns), key=key)
    else:
        say_none(md(none))


programme, programme_id, lang, internal, periods_frame, closed = period_page("nav.report")

left, right = st.columns(2)
period_id = period_choice(closed, "period", tr("report.choose_period"), tr("report.now_option"), within=left)
compare_id = period_choice(
    closed[closed["id"] != period_id] if period_id else closed,
    "compare",
    tr("report.choose_compare"),
    tr("report.no_compare"),
    within=right,
)
try:
    scope = report_scope.scope_for(
        periods_frame,
        programme_id,
        lang,
        include_unpublished=internal,
        today=data.today(),
        period_id=period_id,
        compare_id=compare_id,
    )
except UserError as refused:
    st.error(tr_md(refused.key, **refused.params))
    st.stop()
frames = report_scope.collect(data.run, scope)
report = content.build(frames, scope, generated=data.today())

plain_caption(f"{report.organisation} · {report.period} · {report.as_of}")
for line in report.demo_notice:
    plain_note(line)

# -- headline and tiles --
st.subheader(md(report.headline))
st.progress(
    (report.tiles[0]["count"] / sum(tile["count"] for tile in report.tiles)) if report.tiles[0]["count"] else 0.0,
    text=md(report.done_share),
)
for row_start in (0, 3):
    for column, tile in zip(st.columns(3), report.tiles[row_start : row_start + 3], strict=True):
        column.metric(md(f"{tile['icon']} {tile['label']}"), md(tile["count"]), border=True)

# -- status by theme --
st.subheader(md(report.texts["by_theme"]))
if report.theme_rows:
    labels = content.status_labels(lang)
    chart(
        figure("status_by_theme", frames.theme_status, lang),
        md(report.theme_summary),
        pd.DataFrame(
            [[row["theme"], *row["counts"], row["total"]] for row in report.theme_rows],
            columns=[report.texts["theme"], *labels, report.texts["total"]],
        ),
        key="report_by_theme",
    )

# -- late measures --
table_section(
    report.texts["late"],
    [
        [r["code"], r["title"], r["end"], r["overdue"], f"{r['note_date']}: {r['note']}" if r["note"] else ""]
        for r in report.late_rows
    ],
    [report.texts[k] for k in ("code", "measure", "end", "overdue", "latest_note")],
    report.texts["late_none"],
    key="report_late",
    say_none=st.success,
)

# -- money per year x cost centre --
st.subheader(md(report.texts["money"]))
st.markdown(md(report.money_summary))
if report.money_rows:
    report_table(
        content.money_table(report.money_years, report.money_rows, report.money_total, report.texts),
        key="report_money",
    )

# -- the emissions against the target (issue 16): the PDF's words, the overview's figure and table --
if report.emissions is not None:
    st.subheader(md(report.emissions["heading"]), anchor=False)
    st.markdown(md(report.emissions["sentence"]))
    if report.emissions["target"]:
        st.caption(md(report.emissions["target"]))
    if report.emissions["note"]:
        plain_note(report.emissions["note"], kind="warning")
    if report.emissions["rows"]:
        path_view(frames.emission_totals, frames.emission_path, key="report")
    if report.emissions["source"]:
        st.caption(md(report.emissions["source"]))

# -- decisions of the period --
table_section(
    report.texts["decisions"],
    [[d["date"], d["body"], d["section"], d["title"], d["outcome"], d["measures"]] for d in report.decisions],
    [
        *(report.texts[k] for k in ("date", "body")),
        "§",
        *(report.texts[k] for k in ("title_text", "outcome", "measures")),
    ],
    report.texts["decisions_none"],
    key="report_decisions",
)

# -- what changed since the compared period --
if report.changes is not None:
    st.subheader(tr_md("report.changes_since", period=report.changes["base"]))
    plain_list(report.changes["sentences"])
    if report.changes["rows"]:
        st.dataframe(
            pd.DataFrame(
                [
                    [r["code"], r["title"], r["status"], r["progress"], r["spent"], r["notes"]]
                    for r in report.changes["rows"]
                ],
                columns=[report.texts[k] for k in ("code", "measure", "status", "progress", "spent", "notes")],
            ),
            hide_index=True,
            width="stretch",
            key="report_changes",
        )

# -- downloads --
st.divider()
st.subheader(tr("report.downloads"))
pdf_lang = (
    st.segmented_control(
        tr("report.pdf_language"), list(LANGUAGE_NAMES), default=lang, format_func=LANGUAGE_NAMES.get, key="report_lang"
    )
    or lang
)


def pdf_bytes(summary: bool) -> bytes:
    """The report in the chosen language, made when the button is pressed."""
    in_language = report_scope.Scope(**{**scope.__dict__, "lang": pdf_lang})
    chosen = content.build(report_scope.collect(data.run, in_language), in_language, generated=data.today())
    return pdf.render(chosen, summary=summary)


full, summary = st.columns(2)
# internal downloads: built on click for a caller who still holds the role, short-lived (ui/downloads.py)
with full:
    internal_download(
        tr("report.download_pdf"),
        partial(pdf_bytes, False),
        file_name=pdf.file_name(report),
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key="report_pdf",
        least_role="viewer",
    )
with summary:
    internal_download(
        tr("report.download_summary"),
        partial(pdf_bytes, True),
        file_name=pdf.file_name(report, summary=True),
        mime="application/pdf",
        icon=":material/summarize:",
        on_click="ignore",
        key="report_summary_pdf",
        least_role="viewer",
    )
st.caption(tr("report.frameworks_help"))
if period_id is not None:
    # The frameworks' columns are not in the frozen figures: the exports are of today's data.
    plain_note(tr("report.frameworks_now", period=report.period), kind="warning")
cdp, com = st.columns(2)
for column, fmt, label in ((cdp, "cdp", "report.download_cdp"), (com, "com", "report.download_com")):
    with column:
        internal_download(
            tr(label),
            partial(framework_export.export_xlsx, data.connection(), programme_id, fmt, scope.on_day, pdf_lang),
            file_name=framework_export.file_name(programme["name"], fmt),
            mime=framework_export.XLSX_MIME,
            icon=":material/table_view:",
            on_click="ignore",
            key=f"report_{fmt}",
            least_role="viewer",
        )
