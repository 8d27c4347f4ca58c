"""From a parsed decision to the tracker: the proposal (which measure, found
by matching.py; what status, which budget lines, which decision record) and
the service that applies what the editor confirmed, all of it in one
transaction.

The proposal only reads; ``apply_decision`` is the one write, checking the
caller's role itself and making every change through the write layer
(tracker.write), each with its audit row, in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

import duckdb

from tracker import db, rules
from tracker.auth import Caller, require
from tracker.errors import NotFound, ValidationError
from tracker.minutes.matching import MAX_CANDIDATES, Candidate, TitleMismatch, measure_candidates
from tracker.minutes.reader import ParsedDecision
from tracker.write import budget, decisions, measures
from tracker.write.base import Target, check_version, in_transaction
from tracker.write.fields import clean_euros

DECISION_SOURCE = "decision"
APPROVING = ("approved", "approved_amended")
# How far along a status is; a decision only ever moves a measure forward.
_STATUS_RANK = {"not_started": 0, "postponed": 0, "in_progress": 1, "late": 1, "done": 2}
# A one-off act (joining a network, "liittyä", "ansluta") is done once decided.
_ONE_OFF = re.compile(
    r"\bliitty\w*|\bliittyä\w*|\bjäseneksi\b|\bansluter\b|\bansluta\b|\banslutning\w*|\bblir medlem\b",
    re.IGNORECASE,
)
_CENT = Decimal("0.01")


@dataclass
class ProposedLine:
    year: int
    cost_centre: str
    cost_centre_name: str | None
    planned_eur: Decimal
    current_planned_eur: Decimal | None = None  # the line already there, if any

    @property
    def action(self) -> str:
        if self.current_planned_eur is None:
            return "insert"
        return "unchanged" if self.current_planned_eur == self.planned_eur else "update"


@dataclass
class Proposal:
    decision: ParsedDecision
    text: str
    organisation_id: int | None
    candidates: list[Candidate]
    existing_decision_id: int | None
    incomplete_money: list = field(default_factory=list)  # items missing a year or a cost centre
    mismatches: list[TitleMismatch] = field(default_factory=list)

    @property
    def measure(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class DecisionRecord:
    body: str
    decided_on: date | None
    section: int | None
    case_number: str | None
    title: str | None
    outcome: str
    unanimous: bool | None
    text: str | None
    url: str | None = None


@dataclass
class ApplyResult:
    decision_id: int
    decision_created: bool
    link_created: bool
    lines_inserted: int
    lines_updated: int
    status_changed: bool
    measure_version: int


def proposed_status(parsed: ParsedDecision, text: str, current: str) -> str | None:
    """The status an approving decision implies, or None when it changes nothing:
    a one-off act is done once decided, anything else is under way."""
    if parsed.outcome not in APPROVING or current not in _STATUS_RANK:
        return None
    target = "done" if _ONE_OFF.search(_decided_part(text)) else "in_progress"
    return target if _STATUS_RANK[target] > _STATUS_RANK[current] else None


def implied_status(parsed: ParsedDecision, text: str) -> str | None:
    """What the decision says about the measure regardless of its current state."""
    if parsed.outcome not in APPROVING:
        return None
    return "done" if _ONE_OFF.search(_decided_part(text)) else "in_progress"


def _decided_part(text: str) -> str:
    """The proposal and decision, not the background: from the last deciding verb on."""
    found = list(re.finditer(r"päättää|päätti|päätösehdotus|beslutar|beslöt|förslag", text, re.IGNORECASE))
    return text[found[-1].start() :] if found else text


def _even_split(amount: Decimal, years: list[int]) -> list[tuple[int, Decimal]]:
    share = (amount / len(years)).quantize(_CENT, rounding=ROUND_DOWN)
    shares = [share] * len(years)
    shares[-1] = amount - share * (len(years) - 1)
    return list(zip(years, shares, strict=True))


def budget_lines(parsed: ParsedDecision) -> tuple[list[ProposedLine], list]:
    """One line per year and cost centre, planned = the amount: a per-year amount
    in each of its years, a total over one year as that year's line, a total over
    several years split evenly. Items missing a year or a cost centre are
    returned apart for the editor to complete."""
    lines: dict[tuple[int, str], ProposedLine] = {}
    incomplete = []
    for item in parsed.money:
        if not item.years or not item.cost_centre:
            incomplete.append(item)
            continue
        amount = Decimal(str(item.amount_eur))
        shares = [(year, amount) for year in item.years] if item.per == "year" else _even_split(amount, item.years)
        for year, share in shares:
            key = (year, item.cost_centre)
            if key in lines:
                lines[key].planned_eur += share.quantize(_CENT)
            else:
                lines[key] = ProposedLine(year, item.cost_centre, item.cost_centre_name, share.quantize(_CENT))
    return sorted(lines.values(), key=lambda line: (line.year, line.cost_centre)), incomplete


def _same_text(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return re.sub(r"\s+", " ", a).strip() == re.sub(r"\s+", " ", b).strip()


def existing_decision(con, organisation_id: int, parsed: ParsedDecision, text: str) -> int | None:
    """A decision already recorded: the same body, date and section, or the same text."""
    decisions = db.query(con, "organisation_decisions", organisation_id=organisation_id)
    for row in decisions.itertuples():
        same_header = (
            parsed.body
            and parsed.date
            and parsed.section
            and str(row.body).lower() == parsed.body.lower()
            and not _missing(row.decided_on)
            and row.decided_on.date().isoformat() == parsed.date
            and not _missing(row.section)
            and int(row.section) == parsed.section
        )
        if same_header or _same_text(row.text if isinstance(row.text, str) else None, text):
            return int(row.id)
    return None


def _missing(value) -> bool:
    try:
        return value is None or bool(value != value)
    except (TypeError, ValueError):
        return False


def propose(
    con: duckdb.DuckDBPyConnection,
    programme_id: int,
    parsed: ParsedDecision,
    text: str,
    limit: int | None = MAX_CANDIDATES,
) -> Proposal:
    candidates, organisation_id, mismatches = measure_candidates(con, programme_id, parsed, text, limit)
    found = existing_decision(con, organisation_id, parsed, text) if organisation_id is not None else None
    _lines, incomplete = budget_lines(parsed)
    return Proposal(
        decision=parsed,
        text=text,
        organisation_id=organisation_id,
        candidates=candidates,
        existing_decision_id=found,
        incomplete_money=incomplete,
        mismatches=mismatches,
    )


def lines_for_measure(con: duckdb.DuckDBPyConnection, measure_id: int, parsed: ParsedDecision) -> list[ProposedLine]:
    """The proposed lines with what the measure already has on the same year and cost centre."""
    lines, _incomplete = budget_lines(parsed)
    current = db.query(con, "measure_budget_lines", measure_id=measure_id)
    there = {
        (int(r.year), str(r.cost_centre)): Decimal(str(r.planned_eur)).quantize(_CENT) for r in current.itertuples()
    }
    for line in lines:
        line.current_planned_eur = there.get((line.year, line.cost_centre))
    return lines


def decision_is_linked(con: duckdb.DuckDBPyConnection, organisation_id: int, decision_id: int, measure_id: int) -> bool:
    decisions = db.query(con, "organisation_decisions", organisation_id=organisation_id)
    row = decisions[decisions["id"] == decision_id]
    return not row.empty and measure_id in list(row["measure_ids"].iloc[0])


# -- the write: coordinated calls of the write layer in one transaction --------


def _validate(record: DecisionRecord | None, lines: list[ProposedLine], status: str | None) -> None:
    problems: dict[str, tuple[str, dict]] = {}
    if record is not None:
        if not record.body.strip() or len(record.body) > rules.NAME_MAX:
            problems["body"] = ("decisions.body_required", {})
        if record.outcome not in rules.OUTCOMES:
            problems["outcome"] = ("decisions.outcome_unknown", {"value": record.outcome})
        if record.section is not None and record.section <= 0:
            problems["section"] = ("decisions.section_positive", {})
    if status is not None and status not in _STATUS_RANK:
        problems["status"] = ("validation.status_unknown", {"value": status})
    for number, line in enumerate(lines, start=1):
        if not rules.year_in_range(line.year):
            problems[f"line {number} year"] = ("decisions.line_year", {"row": number, "value": line.year})
        if not str(line.cost_centre or "").strip() or len(str(line.cost_centre)) > rules.COST_CENTRE_CODE_MAX:
            problems[f"line {number} cost_centre"] = ("decisions.line_cost_centre", {"row": number})
        amount: dict = {}
        clean_euros(amount, "planned", line.planned_eur, required=True)
        if "planned" in amount:
            negative = amount["planned"][0] == "validation.euros_negative"
            key = "decisions.line_amount" if negative else "decisions.line_amount_invalid"
            problems[f"line {number} planned"] = (key, {"row": number})
    keys = [(line.year, str(line.cost_centre).strip()) for line in lines]
    if len(keys) != len(set(keys)):
        problems["lines"] = ("decisions.line_duplicate", {})
    if problems:
        raise ValidationError(problems)


def apply_decision(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    measure_id: int,
    *,
    expected_version: int,
    record: DecisionRecord | None = None,
    existing_decision_id: int | None = None,
    lines: list[ProposedLine] = (),
    status: str | None = None,
    now: datetime | None = None,
) -> ApplyResult:
    """Record the decision (or reuse ``existing_decision_id``), link it to the
    measure, upsert the budget lines (creating cost centres as needed) and
    move the status, in one transaction with an audit row for each change.

    Refuses with ConflictError when the measure changed since the proposal was
    made (``expected_version``), so a status set meanwhile is never overwritten.
    """
    require(caller, "editor")
    if existing_decision_id is None and record is None:
        raise ValueError("either a decision record or an existing decision id")
    lines = list(lines)
    _validate(record if existing_decision_id is None else None, lines, status)
    now = now or db.utcnow()
    target = Target("measure", measure_id, expected_version, lambda cur: measures.fetch_measure(cur, measure_id))

    def write(cur: duckdb.DuckDBPyConnection) -> ApplyResult:
        measure = measures.fetch_measure(cur, measure_id)
        check_version("measure", measure_id, measure, expected_version)
        organisation_id = measures.organisation_of(cur, measure_id)
        if existing_decision_id is None:
            decision_id = _record_decision(cur, caller, organisation_id, record, measure_id, now)
        else:
            decision_id = existing_decision_id
            _check_decision_of(cur, decision_id, organisation_id)
        link_created = measure_id not in decisions.linked_measures(cur, decision_id)
        if link_created:
            decisions.set_link(cur, caller, decision_id, measure_id, linked=True, now=now)
        inserted, updated = _apply_lines(cur, caller, measure_id, organisation_id, decision_id, lines, now)
        status_changed = status is not None and status != measure["status"]
        version = measure["version"]
        if status_changed:
            version = measures.apply_status_update(
                cur,
                caller,
                measure_id,
                expected_version=version,
                status=status,
                progress=100 if status == "done" else None,
                note=_decision_note(decisions.fetch_decision(cur, decision_id)),
                note_is_public=True,
                source=DECISION_SOURCE,
                now=now,
            )
        return ApplyResult(
            decision_id, existing_decision_id is None, link_created, inserted, updated, status_changed, version
        )

    return in_transaction(con, target, write)


def _check_decision_of(cur, decision_id: int, organisation_id: int) -> None:
    try:
        found = decisions.fetch_decision(cur, decision_id)["organisation_id"] == organisation_id
    except NotFound:
        found = False
    if not found:
        raise ValidationError({"decision": ("decisions.decision_missing", {"id": decision_id})})


def _record_decision(cur, caller: Caller, organisation_id: int, record: DecisionRecord, measure_id: int, now) -> int:
    fields = {
        "body": record.body.strip(),
        "decided_on": record.decided_on,
        "section": record.section,
        "case_number": record.case_number,
        "title": record.title,
        "outcome": record.outcome,
        "unanimous": record.unanimous,
        "url": record.url,
        "text": record.text,
    }
    return decisions.insert_decision(cur, caller, organisation_id, fields, now=now, measure_id=measure_id)


def _apply_lines(cur, caller: Caller, measure_id, organisation_id, decision_id, lines, now) -> tuple[int, int]:
    """Each line inserted, or its planned amount updated: (inserted, updated)."""
    centres = budget.organisation_cost_centres(cur, organisation_id)
    inserted = updated = 0
    for line in lines:
        code = str(line.cost_centre).strip()
        if code not in centres:
            name = (line.cost_centre_name or "").strip() or None
            centre_id = budget.insert_cost_centre(cur, caller, organisation_id, code, name, now=now)
            centres[code] = {"id": centre_id}
        centre_id = centres[code]["id"]
        planned = Decimal(str(line.planned_eur)).quantize(_CENT)
        existing = budget.find_budget_line(cur, measure_id, line.year, centre_id)
        if existing is None:
            row = {
                "measure_id": measure_id,
                "year": line.year,
                "cost_centre_id": centre_id,
                "planned_eur": planned,
                "note": f"decision {decision_id}",
            }
            budget.insert_budget_lines(cur, caller, [row], now=now)
            inserted += 1
        elif existing["planned_eur"] != planned:
            budget.update_budget_lines(cur, caller, [(existing, {"planned_eur": planned})], now=now)
            updated += 1
    return inserted, updated


def _decision_note(decision: dict) -> str:
    """How the timeline names the decision: "Kaupunginhallitus 10.1.2022 § 3: title"."""
    decided_on, section, title = decision["decided_on"], decision["section"], decision["title"]
    head = " ".join(
        part
        for part in (
            decision["body"],
            f"{decided_on.day}.{decided_on.month}.{decided_on.year}" if decided_on else None,
            f"§ {section}" if section else None,
        )
        if part
    )
    return f"{head}: {title}" if title else head
