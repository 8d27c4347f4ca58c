"""Every write to the database, one module per group of tables."""

from tracker.write import accounts, measures, workspace

__all__ = ["accounts", "measures", "workspace"]
