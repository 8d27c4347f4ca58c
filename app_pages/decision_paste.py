"""Paste a decision: the editor pastes minutes (or uploads a .txt or .pdf), checks
the fields read from it, and applies the proposal — the measure it concerns,
its new status, its budget lines and the decision record — in one step."""

import hashlib
from dataclasses import replace
from decimal import Decimal, InvalidOperation

import pandas as pd
import streamlit as st

from tracker import i18n, rules
from tracker.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from tracker.minutes import proposals, reader
from ui import data, session, text
from ui.badges import esc, status_badge
from ui.formats import fmt_eur, fmt_number, fmt_pct, missing
from ui.forms import error_text, leave_notice, show_notice
from ui.programme import required_programme
from ui.text import md, tr, tr_md

UPLOAD_LIMIT_MB = 20  # a PDF of minutes; its text is read up to reader.MAX_TEXT_CHARS
APPLIED = "decision_applied"
PDF_KEY = "decision_pdf_text"  # (sha-256 of the file, its text or None, the refusal or None)

st.title(tr("decisions.page"))
programme = required_programme()
if not session.caller().can("editor"):
    st.warning(tr("decisions.editor_only"))
    st.stop()
lang = text.lang()

st.caption(tr("decisions.intro"))
text = st.text_area(tr("decisions.text"), height=260, max_chars=reader.MAX_TEXT_CHARS, key="decision_text")
upload = st.file_uploader(
    tr("decisions.file"), type=["txt", "pdf"], max_upload_size=UPLOAD_LIMIT_MB, key="decision_file"
)


def pdf_text(pdf: bytes) -> tuple[str, None] | tuple[None, tuple[str, dict]]:
    """The PDF's text, or the refusal's message key and parameters. Kept for the
    file last uploaded (by its hash), so a rerun (every widget change) does not
    read the PDF again, nor a refused one again up to its time limit."""
    digest = hashlib.sha256(pdf).hexdigest()
    kept = st.session_state.get(PDF_KEY)
    if kept is None or kept[0] != digest:
        try:
            kept = (digest, reader.extract_pdf_text(pdf), None)
        except (reader.UnreadablePdf, reader.PdfTooSlow, reader.PdfTooHeavy) as refused:
            kept = (digest, None, (refused.key, dict(refused.params)))
        st.session_state[PDF_KEY] = kept
    return kept[1], kept[2]


if upload is not None:
    # not ``data``: that name is ui.data, which the proposal below reads through
    uploaded = upload.getvalue()
    if uploaded[:5] == b"%PDF-":
        text, refusal = pdf_text(uploaded)
        if refusal is not None:
            key, params = refusal
            st.error(tr_md(key, **params, name=upload.name))
            st.stop()
    else:
        try:
            text = uploaded.decode("utf-8")
        except UnicodeDecodeError:
            text = uploaded.decode("cp1252", errors="replace")
    with st.expander(tr("decisions.extracted_text")):
        st.text(text[: reader.MAX_TEXT_CHARS])

if not text.strip():
    st.info(tr("decisions.paste_hint"))
    st.stop()

try:
    parsed = reader.parse(text)
except reader.NotADecision:
    st.warning(tr("decisions.not_a_decision"))
    st.stop()
except reader.TextTooLong as refused:
    st.error(tr(refused.key, length=fmt_number(len(text)), limit=fmt_number(reader.MAX_TEXT_CHARS)))
    st.stop()
except reader.ReadingTooSlow as refused:
    st.error(tr_md(refused.key, **refused.params))
    st.stop()

# Widget keys carry the text's digest so a new text starts from its own reading.
digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

st.subheader(tr("decisions.fields"))
left, middle, right = st.columns(3)
body = left.text_input(tr("decisions.body"), value=parsed.body or "", key=f"decision_body_{digest}")
decided_on = middle.date_input(
    tr("decisions.date"), value=parsed.decided_on, format="DD.MM.YYYY", key=f"decision_date_{digest}"
)
section = right.number_input(
    tr("decisions.section"), min_value=1, value=parsed.section, step=1, key=f"decision_section_{digest}"
)
case_number = left.text_input(
    tr("decisions.case_number"), value=parsed.case_number or "", key=f"decision_case_{digest}"
)
outcome = middle.selectbox(
    tr("decisions.outcome"),
    rules.OUTCOMES,
    index=rules.OUTCOMES.index(parsed.outcome),
    format_func=lambda code: tr(f"outcome.{code}"),
    key=f"decision_outcome_{digest}",
    placeholder=tr("app.choose"),
)
unanimity = [None, True, False]
unanimous = right.selectbox(
    tr("decisions.unanimous"),
    unanimity,
    index=unanimity.index(parsed.unanimous),
    format_func=lambda value: tr(
        {None: "decisions.unanimous_unknown", True: "measure.unanimous", False: "measure.by_vote"}[value]
    ),
    key=f"decision_unanimous_{digest}",
    placeholder=tr("app.choose"),
)
title = st.text_input(tr("decisions.decision_title"), value=parsed.title or "", key=f"decision_title_{digest}")
st.caption(tr_md("decisions.language_read", language={"fi": "suomi", "sv": "svenska"}[parsed.language]))

st.subheader(tr("decisions.money"))
if not parsed.money:
    st.info(tr("decisions.no_money"))
else:
    st.dataframe(
        {
            tr("decisions.amount"): [fmt_eur(item.amount_eur, exact=True) for item in parsed.money],
            tr("decisions.per"): [tr(f"decisions.per_{item.per}") for item in parsed.money],
            tr("decisions.years"): [", ".join(str(y) for y in item.years) for item in parsed.money],
            tr("column.cost_centre"): [
                " ".join(p for p in (item.cost_centre, item.cost_centre_name) if p) for item in parsed.money
            ],
            tr("decisions.sentence"): [item.text for item in parsed.money],
        },
        hide_index=True,
        width="stretch",
    )

# -- the proposal --------------------------------------------------------------------
st.subheader(tr("decisions.proposal"))
con = data.connection()
proposal = proposals.propose(con, int(programme.name), parsed, text, limit=None)
if not proposal.candidates:
    st.info(tr("overview.no_measures"))
    st.stop()

candidates = {candidate.measure_id: candidate for candidate in proposal.candidates}
for mismatch in proposal.mismatches:
    names = {"code": mismatch.code, "quoted": md(mismatch.quoted), "match": mismatch.match_code}
    names["match_title"] = md(mismatch.match_title)
    if mismatch.code_title is None:
        st.warning(tr_md("decisions.title_mismatch_no_code", **names), icon=":material/rule:")
    else:
        st.warning(
            tr_md("decisions.title_mismatch", **names, code_title=md(mismatch.code_title)), icon=":material/rule:"
        )


def candidate_label(measure_id: int) -> str:
    candidate = candidates[measure_id]
    if candidate.by_quote:
        why = tr("decisions.match_quote")
    elif candidate.by_code:
        why = tr("decisions.match_code")
    else:
        why = tr("decisions.match_title", share=fmt_pct(candidate.score))
    return f"{candidate.code} {candidate.title} · {why}"


measure_id = st.selectbox(
    tr("decisions.measure"),
    list(candidates),
    format_func=candidate_label,
    key=f"decision_measure_{digest}",
    placeholder=tr("app.choose"),
)
measure = candidates[measure_id]
# The version the editor is looking at: a change made by someone else before
# Apply is a conflict, not something to overwrite.
version_key = f"decision_version_{digest}_{measure_id}"
st.session_state.setdefault(version_key, measure.version)

implied = proposals.implied_status(parsed, text) if outcome in proposals.APPROVING else None
proposed = proposals.proposed_status(replace(parsed, outcome=outcome), text, measure.status)
status_col, record_col = st.columns(2)
with status_col:
    st.markdown(f"**{esc(tr('column.status'))}:** {status_badge(measure.status)}", unsafe_allow_html=True)
    if proposed:
        change_status = st.checkbox(
            tr("decisions.status_change", status=i18n.status_label(proposed, lang)),
            value=True,
            key=f"decision_status_{digest}_{measure_id}",
        )
    else:
        change_status = False
        if implied:
            st.caption(tr("decisions.status_already", status=i18n.status_label(measure.status, lang)))
        else:
            st.caption(tr("decisions.status_none", outcome=tr(f"outcome.{outcome}")))

with record_col:
    existing_id = proposal.existing_decision_id
    if existing_id is None:
        st.markdown(f"**{tr('decisions.record')}:** {tr('decisions.record_new')}")
    else:
        linked = proposals.decision_is_linked(con, proposal.organisation_id, existing_id, measure_id)
        st.markdown(
            f"**{tr('decisions.record')}:** "
            + tr("decisions.record_existing_linked" if linked else "decisions.record_existing")
        )

st.markdown(f"**{tr('decisions.lines')}**")
lines = proposals.lines_for_measure(con, measure_id, parsed) if outcome in proposals.APPROVING else []
if outcome not in proposals.APPROVING and parsed.money:
    st.caption(tr("decisions.lines_not_approved", outcome=tr(f"outcome.{outcome}")))
for item in proposal.incomplete_money:
    st.caption(tr("decisions.line_incomplete", amount=fmt_eur(item.amount_eur, exact=True)))
editor_frame = pd.DataFrame(
    {
        "include": pd.array([line.action != "unchanged" for line in lines], dtype="boolean"),
        "year": pd.array([line.year for line in lines], dtype="Int64"),
        "cost_centre": pd.array([line.cost_centre for line in lines], dtype="string"),
        "cost_centre_name": pd.array([line.cost_centre_name or "" for line in lines], dtype="string"),
        "planned_eur": pd.array([float(line.planned_eur) for line in lines], dtype="Float64"),
        "now": pd.array(
            [
                tr("decisions.line_new")
                if line.current_planned_eur is None
                else tr("decisions.line_now", amount=fmt_eur(line.current_planned_eur, exact=True))
                for line in lines
            ],
            dtype="string",
        ),
    }
)
edited = st.data_editor(
    editor_frame,
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_config={
        "include": st.column_config.CheckboxColumn(tr("decisions.line_include"), default=True),
        "year": st.column_config.NumberColumn(
            tr("column.year"), min_value=rules.MIN_YEAR, max_value=rules.MAX_YEAR, step=1, format="%d"
        ),
        "cost_centre": st.column_config.TextColumn(tr("column.cost_centre")),
        "cost_centre_name": st.column_config.TextColumn(tr("decisions.cost_centre_name")),
        "planned_eur": st.column_config.NumberColumn(
            f"{tr('column.planned')} (€)", min_value=0, step=0.01, format="localized"
        ),
        "now": st.column_config.TextColumn(tr("decisions.line_current"), disabled=True),
    },
    key=f"decision_lines_{digest}_{measure_id}",
)


def chosen_lines() -> list[proposals.ProposedLine]:
    chosen = []
    for row in edited.itertuples():
        if not missing(row.include) and not row.include:
            continue
        try:
            planned = Decimal(str(row.planned_eur)) if not missing(row.planned_eur) else Decimal(-1)
        except InvalidOperation:
            planned = Decimal(-1)
        chosen.append(
            proposals.ProposedLine(
                year=0 if missing(row.year) else int(row.year),
                cost_centre="" if missing(row.cost_centre) else str(row.cost_centre),
                cost_centre_name=None if missing(row.cost_centre_name) else str(row.cost_centre_name),
                planned_eur=planned,
            )
        )
    return chosen


if st.button(tr("decisions.apply"), type="primary", key=f"decision_apply_{digest}"):
    record = proposals.DecisionRecord(
        body=body,
        decided_on=decided_on,
        section=None if section is None else int(section),
        case_number=case_number.strip() or None,
        title=title.strip() or None,
        outcome=outcome,
        unanimous=unanimous,
        text=text,
    )
    try:
        result = proposals.apply_decision(
            con,
            session.caller(),
            measure_id,
            expected_version=st.session_state[version_key],
            record=record,
            existing_decision_id=proposal.existing_decision_id,
            lines=chosen_lines(),
            status=proposed if change_status else None,
        )
    except ValidationError as refused:
        for key, params in refused.problems.values():
            st.error(tr_md(key, **params))
    except ConflictError as refused:
        del st.session_state[version_key]
        st.error(tr_md("error.conflict", **refused.params))
    except (PermissionDenied, NotFound) as refused:
        st.error(error_text(refused))
    else:
        leave_notice(
            APPLIED,
            (
                "decisions.applied",
                {"code": measure.code, "inserted": result.lines_inserted, "updated": result.lines_updated},
            ),
        )
        st.rerun()
# Below the button pressed, at the foot of a long page.
show_notice(APPLIED)
