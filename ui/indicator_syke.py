"""The indicator page's SYKE section: the organisation's emission figures (a
municipality's CSV or the all-municipality workbook, uploaded or fetched from SYKE's
site) previewed with what would change and imported all or nothing, and the report
of either."""

import pandas as pd
import streamlit as st

from tracker import rules
from tracker.errors import UserError
from tracker.outcomes import syke_import
from ui import data, session, text
from ui.forms import error_text
from ui.text import md, tr

SYKE = "indicatorform_syke_"


def problems_table(problems) -> None:
    st.dataframe(
        pd.DataFrame(
            [(p.row, p.column, p.message(text.lang())) for p in problems],
            columns=[tr("import_page.row"), tr("import_page.column"), tr("import_page.message")],
        ),
        hide_index=True,
        width="stretch",
    )


def syke_section(organisation: dict) -> None:
    st.header(tr("syke_page.header"), anchor=False)
    st.caption(tr("syke_page.intro"))
    number_col, year_col = st.columns(2)
    number = number_col.number_input(
        tr("syke_page.municipality_number"),
        min_value=rules.MIN_MUNICIPALITY_NUMBER,
        max_value=rules.MAX_MUNICIPALITY_NUMBER,
        value=organisation["municipality_number"],
        step=1,
        placeholder="167",
        key=SYKE + f"number_{organisation['id']}",
        help=tr("syke_page.municipality_number_help"),
    )
    preliminary = year_col.number_input(
        tr("syke_page.preliminary_year"),
        min_value=rules.MIN_YEAR,
        max_value=rules.MAX_YEAR,
        value=None,
        step=1,
        key=SYKE + "preliminary",
        help=tr("syke_page.preliminary_year_help"),
    )
    upload = st.file_uploader(
        tr("syke_page.file", limit=200), type=["csv", "xlsx"], key=SYKE + "file", help=tr("syke_page.file_help")
    )
    if number and st.button(
        tr("syke_page.fetch", number=int(number)), icon=":material/cloud_download:", key=SYKE + "fetch"
    ):
        try:
            st.session_state[SYKE + "fetched"] = syke_import.fetch_municipality_file(int(number))
        except UserError as failed:
            st.session_state.pop(SYKE + "fetched", None)
            st.error(error_text(failed))
    if upload is not None:
        source = (upload.getvalue(), upload.name, upload.file_id)
    elif SYKE + "fetched" in st.session_state:
        fetched, name = st.session_state[SYKE + "fetched"]
        source = (fetched, name, f"fetched:{name}:{len(fetched)}")
    else:
        return
    _syke_preview_and_import(organisation, source, number, preliminary)


def _syke_preview_and_import(organisation: dict, source: tuple, number, preliminary) -> None:
    """The chosen file checked in a dry run (cached while nothing changes), its report, and
    the Import button when the dry run passes."""
    lang = text.lang()
    content, file_name, file_id = source
    allow_older = st.session_state.get(SYKE + "allow_older", False)
    choices = syke_import.Choices(
        municipality_number=int(number) if number else None,
        preliminary_year=int(preliminary) if preliminary else None,
        allow_older=allow_older,
    )

    def run_import(*, dry_run: bool) -> tuple[int, dict]:
        return syke_import.import_bytes(
            data.connection(),
            content,
            file_name,
            organisation["id"],
            caller=session.caller(),
            choices=choices,
            dry_run=dry_run,
            lang=lang,
        )

    cache_key = (file_id, organisation["id"], choices, data.data_version())
    cached = st.session_state.get(SYKE + "preview")
    if cached is None or cached[0] != cache_key:
        with st.spinner(tr("syke_page.checking")):
            code, report = run_import(dry_run=True)
        cached = (cache_key, code, report)
        st.session_state[SYKE + "preview"] = cached
    _key, code, report = cached
    show_report(report, written=False)
    # Drawn as long as the choice matters, not only while the file is refused: once it is
    # ticked the preview passes, and a checkbox left undrawn would lose its value before
    # Import is pressed, bringing the refusal back.
    if report["refused_as_older"] or allow_older:
        st.checkbox(tr("syke_page.allow_older"), key=SYKE + "allow_older")
    if code != 0:
        return
    if st.button(tr("syke_page.import"), type="primary", icon=":material/upload:", key=SYKE + "import"):
        with st.spinner(tr("syke_page.importing")):
            try:
                code, report = run_import(dry_run=False)
            except UserError as refused:
                st.error(error_text(refused))
                return
        st.session_state.pop(SYKE + "preview", None)
        st.session_state.pop(SYKE + "fetched", None)
        st.session_state[SYKE + "done"] = report
        st.rerun()


def show_report(report: dict, *, written: bool) -> None:
    """A dry run's or an import's report: problems by row and column, warnings, and per
    organisation what changed (names and files are shown as text)."""
    if report["errors"]:
        st.error(tr("syke_page.errors", count=len(report["errors"])))
        in_cells = [p for p in report["errors"] if p["row"] is not None]
        for problem in report["errors"]:
            if problem["row"] is None:
                st.error(md(problem["message"]))
        if in_cells:
            problems_table([_Shown(p["row"], p["column"], p["message"]) for p in in_cells])
    for warning in report["warnings"]:
        st.warning(md(warning["message"]))
    if not report["organisations"]:
        return
    lines = [tr("syke_page.written") if written else tr("syke_page.would_change")]
    for organisation in report["organisations"]:
        first, *rest = syke_import.change_lines(organisation, text.lang())
        lines.append("- " + md(first))
        lines.extend("  - " + md(line) for line in rest)
    (st.success if written else st.info)("\n".join(lines))


class _Shown:
    """A report's problem as problems_table shows it (already in words)."""

    def __init__(self, row, column, message):
        self.row, self.column, self.text = row, column, message

    def message(self, _lang: str) -> str:
        return self.text
