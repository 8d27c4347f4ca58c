"""Import and export (editors): upload the measures spreadsheet, see it with
every bad cell marked and, for a clean file, every field it will change with
what a coordinator would not expect flagged; confirm and import it as one
batch; undo an earlier batch; download the empty template and the programme
as CSV or Excel."""

import functools

import pandas as pd
import streamlit as st

from tracker import i18n, rules
from tracker.errors import UserError
from tracker.present import audit_log, import_changes
from tracker.spreadsheet import exporter, importer, undo
from ui import data, session, text
from ui.downloads import internal_download
from ui.programme import selected_programme
from ui.tables import Column, table
from ui.text import LANGUAGE_NAMES, md, tr, tr_md

LIMIT_MB = max(1, -(-importer.MAX_UPLOAD_BYTES // (1024 * 1024)))  # whole megabytes, rounded up
PREVIEW_ROWS = 1000
BATCHES_SHOWN = 10
MARK_STYLE = "background-color: #FFE0CC; color: #000000; font-weight: bold"
WARNINGS_LISTED = 3  # more warnings than this are shown as a table

st.title(tr("import_page.title"))
who = session.caller()
if not who.can("editor"):
    st.warning(tr("import_page.editors_only"))
    st.stop()

lang = text.lang()
programme = selected_programme()


def refusal_text(error: UserError) -> str:
    """A refusal's message with any name it quotes made inert."""
    return tr(error.key, **{k: md(v) if isinstance(v, str) else v for k, v in error.params.items()})


def located(problem) -> str:
    """A problem with its row and column in front, when it has them."""
    where = ", ".join(
        part for part in (problem.row and f"{tr('import_page.row')} {problem.row}", problem.column) if part
    )
    message = problem.message(lang)
    return f"{where}: {message}" if where else message


def show_problem_table(problems, *, key: str) -> None:
    """The plan's warnings or errors as one table: row, column, message."""
    st.dataframe(
        pd.DataFrame(
            [(p.row, p.column, p.message(lang)) for p in problems],
            columns=[tr("import_page.row"), tr("import_page.column"), tr("import_page.message")],
        ),
        hide_index=True,
        key=key,
    )


def show_warnings(plan) -> None:
    if len(plan.warnings) <= WARNINGS_LISTED:
        for warning in plan.warnings:
            st.warning(md(located(warning)))
        return
    st.warning(tr("import_review.warnings", count=len(plan.warnings)))
    show_problem_table(plan.warnings, key="import_export_warnings")


def read_upload(upload) -> tuple:
    """(plan, unusable file error) of the upload, read once per file."""
    cached = st.session_state.get("import_export_plan")
    if cached is None or cached[0] != upload.file_id:
        try:
            cached = (upload.file_id, importer.validate(importer.read_table(upload.getvalue(), upload.name)), None)
        except importer.UnusableFile as exc:
            cached = (upload.file_id, None, exc)
        st.session_state["import_export_plan"] = cached
    return cached[1], cached[2]


def resolution_of(plan, file_id: str, name: str):
    """What the plan would change in the programme ``name``, worked out once per file, name and data version."""
    key = (file_id, name.strip().lower(), data.data_version())
    cached = st.session_state.get("import_export_resolution")
    if cached is None or cached[0] != key:
        cached = (key, importer.resolve(data.connection(), plan, name))
        st.session_state["import_export_resolution"] = cached
    return cached[1]


def show_errors(plan) -> None:
    st.subheader(tr("import_page.errors_header"))
    show_problem_table(plan.errors, key="import_export_errors")


def show_changes(resolution, name: str) -> None:
    """What the import changes: counts, new themes and cost centres, the flags, every field before -> after."""
    lines = len(resolution.line_inserts) + len(resolution.line_updates)
    if resolution.programme_id is None:
        st.info(tr("import_review.new_programme", programme=md(name.strip())))
    st.info(
        tr_md(
            "import_review.would_change",
            programme=md(name.strip()),
            created=resolution.created,
            updated=resolution.updated,
            lines=lines,
        )
    )
    if resolution.new_themes:
        st.caption(tr("import_review.new_themes", names=md(", ".join(resolution.new_themes))))
    if resolution.new_centres:
        st.caption(tr("import_review.new_cost_centres", codes=md(", ".join(resolution.new_centres))))
    if not resolution.changes:
        st.success(tr("import_review.nothing_changes"))
        return
    flagged = resolution.flagged
    if flagged:
        summary = import_changes.flag_summary(resolution.changes, lang)
        st.warning(tr_md("import_review.flagged", count=len(flagged), summary=summary), icon=":material/warning:")
    st.subheader(tr("import_review.changes_header"))
    only_flagged = bool(flagged) and st.toggle(tr("import_review.only_flagged"), key="import_export_only_flagged")
    shown = (flagged if only_flagged else resolution.changes)[:PREVIEW_ROWS]
    rows = import_changes.change_rows(shown, lang)
    # A real HTML table (ui/tables): the texts wrap whole, so a replaced description can be
    # read, and on a phone each change is a card with code and field on top and every other
    # cell on its own line. The flag beside the field it is about, in words behind ⚠ (its
    # row is also shaded: never colour alone); the spreadsheet's row number last.
    table(
        [
            [row["code"], row["field"], row["flag"] and f"⚠ {row['flag']}", row["before"], row["after"], row["row"]]
            for row in rows
        ],
        [
            Column(tr("import_review.column.code"), lead=True, nowrap=True),
            Column(tr("import_review.column.field"), lead=True),
            Column(tr("import_review.column.flag"), css="change-flag"),
            Column(tr("import_review.column.before"), css="change-text"),
            Column(tr("import_review.column.after"), css="change-text"),
            Column(tr("import_page.row"), number=True),
        ],
        tr("import_review.changes_header"),
        cards=True,
        row_classes=["flagged" if change.flag else "" for change in shown],
    )
    total = len(flagged if only_flagged else resolution.changes)
    if total > len(shown):
        st.caption(tr("import_review.changes_limited", shown=len(shown), count=total))


def show_file(plan) -> None:
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


def import_confirmed(plan, resolution, upload, name: str) -> None:
    """The confirmation of flagged changes, the import button and its result beside it."""
    confirmed = True
    if resolution is not None and resolution.flagged:
        confirmed = st.checkbox(tr("import_review.confirm_flagged"), key=f"import_export_confirm_{upload.file_id}")
        if not confirmed:
            st.caption(tr("import_review.confirm_needed"))
    ready = resolution is not None and bool(resolution.changes) and confirmed
    if not st.button(tr("import_page.import_button"), type="primary", disabled=not ready, key="import_export_import"):
        return
    bar = st.progress(0.0, text=tr("import_page.importing"))
    try:
        result = importer.write(
            data.connection(),
            who,
            plan,
            name,
            file_name=upload.name,
            on_progress=lambda share, _stage: bar.progress(share, text=tr("import_page.importing")),
            expected_fingerprint=resolution.fingerprint(),
        )
    except UserError as exc:
        bar.empty()
        st.session_state.pop("import_export_resolution", None)
        st.error(md(refusal_text(exc)))
    else:
        bar.empty()
        st.success(
            tr_md("import_review.done", created=result.created, updated=result.updated, batch=result.batch_id),
            icon=":material/check_circle:",
        )


def batches_section(programme_id: int) -> None:
    """The programme's import batches, newest first, each with its undo."""
    st.header(tr("import_undo.header"))
    st.caption(tr("import_undo.intro"))
    outcome = st.session_state.pop("import_undo_outcome", None)
    if outcome is not None:
        kind, message, lines = outcome
        (st.success if kind == "done" else st.error)(message)
        if lines:
            st.text("\n".join(lines))
    batches = data.run("import_batches", programme_id=programme_id, limit=BATCHES_SHOWN)
    if batches.empty:
        st.info(tr("import_undo.none"))
        return
    pending = st.session_state.get("import_undo_pending")
    for batch in batches.itertuples():
        with st.container(border=True):
            when = audit_log.local_time(batch.imported_at, lang)
            label = tr("import_undo.batch", batch=batch.id, when=when, file=batch.file_name, actor=batch.actor)
            st.markdown(f"**{md(label)}**")
            st.caption(
                tr_md(
                    "import_undo.counts",
                    rows=batch.row_count,
                    created=batch.created,
                    updated=batch.updated,
                    lines_created=batch.budget_lines_created,
                    lines_updated=batch.budget_lines_updated,
                )
            )
            if not pd.isna(batch.undone_at):
                when_undone = audit_log.local_time(batch.undone_at, lang)
                st.caption(md(tr("import_undo.undone_on", when=when_undone, actor=batch.undone_by)))
            elif pending == batch.id:
                confirm_undo(batch)
            elif st.button(tr("import_undo.button"), key=f"import_undo_{batch.id}", icon=":material/undo:"):
                st.session_state["import_undo_pending"] = batch.id
                st.rerun()


def confirm_undo(batch) -> None:
    st.warning(tr_md("import_undo.confirm", batch=batch.id, file=md(batch.file_name)))
    yes, no = st.columns(2)
    if no.button(tr("import_undo.cancel"), key=f"import_undo_cancel_{batch.id}"):
        del st.session_state["import_undo_pending"]
        st.rerun()
    if yes.button(tr("import_undo.confirm_button"), type="primary", key=f"import_undo_confirm_{batch.id}"):
        del st.session_state["import_undo_pending"]
        try:
            result = undo.undo_batch(data.connection(), who, int(batch.id))
        except undo.UndoRefused as refused:
            lines = [import_changes.conflict_line(conflict, lang) for conflict in refused.conflicts]
            st.session_state["import_undo_outcome"] = ("refused", refusal_text(refused), lines)
        except UserError as exc:
            st.session_state["import_undo_outcome"] = ("refused", refusal_text(exc), [])
        else:
            lines = result.budget_lines_restored + result.budget_lines_removed
            message = tr(
                "import_undo.done",
                batch=result.batch_id,
                restored=result.measures_restored,
                removed=result.measures_removed,
                lines=lines,
            )
            st.session_state["import_undo_outcome"] = ("done", message, [])
        st.rerun()


# -- import --
st.header(tr("import_page.import_header"))
st.caption(tr("import_page.intro"))
target = st.text_input(
    tr("import_page.programme"),
    value="" if programme is None else programme["name"],
    max_chars=rules.NAME_MAX,
    key="import_export_programme",
)
upload = st.file_uploader(
    tr_md("import_page.file", limit=LIMIT_MB),
    type=["xlsx", "csv"],
    max_upload_size=LIMIT_MB,  # the uploader's own hint then says the same limit as the label
    key="import_export_file",
)

plan = None
if upload is not None:
    if upload.size > importer.MAX_UPLOAD_BYTES:
        st.error(md(importer.unusable_message(importer.too_large(upload.size), lang)))
    else:
        plan, unusable = read_upload(upload)
        if unusable is not None:
            st.error(md(importer.unusable_message(unusable, lang)))

if plan is not None:
    summary = tr("import_page.summary", rows=plan.row_count, errors=plan.error_count)
    (st.error if plan.errors else st.success)(summary)
    show_warnings(plan)
    resolution = None
    if plan.errors:
        show_errors(plan)
        show_file(plan)
        st.caption(tr("import_page.fix_first"))
        import_confirmed(plan, None, upload, target)
    else:
        if not plan.empty and target.strip():
            try:
                resolution = resolution_of(plan, upload.file_id, target)
            except UserError as exc:
                st.error(md(refusal_text(exc)))
            else:
                show_changes(resolution, target)
        # confirm and import right below the changes, the file itself after them
        import_confirmed(plan, resolution, upload, target)
        show_file(plan)

# -- the batches --
batch_programme = None
if target.strip():
    cursor = data.connection().cursor()
    try:
        found = importer.find_programme(cursor, target.strip())
    except UserError:
        found = None
    finally:
        cursor.close()
    batch_programme = found[0] if found else None
if batch_programme is None and programme is not None:
    batch_programme = int(programme.name)
if batch_programme is not None:
    batches_section(batch_programme)

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
