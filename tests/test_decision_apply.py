"""The proposal a decision makes and the service that applies it: the seed on
the demo database, the same on a database where 6.1 is reset, and the rules
every write service keeps (role, one transaction, audit, conflicts)."""

from datetime import datetime
from decimal import Decimal

import pytest

from tests.conftest import ROOT
from tests.write_conflicts import refuse_first_audit_of
from tracker import write
from tracker.auth import ANONYMOUS, Caller
from tracker.errors import ConflictError, PermissionDenied, ValidationError
from tracker.minutes import proposals, reader

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
VIEWER = Caller(role="viewer", email="board@joensuu.example")
CORPUS = ROOT / "tests" / "data" / "decisions"
SEED_TEXT = (ROOT / "data" / "seed" / "decisions" / "iclei.txt").read_text(encoding="utf-8")
AT = datetime(2026, 11, 28, 10, 0)
# The seed decision's money: 1 200 € a year on cost centre 1275 for 2022-2024.
SEED_LINES = [(year, "1275", Decimal("1200.00")) for year in (2022, 2023, 2024)]
# The audit trail of applying the seed decision to a measure that has neither it nor its lines.
FRESH_APPLY_ACTIONS = [
    "decision.create",
    "decision.link_measure",
    "budget_line.create",
    "budget_line.create",
    "budget_line.create",
    "measure.update_status",
]


def programme_id(con):
    return con.execute("SELECT id FROM programmes WHERE is_default").fetchone()[0]


def proposal_for(con, text):
    return proposals.propose(con, programme_id(con), reader.parse(text), text)


def measure_row(con, code="6.1"):
    row = con.execute("SELECT id, status, progress, version FROM measures WHERE code = ?", [code]).fetchone()
    return dict(zip(("id", "status", "progress", "version"), row, strict=True))


def lines_of(con, measure_id):
    return con.execute(
        "SELECT b.year, c.code, b.planned_eur FROM budget_lines b JOIN cost_centres c ON c.id = b.cost_centre_id"
        " WHERE b.measure_id = ? ORDER BY b.year, c.code",
        [measure_id],
    ).fetchall()


def reset_iclei(con, *, drop_decision=False):
    """6.1 as it was before the board decided: no lines, no link, not started."""
    measure_id = measure_row(con)["id"]
    decision_id = con.execute(
        "SELECT decision_id FROM measure_decisions WHERE measure_id = ?", [measure_id]
    ).fetchone()[0]
    con.execute("DELETE FROM budget_lines WHERE measure_id = ?", [measure_id])
    con.execute("DELETE FROM measure_decisions WHERE measure_id = ?", [measure_id])
    if drop_decision:
        con.execute("DELETE FROM decisions WHERE id = ?", [decision_id])
    con.execute("UPDATE measures SET status = 'not_started', progress = 0 WHERE id = ?", [measure_id])
    return measure_id, decision_id


def record_from(parsed: reader.ParsedDecision, text: str) -> proposals.DecisionRecord:
    """The decision record as the paste page fills it from what the reader found."""
    return proposals.DecisionRecord(
        body=parsed.body or "",
        decided_on=parsed.decided_on,
        section=parsed.section,
        case_number=parsed.case_number,
        title=parsed.title,
        outcome=parsed.outcome,
        unanimous=parsed.unanimous,
        text=text,
    )


def apply_proposal(con, proposal, caller=EDITOR, **overrides):
    measure = proposal.measure
    current = measure_row(con, measure.code)
    arguments = {
        "expected_version": current["version"],
        "record": record_from(proposal.decision, proposal.text),
        "existing_decision_id": proposal.existing_decision_id,
        "lines": proposals.lines_for_measure(con, measure.measure_id, proposal.decision),
        "status": proposals.proposed_status(proposal.decision, proposal.text, current["status"]),
        "now": AT,
    }
    arguments.update(overrides)
    return proposals.apply_decision(con, caller, measure.measure_id, **arguments)


def audit_actions(con, since_id):
    return [
        row[0] for row in con.execute("SELECT action FROM audit_log WHERE id > ? ORDER BY id", [since_id]).fetchall()
    ]


def last_audit_id(con):
    return con.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def test_seed_proposal_on_the_demo_database(demo_con):
    proposal = proposal_for(demo_con, SEED_TEXT)
    measure = proposal.measure
    assert (measure.code, measure.title) == ("6.1", "Liittyminen ICLEI-verkostoon")
    assert proposals.implied_status(proposal.decision, SEED_TEXT) == "done"
    lines = proposals.lines_for_measure(demo_con, measure.measure_id, proposal.decision)
    assert [(line.year, line.cost_centre, line.planned_eur) for line in lines] == [
        (year, "1275", Decimal("1200.00")) for year in (2022, 2023, 2024)
    ]
    # The demo already holds the seed: the lines are there, the decision is recorded and linked.
    assert {line.action for line in lines} == {"unchanged"}
    seed_decision = demo_con.execute(
        "SELECT id FROM decisions WHERE title = 'Liittyminen ICLEI-verkostoon'"
    ).fetchone()[0]
    assert proposal.existing_decision_id == seed_decision
    assert proposals.decision_is_linked(demo_con, proposal.organisation_id, seed_decision, measure.measure_id)


def test_applying_the_seed_again_duplicates_nothing(demo_con):
    proposal = proposal_for(demo_con, SEED_TEXT)
    counts = demo_con.execute(
        "SELECT (SELECT count(*) FROM decisions), (SELECT count(*) FROM budget_lines),"
        " (SELECT count(*) FROM measure_decisions), (SELECT count(*) FROM status_events)"
    ).fetchone()
    before = last_audit_id(demo_con)
    result = apply_proposal(demo_con, proposal)
    assert not (result.decision_created or result.link_created or result.status_changed)
    assert (result.lines_inserted, result.lines_updated) == (0, 0)
    assert (
        counts
        == demo_con.execute(
            "SELECT (SELECT count(*) FROM decisions), (SELECT count(*) FROM budget_lines),"
            " (SELECT count(*) FROM measure_decisions), (SELECT count(*) FROM status_events)"
        ).fetchone()
    )
    assert audit_actions(demo_con, before) == []


def test_apply_on_a_reset_measure_links_the_recorded_decision(demo_con):
    measure_id, decision_id = reset_iclei(demo_con)
    proposal = proposal_for(demo_con, SEED_TEXT)
    assert proposal.existing_decision_id == decision_id
    assert not proposals.decision_is_linked(demo_con, proposal.organisation_id, decision_id, measure_id)
    before = last_audit_id(demo_con)
    version = measure_row(demo_con)["version"]
    result = apply_proposal(demo_con, proposal)
    assert (result.decision_id, result.decision_created, result.link_created) == (decision_id, False, True)
    assert measure_row(demo_con) == {"id": measure_id, "status": "done", "progress": 100, "version": version + 1}
    assert lines_of(demo_con, measure_id) == SEED_LINES
    assert demo_con.execute(
        "SELECT decision_id FROM measure_decisions WHERE measure_id = ?", [measure_id]
    ).fetchall() == [(decision_id,)]
    event = demo_con.execute(
        "SELECT source, old_status, new_status, new_progress, actor, occurred_at, note FROM status_events"
        " WHERE measure_id = ? ORDER BY id DESC LIMIT 1",
        [measure_id],
    ).fetchone()
    assert event[:6] == ("decision", "not_started", "done", 100, EDITOR.email, AT)
    assert event[6].startswith("Kaupunginhallitus")
    assert audit_actions(demo_con, before) == ["decision.link_measure"] + ["budget_line.create"] * 3 + [
        "measure.update_status"
    ]


def test_apply_on_a_fresh_measure_records_the_decision_with_its_fields(demo_con):
    measure_id, _old = reset_iclei(demo_con, drop_decision=True)
    proposal = proposal_for(demo_con, SEED_TEXT)
    assert proposal.existing_decision_id is None
    before = last_audit_id(demo_con)
    result = apply_proposal(demo_con, proposal)
    assert result.decision_created and result.link_created and result.status_changed
    stored = demo_con.execute(
        "SELECT body, decided_on, section, outcome, unanimous, text FROM decisions WHERE id = ?", [result.decision_id]
    ).fetchone()
    assert stored == ("Kaupunginhallitus", None, None, "approved", True, SEED_TEXT)
    assert lines_of(demo_con, measure_id) == SEED_LINES
    assert audit_actions(demo_con, before) == FRESH_APPLY_ACTIONS
    # A second paste of the same text is recognised, not recorded twice.
    assert proposal_for(demo_con, SEED_TEXT).existing_decision_id == result.decision_id


def test_apply_upserts_a_changed_line_and_creates_a_new_cost_centre(demo_con):
    text = (CORPUS / "04_valtuusto_jokaisena_vuotena.txt").read_text(encoding="utf-8")
    proposal = proposal_for(demo_con, text)
    assert proposal.measure.code == "1.4"
    before = last_audit_id(demo_con)
    result = apply_proposal(demo_con, proposal)
    assert result.lines_inserted == 3
    assert demo_con.execute("SELECT name FROM cost_centres WHERE code = '2911040401'").fetchone() == ("Ilmastotoimet",)
    assert audit_actions(demo_con, before).count("cost_centre.create") == 1
    # The council raises the amount: the same lines are updated, not added.
    raised = text.replace("50 000 euroa", "55 000 euroa")
    proposal = proposal_for(demo_con, raised)
    assert proposal.existing_decision_id == result.decision_id  # same body, date and section
    again = apply_proposal(demo_con, proposal)
    assert (again.lines_inserted, again.lines_updated) == (0, 3)
    measure_id = proposal.measure.measure_id
    rows = [row for row in lines_of(demo_con, measure_id) if row[1] == "2911040401"]
    assert rows == [(year, "2911040401", Decimal("55000.00")) for year in (2025, 2026, 2027)]


@pytest.mark.parametrize("caller", [ANONYMOUS, VIEWER])
def test_only_an_editor_may_apply(demo_con, caller):
    reset_iclei(demo_con)
    proposal = proposal_for(demo_con, SEED_TEXT)
    before = last_audit_id(demo_con)
    with pytest.raises(PermissionDenied):
        apply_proposal(demo_con, proposal, caller=caller)
    assert audit_actions(demo_con, before) == []
    assert measure_row(demo_con)["status"] == "not_started"


def test_a_stale_measure_is_refused_and_nothing_is_written(demo_con):
    measure_id, _decision = reset_iclei(demo_con)
    proposal = proposal_for(demo_con, SEED_TEXT)
    stale = measure_row(demo_con)["version"]
    write.measures.update_measure(demo_con, EDITOR, measure_id, expected_version=stale, status="in_progress")
    before = last_audit_id(demo_con)
    with pytest.raises(ConflictError):
        apply_proposal(demo_con, proposal, expected_version=stale)
    assert audit_actions(demo_con, before) == []
    assert lines_of(demo_con, measure_id) == []


def test_a_bad_line_names_the_row_and_writes_nothing(demo_con):
    measure_id, _decision = reset_iclei(demo_con)
    proposal = proposal_for(demo_con, SEED_TEXT)
    lines = proposals.lines_for_measure(demo_con, measure_id, proposal.decision)
    lines[1].planned_eur = Decimal("-5")
    with pytest.raises(ValidationError) as refused:
        apply_proposal(demo_con, proposal, lines=lines)
    assert refused.value.problems["line 2 planned"] == ("decisions.line_amount", {"row": 2})
    assert lines_of(demo_con, measure_id) == []


def test_a_failure_midway_rolls_everything_back(demo_con, monkeypatch):
    measure_id, _decision = reset_iclei(demo_con, drop_decision=True)
    proposal = proposal_for(demo_con, SEED_TEXT)
    decisions_before = demo_con.execute("SELECT count(*) FROM decisions").fetchone()[0]
    real_record, real_record_many = write.audit.record, write.audit.record_many
    calls = []

    def failing_audit(cur, caller, action, *args, **kwargs):
        calls.append(action)
        if action == "measure.update_status":
            raise RuntimeError("disk full")
        return real_record(cur, caller, action, *args, **kwargs)

    def recorded_audit(cur, caller, now, rows):
        calls.extend(row[0] for row in rows)
        return real_record_many(cur, caller, now, rows)

    monkeypatch.setattr(write.audit, "record", failing_audit)
    monkeypatch.setattr(write.audit, "record_many", recorded_audit)
    with pytest.raises(RuntimeError):
        apply_proposal(demo_con, proposal)
    assert "budget_line.create" in calls
    assert demo_con.execute("SELECT count(*) FROM decisions").fetchone()[0] == decisions_before
    assert lines_of(demo_con, measure_id) == []
    assert measure_row(demo_con)["status"] == "not_started"


def test_status_rules():
    seed = reader.parse(SEED_TEXT)
    assert proposals.proposed_status(seed, SEED_TEXT, "not_started") == "done"
    assert proposals.proposed_status(seed, SEED_TEXT, "done") is None
    assert proposals.proposed_status(seed, SEED_TEXT, "cancelled") is None
    funding = (CORPUS / "04_valtuusto_jokaisena_vuotena.txt").read_text(encoding="utf-8")
    parsed = reader.parse(funding)
    assert proposals.proposed_status(parsed, funding, "not_started") == "in_progress"
    assert proposals.proposed_status(parsed, funding, "in_progress") is None
    tabled = (CORPUS / "03_lautakunta_poydalle.txt").read_text(encoding="utf-8")
    assert proposals.proposed_status(reader.parse(tabled), tabled, "not_started") is None


def test_budget_line_rules():
    split = reader.parse((CORPUS / "14_jaettu_vuosittain.txt").read_text(encoding="utf-8"))
    lines, incomplete = proposals.budget_lines(split)
    assert [(line.year, line.cost_centre, line.planned_eur) for line in lines] == [
        (2022, "5330", Decimal("8598.00")),
        (2023, "5330", Decimal("7086.00")),
    ]
    assert incomplete == []
    spread = reader.parse((CORPUS / "07_tekninen_hylattiin.txt").read_text(encoding="utf-8"))
    lines, _ = proposals.budget_lines(spread)
    assert [line.planned_eur for line in lines] == [Decimal("600000.00"), Decimal("600000.00")]
    no_centre = reader.parse((CORPUS / "21_valtuusto_hylkasi_palautusesityksen.txt").read_text(encoding="utf-8"))
    lines, incomplete = proposals.budget_lines(no_centre)
    assert lines == [] and [item.amount_eur for item in incomplete] == [300000]


def test_a_write_refused_for_another_writers_commit_is_run_again_once_whole(demo_con, monkeypatch):
    """Another app server (or session) wrote the same rows at the same moment:
    DuckDB refuses this commit, the whole apply runs again from the start, unseen,
    and writes everything exactly once."""
    measure_id, _decision = reset_iclei(demo_con, drop_decision=True)
    proposal = proposal_for(demo_con, SEED_TEXT)
    decisions_before = demo_con.execute("SELECT count(*) FROM decisions").fetchone()[0]
    refused = refuse_first_audit_of(
        monkeypatch, "measure.update_status", "TransactionContext Error: Conflict on update!"
    )
    before = last_audit_id(demo_con)
    result = apply_proposal(demo_con, proposal)
    assert refused and result.decision_created and result.status_changed
    assert demo_con.execute("SELECT count(*) FROM decisions").fetchone()[0] == decisions_before + 1
    assert lines_of(demo_con, measure_id) == SEED_LINES
    assert audit_actions(demo_con, before) == FRESH_APPLY_ACTIONS
    assert measure_row(demo_con)["status"] == "done"
