"""Local accounts: argon2 password hashes in ``users``, checking a password,
noting a sign-in, and matching OIDC sign-ins to users by e-mail. Managing users
is for admins; every change is audited, and a reset password, a changed role or
a disabled account ends that user's sessions at once (tracker.write.sessions,
which also holds the sign-in sequence and its throttle)."""

from __future__ import annotations

import secrets
from datetime import datetime

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker import db, rules
from tracker.auth import ANONYMOUS, ROLES, Caller, require
from tracker.errors import NotFound, ValidationError
from tracker.write import audit, password_sign_in, sessions
from tracker.write.base import Target, in_transaction, run_service
from tracker.write.ids import allocate_id

PASSWORD_MIN_LENGTH = 12
USER_FIELDS = (
    "id",
    "email",
    "display_name",
    "role",
    "password_hash",
    "is_active",
    "failed_attempts",
    "locked_until",
    "last_login_at",
)

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong address costs the
# same time as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def validate_email(email: str) -> None:
    if not email:
        raise ValidationError({"email": ("validation.required", {})})
    if len(email) > rules.EMAIL_MAX_LENGTH or not rules.EMAIL_PATTERN.match(email):
        raise ValidationError({"email": ("validation.email", {})})


def validate_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError({"role": ("validation.unknown_choice", {"value": role})})


def fetch_user(cur: duckdb.DuckDBPyConnection, email: str) -> dict | None:
    sql = f"SELECT {', '.join(USER_FIELDS)} FROM users WHERE email = ?"  # noqa: S608 (constant column list)
    row = cur.execute(sql, [normalise_email(email)]).fetchone()
    return None if row is None else dict(zip(USER_FIELDS, row, strict=True))


def caller_of(user: dict) -> Caller:
    return Caller(role=user["role"], email=user["email"], user_id=user["id"], display_name=user["display_name"])


def add_user(
    con: duckdb.DuckDBPyConnection,
    caller: Caller,
    email: str,
    role: str,
    *,
    display_name: str | None = None,
    password: str | None = None,
    now: datetime | None = None,
) -> str:
    """Create an account and return its password (generated unless given); the
    password is shown once and only its hash is stored."""
    require(caller, "admin")
    email = normalise_email(email)
    validate_email(email)
    validate_role(role)
    display_name = (display_name or "").strip() or None
    if display_name and len(display_name) > rules.NAME_MAX:
        raise ValidationError({"display_name": ("validation.too_long", {"max": rules.NAME_MAX})})
    password = password or generate_password()
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValidationError({"password": ("validation.password_short", {"min": PASSWORD_MIN_LENGTH})})
    password_hash = hash_password(password)
    now = now or db.utcnow()

    def write(cur: duckdb.DuckDBPyConnection):
        # E-mails are unique: checked here, not by a UNIQUE index.
        if fetch_user(cur, email) is not None:
            raise ValidationError({"email": ("validation.email_taken", {"email": email})})
        user_id = allocate_id(cur, "users")
        cur.execute(
            "INSERT INTO users (id, email, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [user_id, email, display_name, role, password_hash, now],
        )
        audit.record(
            cur,
            caller,
            "user.create",
            user_id,
            before=None,
            after={"email": email, "role": role, "display_name": display_name},
            now=now,
        )
        return password

    return in_transaction(con, Target("user"), write)


def _change_user(
    con,
    caller: Caller,
    email: str,
    action: str,
    changes: dict,
    now: datetime | None,
    *,
    ends_sessions: str | None = None,
) -> None:
    """Change a user's fields with the audit row; ``ends_sessions`` (a reason of
    tracker.write.sessions.END_REASONS) ends every session of the user in the same transaction."""

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        user = fetch_user(cur, email)
        if user is None:
            raise NotFound(email, key="error.user_not_found", email=normalise_email(email))
        changed = {key: value for key, value in changes.items() if user[key] != value}
        if ends_sessions and changed:
            sessions.end_user_sessions(cur, user["id"], ends_sessions, now)
        if "failed_attempts" in changes:  # the admin lifts the wait of failed sign-ins
            password_sign_in.clear_failures(cur, user["email"])
        if not changed:
            return
        assignments = ", ".join(f"{key} = ?" for key in changed)
        cur.execute(f"UPDATE users SET {assignments} WHERE id = ?", [*changed.values(), user["id"]])  # noqa: S608
        hidden = {"password_hash"}
        audit.record(
            cur,
            caller,
            action,
            user["id"],
            before={k: ("***" if k in hidden else user[k]) for k in changed},
            after={k: ("***" if k in hidden else v) for k, v in changed.items()},
            now=now,
        )

    return run_service(con, caller, "admin", Target("user", normalise_email(email)), write, now)


def set_role(con, caller: Caller, email: str, role: str, *, now: datetime | None = None) -> None:
    require(caller, "admin")
    validate_role(role)
    _change_user(con, caller, email, "user.set_role", {"role": role}, now, ends_sessions="role")


def set_active(con, caller: Caller, email: str, active: bool, *, now: datetime | None = None) -> None:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    require(caller, "admin")
    if caller.email and normalise_email(email) == caller.email and not active:
        raise ValidationError({"email": ("validation.not_yourself", {})})
    changes = {"is_active": bool(active)}
    if active:
        changes.update(failed_attempts=0, locked_until=None)
    action = "user.enable" if active else "user.disable"
    _change_user(con, caller, email, action, changes, now, ends_sessions=None if active else "disabled")


def reset_password(con, caller: Caller, email: str, *, now: datetime | None = None) -> str:
    """A new generated password (returned once); ends the user's sessions and
    lifts the wait of failed sign-ins on the address."""
    require(caller, "admin")
    password = generate_password()
    changes = {"password_hash": hash_password(password), "failed_attempts": 0, "locked_until": None}
    _change_user(con, caller, email, "user.reset_password", changes, now, ends_sessions="password")
    return password


def lift_sign_in_wait(con, caller: Caller, email: str, *, now: datetime | None = None) -> bool:
    """Forget the failed sign-ins counted on an address (admin only, audited):
    its next attempt waits no more. False when nothing was counted."""
    email = normalise_email(email)

    def write(cur: duckdb.DuckDBPyConnection, now: datetime):
        user = fetch_user(cur, email)
        if not password_sign_in.clear_failures(cur, email):
            return False
        audit.record(cur, caller, "user.unlock", user and user["id"], before=None, after={"email": email}, now=now)
        return True

    return run_service(con, caller, "admin", Target("user", email), write, now)


def password_matches(user: dict | None, password: str) -> bool:
    """Whether ``password`` is an active account's; an unknown or disabled account
    costs the same argon2 time, so the answer's speed tells nothing."""
    if user is None or not user["password_hash"]:
        _verify(_DUMMY_HASH, password)
        return False
    return _verify(user["password_hash"], password) and bool(user["is_active"])


def record_sign_in(cur: duckdb.DuckDBPyConnection, user: dict, now: datetime, *, client: str, method: str) -> None:
    """Inside the sign-in's transaction: the user's last sign-in, audited with how and from where."""
    cur.execute(
        "UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", [now, user["id"]]
    )
    audit.record(
        cur,
        Caller(role="anonymous", email=user["email"]),
        "user.sign_in",
        user["id"],
        before={"last_login_at": user["last_login_at"]},
        after={"last_login_at": now, "method": method, "client_address": client},
        now=now,
    )


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def current_caller(con: duckdb.DuckDBPyConnection, email: str | None) -> Caller:
    """The caller an e-mail stands for now: its active account's role, or no
    role at all (anonymous) for an unknown or disabled address. Used on every
    page run, so a changed role or a disabled account takes effect at once,
    and to map an OIDC sign-in to a user."""
    email = normalise_email(email)
    if not email:
        return ANONYMOUS
    cur = con.cursor()
    try:
        user = fetch_user(cur, email)
    finally:
        cur.close()
    if user is None or not user["is_active"]:
        return Caller(role="anonymous", email=email)
    return caller_of(user)
