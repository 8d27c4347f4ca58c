"""Small named exceptions. Those a user can cause carry a catalogue key and
parameters so the UI can show them in the user's language."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class of every error this package raises on purpose."""


class UserError(TrackerError):
    """Something a user can cause and fix; ``key`` names its catalogue message."""

    key = "error.generic"

    def __init__(self, message: str = "", *, key: str | None = None, field: str | None = None, **params):
        super().__init__(message or (key or self.key))
        if key:
            self.key = key
        self.field = field
        self.params = params


class ValidationError(UserError):
    """One or more fields are invalid; ``problems`` maps field -> (key, params)."""

    key = "error.validation"

    def __init__(self, problems: dict[str, tuple[str, dict]]):
        self.problems = problems
        summary = "; ".join(f"{field}: {key}" for field, (key, _params) in problems.items())
        super().__init__(summary)


class ConflictError(UserError):
    """The row changed since the caller loaded it; ``current`` is what is there now."""

    key = "error.conflict"

    def __init__(self, entity: str, entity_id, expected_version: int, current: dict):
        self.entity = entity
        self.entity_id = entity_id
        self.expected_version = expected_version
        self.current = current
        super().__init__(
            f"{entity} {entity_id} is at version {current.get('version')}, not {expected_version}",
            expected=expected_version,
            actual=current.get("version"),
        )


class PermissionDenied(UserError):
    key = "error.permission"


class NotFound(UserError):
    key = "error.not_found"


class AuthError(UserError):
    key = "auth.failed"


class QueryNotFound(TrackerError, KeyError):
    """A named query that has no file in queries/."""

    def __init__(self, name: str):
        super().__init__(f"no query named {name!r} in queries/")
        self.name = name

    def __str__(self) -> str:
        return self.args[0]


class SchemaError(UserError):
    """The database cannot be served as it is; the operator fixes it (see docs/migrations.md)."""


class SchemaBehind(SchemaError):
    """The database misses migrations this code needs (or has none at all): ``python -m tracker migrate``."""

    key = "db.schema_behind"


class DatabaseUnavailable(SchemaError):
    """The database cannot be opened: a lake's catalog is unreachable or refuses, its data path differs."""

    key = "db.unavailable"


class MigrationChanged(SchemaError):
    """A migration applied to the database was edited, renumbered or removed since."""

    key = "db.migration_changed"
