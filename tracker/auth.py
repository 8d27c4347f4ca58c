"""Who is calling a service, and what their role lets them do.

Every write service takes a ``Caller`` and checks the role itself, so a page
that forgets to hide a button still cannot write.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.errors import PermissionDenied

ROLES = ("admin", "editor", "viewer")
_RANK = {"anonymous": 0, "viewer": 1, "editor": 2, "admin": 3}


@dataclass(frozen=True)
class Caller:
    role: str = "anonymous"
    email: str | None = None
    user_id: int | None = None
    display_name: str | None = None

    @property
    def actor(self) -> str:
        """How the caller is named in events and the audit log."""
        return self.email or self.role

    @property
    def signed_in(self) -> bool:
        return self.role != "anonymous"

    def can(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


ANONYMOUS = Caller()
SYSTEM = Caller(role="admin", email="system")


def require(caller: Caller, role: str) -> None:
    """Refuse unless the caller holds ``role`` or a stronger one."""
    if not caller.can(role):
        raise PermissionDenied(f"{caller.actor} may not do this (needs {role})", needed=role)
