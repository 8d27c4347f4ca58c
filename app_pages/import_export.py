"""Import and export (editors): upload the measures spreadsheet, see it with
every bad cell marked and a summary, import it; download the empty template
and the programme as CSV or Excel."""

import functools

import pandas as pd
import streamlit as st

from tracker import i18n, rules
from tracker.errors import UserError
from tracker.spreadsheet import exporter, importer
from ui import data, session, text
from ui.downloads import internal_download
from ui.forms import error_text
from ui.programme import selected_programme
from ui.text import LANGUAGE_NAMES, md, tr, tr_md

LIMIT_MB = importer.MAX_UPLOAD_BYTES // (1024 * 1024)
PREVIEW_ROWS = 1000
MARK_STYLE = "background-color: #FFE0CC; color: #000000; font-weight: bold"

st.title(tr("import_page.title"))
who = session.caller()
if not who.can("editor"):
    st.warning(tr("import_page.editors_only"))
    st.stop()

lang = text.lang()
programme = selected_programme()

# -- import --
st.header(tr("import_page.import_header"))
st.caption(tr("import_page.intro"))
target = st.text_input(
    tr("import_page.programme"),
    value="" if programme is None else programme["name"],
    max_chars=rules.NAME_MAX,
    key="import_export_programme",
)
upload = st.file_uploader(tr_md("import_page.file", limit=LIMIT_MB), type=["xlsx", "csv"], key="import_export_file")

plan = None
if upload is not None:
    if upload.size > importer.MAX_UPLOAD_BYTES:
        st.error(tr_md("import.file.too_large", size=round(upload.size / 1024 / 1024, 1), limit=LIMIT_MB))
    else:
        cached = st.session_state.get("import_export_plan")
        if cached is None or cached[0] != upload.file_id:
            try:
                cached = (upload.file_id, importer.validate(importer.read_table(upload.getvalue(), upload.name)), None)
            except importer.UnusableFile as exc:
                cached = (upload.file_id, None, exc)
            st.session_state["import_export_plan"] = cached
        _, plan, unusable = cached
        if unusable is not None:
            st.error(error_text(unusable))

if plan is not None:
    summary = tr("import_page.summary", rows=plan.row_count, errors=len(plan.errors))
    (st.error if plan.errors else st.success)(summary)
    for warning in plan.warnings:
        st.warning(md(warning.message(lang)))  # it quotes the file
    if plan.errors:
        st.subheader(tr("import_page.errors_header"))
        st.dataframe(
            pd.DataFrame(
                [(p.row, p.column, p.message(lang)) for p in plan.errors],
                columns=[tr("import_page.row"), tr("import_page.column"), tr("import_page.message")],
            ),
            hide_index=True,
            key="import_export_errors",
        )
    elif target.strip():
        created, updated = importer.preview_counts(data.connection(), plan, target)
        st.info(tr_md("import_page.would_change", created=created, updated=updated))

    st.subheader(tr("import_page.preview_header"))
    numbers, headers, values, marks = importer.preview(plan, PREVIEW_ROWS)
    shown = pd.DataFrame(
        [
            [f"⚠ {v}" if bad else v for v, bad in zip(row, row_marks, strict=True)]
            for row, row_marks in zip(values, marks, strict=True)
        ],
        columns=pd.Index(headers),
        index=pd.Index(numbers, name=tr("import_page.row")),
    )
    styles = pd.DataFrame(
        [[MARK_STYLE if bad else "" for bad in row_marks] for row_marks in marks],
        columns=shown.columns,
        index=shown.index,
    )
    st.dataframe(shown.style.apply(lambda _: styles, axis=None), key="import_export_preview")
    if plan.row_count > len(numbers):
        st.caption(tr_md("import_page.preview_limited", shown=len(numbers), rows=plan.row_count))

    if plan.errors:
        st.caption(tr("import_page.fix_first"))
    if st.button(
        tr("import_page.import_button"),
        type="primary",
        disabled=bool(plan.errors) or not target.strip(),
        key="import_export_import",
    ):
        bar = st.progress(0.0, text=tr("import_page.importing"))
        try:
            result = importer.write(
                data.connection(),
                who,
                plan,
                target,
                file_name=upload.name,
                on_progress=lambda share, _stage: bar.progress(share, text=tr("import_page.importing")),
            )
        except UserError as exc:
            st.error(error_text(exc))
        else:
            bar.empty()
            st.success(tr_md("import_page.done", created=result.created, updated=result.updated))

# -- templates --
st.header(tr("import_page.template_header"))
for column, language in zip(st.columns(3), i18n.LANGUAGES, strict=True):
    with column:
        internal_download(
            tr_md("import_page.template_button", language=LANGUAGE_NAMES[language]),
            functools.partial(exporter.template, "xlsx", language),
            file_name=f"{exporter.SHEET_TEMPLATE_NAMES[language]}.xlsx",
            mime=exporter.XLSX_MIME,
            key=f"import_export_template_{language}",
            icon=":material/download:",
            least_role="editor",
        )

# -- export --
st.header(tr("import_page.export_header"))
if programme is None:
    st.info(tr("import_page.no_programme"))
    st.stop()
programme_id = int(programme.name)
exports = (
    ("csv", tr("import_page.export_csv"), exporter.CSV_MIME),
    ("xlsx", tr("import_page.export_xlsx"), exporter.XLSX_MIME),
)
for column, (kind, label, mime) in zip(st.columns(2), exports, strict=True):
    with column:
        # Built when clicked, not on every run of the page; its address answers for a short while only.
        internal_download(
            label,
            functools.partial(exporter.export_programme, data.connection(), programme_id, kind, lang),
            file_name=exporter.file_name(programme["name"], kind),
            mime=mime,
            key=f"import_export_{kind}",
            icon=":material/download:",
            least_role="editor",
        )
