"""The audit log: the one vocabulary of what happened, its one JSON encoder,
and the row every write appends in the same transaction as the change it
records (so a change and its audit row are committed or rolled back together).

An action is ``entity.verb`` (``budget_line.create``); ``ACTIONS`` lists every
one with the entity its row names, and tracker/messages/audit.toml says each
in fi/sv/en. Rows written before this vocabulary keep their old names
(``add_decision``, ``import_create``, ...); ``current_action`` reads them in
the new one.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pyarrow as pa

from tracker import db
from tracker.auth import Caller
from tracker.write.ids import allocate_ids

# action -> the entity its audit row names
ACTIONS: dict[str, str] = {
    "measure.create": "measure",
    "measure.update": "measure",
    "measure.update_status": "measure",
    "measure.archive": "measure",
    "measure.restore": "measure",
    "measure.delete": "measure",
    "budget_line.create": "budget_line",
    "budget_line.update": "budget_line",
    "budget_line.delete": "budget_line",
    "cost_centre.create": "cost_centre",
    "cost_centre.update": "cost_centre",
    "cost_centre.delete": "cost_centre",
    "decision.create": "decision",
    "decision.update": "decision",
    "decision.link_measure": "decision",
    "decision.unlink_measure": "decision",
    "organisation.create": "organisation",
    "organisation.delete": "organisation",
    "programme.create": "programme",
    "programme.delete": "programme",
    "theme.create": "theme",
    "theme.delete": "theme",
    "user.create": "user",
    "user.set_role": "user",
    "user.enable": "user",
    "user.disable": "user",
    "user.reset_password": "user",
    "user.sign_in": "user",
    "user.sign_in_failed": "user",
    "user.lock": "user",
    "user.sign_out": "user",
    "user.sign_in_refused": "user",
    "user.sign_in_alert": "user",
    "user.unlock": "user",
    "setting.update": "setting",
    "feedback.receive": "feedback",
    "feedback.handle": "feedback",
    "feedback.reopen": "feedback",
    "feedback.reply": "feedback",
    "feedback.delete_contact": "feedback",
    "import.run": "programme",
    "import.undo": "programme",
    "demo.load": "programme",
    "demo.synth": "organisation",
    # -- indicators and emissions (issue 16) --
    "indicator.create": "indicator",
    "indicator.update": "indicator",
    "indicator.delete": "indicator",
    "indicator.set_value": "indicator",
    "indicator.remove_value": "indicator",
    "indicator.set_goal": "indicator",
    "indicator.remove_goal": "indicator",
    "indicator.link_measure": "indicator",
    "indicator.update_link": "indicator",
    "indicator.unlink_measure": "indicator",
    "emissions.import": "emissions",
    "organisation.set_municipality_number": "organisation",
    # -- the reporting cycle (issue 14) --
    "period.open": "period",
    "period.mark_ready": "period",
    "period.unmark_ready": "period",
    "period.close": "period",
    "period.reopen": "period",
    "reminder.send": "reminder",
    "reminder.fail": "reminder",
    "reminder.contact_update": "reminder",
    "reminder.opt_out": "reminder",
    "reminder.test_mail": "reminder",
    # -- end of the reporting cycle --
}

# Names older rows carry -> the action now; "{entity}" stands for the row's entity.
LEGACY_ACTIONS: dict[str, str] = {
    "update_status": "measure.update_status",
    "create_measure": "measure.create",
    "edit_measure": "measure.update",
    "archive_measure": "measure.archive",
    "restore_measure": "measure.restore",
    "add_budget_line": "budget_line.create",
    "create_budget_line": "budget_line.create",
    "edit_budget_line": "budget_line.update",
    "update_budget_line": "budget_line.update",
    "remove_budget_line": "budget_line.delete",
    "add_cost_centre": "cost_centre.create",
    "create_cost_centre": "cost_centre.create",
    "edit_cost_centre": "cost_centre.update",
    "remove_cost_centre": "cost_centre.delete",
    "add_decision": "decision.create",
    "create_decision": "decision.create",
    "edit_decision": "decision.update",
    "link_decision": "decision.link_measure",
    "unlink_decision": "decision.unlink_measure",
    "add_user": "user.create",
    "set_role": "user.set_role",
    "enable_user": "user.enable",
    "disable_user": "user.disable",
    "reset_password": "user.reset_password",
    "sign_in": "user.sign_in",
    "sign_in_failed": "user.sign_in_failed",
    "lock_account": "user.lock",
    "set_setting": "setting.update",
    "import": "import.run",
    "load_demo": "demo.load",
    "synth": "demo.synth",
    "import_create": "{entity}.create",
    "import_update": "{entity}.update",
}
# Entity names older rows carry -> the entity now.
LEGACY_ENTITIES = {"organisations": "organisation", "measure_decision": "decision"}


def entity_of(action: str) -> str:
    """The entity an action's row names; an action not in the vocabulary is a bug."""
    try:
        return ACTIONS[action]
    except KeyError:
        raise KeyError(f"{action!r} is not in the audit vocabulary (tracker.write.audit.ACTIONS)") from None


def current_action(action: str, entity: str) -> str:
    """The action of a stored row in today's vocabulary (old rows keep old names)."""
    if action in ACTIONS:
        return action
    legacy = LEGACY_ACTIONS.get(action)
    if legacy is None:
        return action
    return legacy.format(entity=LEGACY_ENTITIES.get(entity, entity))


def current_entity(entity: str, entity_id: str | None) -> tuple[str, str | None]:
    """(entity, id) of a stored row in today's names: an old link row named
    ``measure_decision`` with id ``"<measure>:<decision>"`` is about the decision."""
    if entity == "measure_decision" and entity_id and ":" in entity_id:
        return "decision", entity_id.split(":", 1)[1]
    return LEGACY_ENTITIES.get(entity, entity), entity_id


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in the audit log")


def to_json(value: dict | None) -> str | None:
    """The one encoder of before/after: dates as ISO text, euros as exact decimal text."""
    return None if value is None else json.dumps(value, default=_plain, ensure_ascii=False)


def record(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    action: str,
    entity_id,
    *,
    before: dict | None,
    after: dict | None,
    measure_id: int | None = None,
    now: datetime | None = None,
    version: int | None = None,
) -> None:
    """Append the audit row of a write; call it inside the write's transaction.
    ``version``: the write took a versioned row from it to the next, and
    ``before`` and ``after`` (the fields it changed) are stored each with its version."""
    if version is not None:
        before, after = {**before, "version": version}, {**after, "version": version + 1}
    entity = entity_of(action)
    cur.execute(
        "INSERT INTO audit_log (id, occurred_at, actor, action, entity, entity_id, measure_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            allocate_ids(cur, "audit_log")[0],
            now or db.utcnow(),
            caller.actor,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            measure_id,
            to_json(before),
            to_json(after),
        ],
    )


def record_many(cur: duckdb.DuckDBPyConnection, caller: Caller, now: datetime, rows: list[tuple]) -> None:
    """Many audit rows in one statement: (action, entity id, measure id, before, after) each."""
    if not rows:
        return
    ids = allocate_ids(cur, "audit_log", len(rows))
    frame = pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "action": pa.array([r[0] for r in rows], pa.string()),
            "entity": pa.array([entity_of(r[0]) for r in rows], pa.string()),
            "entity_id": pa.array([None if r[1] is None else str(r[1]) for r in rows], pa.string()),
            "measure_id": pa.array([r[2] for r in rows], pa.int32()),
            "before": pa.array([to_json(r[3]) for r in rows], pa.string()),
            "after": pa.array([to_json(r[4]) for r in rows], pa.string()),
        }
    )
    cur.register("staged_audit", frame)
    try:
        cur.execute(
            "INSERT INTO audit_log (id, occurred_at, actor, action, entity, entity_id, measure_id, before, after)"
            " SELECT id, $now, $actor, action, entity, entity_id, measure_id, before::JSON, after::JSON"
            " FROM staged_audit",
            {"now": now, "actor": caller.actor},
        )
    finally:
        cur.unregister("staged_audit")


def describe_changes(before, after) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field an audit row changed."""
    old, new = (json.loads(v) if isinstance(v, str) else v if isinstance(v, dict) else {} for v in (before, after))
    return [(key, old.get(key), new.get(key)) for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]
