"""Another writer's commit at the same moment, faked for the tests of the write
services that run a write refused for it again, once and whole."""

from __future__ import annotations

import duckdb

from tracker.write import audit


def refuse_first_audit_of(monkeypatch, action: str, error: str) -> list[str]:
    """The first audit row of ``action`` fails as DuckDB fails a commit that
    conflicts with another writer's (``error``: its message); the list returned
    holds ``action`` once that happened."""
    real_record = audit.record
    refused = []

    def refused_once(cur, caller, audited_action, *args, **kwargs):
        if audited_action == action and not refused:
            refused.append(audited_action)
            raise duckdb.TransactionException(error)
        return real_record(cur, caller, audited_action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", refused_once)
    return refused
