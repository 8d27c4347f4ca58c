"""Signed-in sessions and the sign-in that opens one: ``sessions``,
``sign_in_handoffs`` and ``known_browsers`` (the password sign-in and its
``sign_in_throttle`` are in password_sign_in.py).

A session is an opaque random token in the browser's HttpOnly cookie; only
its sha256 is stored, with an absolute expiry (``session_max_hours``) and an
idle timeout (``session_idle_minutes``) measured from its last activity. Every
page run resumes it by the cookie, so a sign-out, a password reset, a role
change or a disabled account (``end_user_sessions``) ends it in every tab at
that tab's next action.

A page run cannot set a cookie: a sign-in checked in a page leaves a one-time
hand-off token (valid a minute, used once) that the ``/auth/session`` route
(web/auth.py) swaps for the session cookie. OIDC sign-ins come the same way:
the provider's fresh identity is bridged once into a session of its own.

Password guessing is slowed, never answered differently for unknown and known
e-mails: every attempt is counted up front against its client address and
against the e-mail typed (known or not), and forgiven when it succeeds. After
a few failures each next attempt waits longer (1 s, 2 s, 4 s ... at most
15 min for an e-mail, a minute for a client address that many may share),
forgotten an hour after the last failure. A browser that has signed in to an
account before is not slowed by other people's failures on that account, so
nobody locks an owner out by guessing at their address; repeated failures on
an account are audited for the admin (the users page lists them).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from tracker import db
from tracker.auth import ANONYMOUS, Caller
from tracker.errors import ConflictError

# password_sign_in imports this module too: both name each other's module, never
# its names, so either may be imported first.
from tracker.write import accounts, audit, password_sign_in
from tracker.write.base import Target, bookkeeping, retry_commit_race, transaction

SESSION_COOKIE = "tracker_session"
BROWSER_COOKIE = "tracker_browser"
METHODS = ("password", "oidc")
# Why a session ended (sessions.end_reason).
END_REASONS = ("sign_out", "password", "role", "disabled", "idle", "expired")

HANDOFF_SECONDS = 60
BROWSER_DAYS = 180
# An ended or expired row is kept this long (the audit names its user), then pruned.
KEEP_ENDED = timedelta(days=30)
# An OIDC identity opens a session only while the provider's token is this fresh
# (its `iat`); an older one (Streamlit keeps it 30 days) must sign in again.
OIDC_FRESH = timedelta(minutes=10)
OIDC_CLOCK_SKEW = timedelta(minutes=2)

LOCAL_CLIENT = "localhost"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def oidc_proof(issuer: str | None, subject: str | None, issued_at) -> str:
    """What names one sign-in at the provider (its identity token), hashed."""
    return token_hash(f"{issuer or ''}\x1f{subject or ''}\x1f{issued_at}")


def client_of(host: str | None) -> str:
    """How an address is named in sessions, the throttle and the audit: a
    connection from this machine (Streamlit reports none) is LOCAL_CLIENT."""
    return LOCAL_CLIENT if not host or host in ("127.0.0.1", "::1", "localhost") else host


def safe_next(path: str | None) -> str:
    """A local path to go to after signing in or out; anything else (another site,
    a scheme, a backslash trick) becomes the start page."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or any(c < " " for c in path):
        return "/"
    return path


# -- sessions ------------------------------------------------------------------


@dataclass(frozen=True)
class Resumed:
    """The caller a cookie stands for now, or why its session is no longer valid
    (``ended``: one of END_REASONS, or "unknown" for a token never issued or pruned)."""

    caller: Caller = ANONYMOUS
    method: str | None = None
    ended: str | None = None


_SESSION_FIELDS = (
    "user_id",
    "method",
    "last_seen_at",
    "expires_at",
    "ended_at",
    "end_reason",
    "email",
    "role",
    "display_name",
    "is_active",
)


def _session_row(cur: duckdb.DuckDBPyConnection, hashed: str) -> dict | None:
    row = cur.execute(
        "SELECT s.user_id, s.method, s.last_seen_at, s.expires_at, s.ended_at, s.end_reason,"
        " u.email, u.role, u.display_name, u.is_active"
        " FROM sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.token_hash = ?",
        [hashed],
    ).fetchone()
    return None if row is None else dict(zip(_SESSION_FIELDS, row, strict=True))


def _touch_interval(idle_minutes: int) -> timedelta:
    """How stale last_seen_at may get before a run writes it again: a write
    a minute at most, and never a noticeable part of the idle timeout."""
    return min(timedelta(minutes=1), timedelta(minutes=max(idle_minutes, 0)) / 10)


def resume(
    con: duckdb.DuckDBPyConnection, token: str | None, *, idle_minutes: int, now: datetime | None = None
) -> Resumed:
    """The caller of the session a cookie holds, its activity noted; or why not.

    Read on every page run: one SELECT, and a small write at most once a
    minute (never a change any page shows, so no page cache is dropped)."""
    if not token:
        return Resumed(ended="unknown")
    now = now or db.utcnow()
    hashed = token_hash(token)
    cur = con.cursor()
    try:
        row = _session_row(cur, hashed)
    finally:
        cur.close()
    if row is None:
        return Resumed(ended="unknown")
    if row["ended_at"] is not None:
        return Resumed(method=row["method"], ended=row["end_reason"] or "sign_out")
    ending = None
    if not row["is_active"]:
        ending = "disabled"
    elif row["expires_at"] <= now:
        ending = "expired"
    elif now - row["last_seen_at"] > timedelta(minutes=idle_minutes):
        ending = "idle"
    if ending:
        _end(con, hashed, ending, now)
        return Resumed(method=row["method"], ended=ending)
    if now - row["last_seen_at"] >= _touch_interval(idle_minutes):
        try:
            with bookkeeping(con) as cur:
                cur.execute(
                    "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL", [now, hashed]
                )
        except ConflictError:
            pass  # another tab of the same session noted the activity at the same moment
    caller = Caller(role=row["role"], email=row["email"], user_id=row["user_id"], display_name=row["display_name"])
    return Resumed(caller=caller, method=row["method"])


def _end(con: duckdb.DuckDBPyConnection, hashed: str, reason: str, now: datetime) -> None:
    try:
        with bookkeeping(con) as cur:
            cur.execute(
                "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE token_hash = ? AND ended_at IS NULL",
                [now, reason, hashed],
            )
    except ConflictError:
        pass  # ended by another tab at the same moment


def is_active(con: duckdb.DuckDBPyConnection, token: str | None, *, now: datetime | None = None) -> bool:
    """Whether a cookie's session is still open (neither ended nor past its expiry)."""
    if not token:
        return False
    cur = con.cursor()
    try:
        row = cur.execute(
            "SELECT 1 FROM sessions WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?",
            [token_hash(token), now or db.utcnow()],
        ).fetchone()
    finally:
        cur.close()
    return row is not None


def sign_out(
    con: duckdb.DuckDBPyConnection, token: str | None, *, client: str | None = None, now: datetime | None = None
) -> None:
    """End the session a cookie holds (every tab of it), audited; nothing when it has already ended."""
    if not token:
        return
    now = now or db.utcnow()
    hashed = token_hash(token)

    def attempt() -> None:
        with transaction(con, Target("session")) as cur:
            row = _session_row(cur, hashed)
            if row is None or row["ended_at"] is not None:
                return
            cur.execute(
                "UPDATE sessions SET ended_at = ?, end_reason = 'sign_out' WHERE token_hash = ? AND ended_at IS NULL",
                [now, hashed],
            )
            audit.record(
                cur,
                Caller(role=row["role"], email=row["email"], user_id=row["user_id"]),
                "user.sign_out",
                row["user_id"],
                before=None,
                after={"method": row["method"], "client_address": client or LOCAL_CLIENT},
                now=now,
            )

    retry_commit_race(attempt)


def end_user_sessions(cur: duckdb.DuckDBPyConnection, user_id: int, reason: str, now: datetime) -> int:
    """Inside the caller's transaction: end every open session of a user (the
    password was reset, the role changed, the account was disabled) and drop
    their pending hand-offs; a disabled account also forgets its browsers.
    Returns how many sessions ended."""
    if reason not in END_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    (count,) = cur.execute("SELECT count(*) FROM sessions WHERE user_id = ? AND ended_at IS NULL", [user_id]).fetchone()
    cur.execute(
        "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL",
        [now, reason, user_id],
    )
    cur.execute("DELETE FROM sign_in_handoffs WHERE user_id = ?", [user_id])
    if reason == "disabled":
        cur.execute("DELETE FROM known_browsers WHERE user_id = ?", [user_id])
    return count


# -- hand-off: a sign-in checked in a page, carried to the route that sets the cookie


def create_handoff(
    cur: duckdb.DuckDBPyConnection,
    user_id: int,
    method: str,
    next_path: str,
    now: datetime,
    client: str | None,
    proof: str | None = None,
) -> str:
    token, hashed = _new_token()
    cur.execute(
        "INSERT INTO sign_in_handoffs (token_hash, user_id, method, next_path, created_at, expires_at,"
        " client_address, oidc_proof) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [hashed, user_id, method, safe_next(next_path), now, now + timedelta(seconds=HANDOFF_SECONDS), client, proof],
    )
    return token


@dataclass(frozen=True)
class Redeemed:
    """What /auth/session sets: the session cookie (and how long it lives), a
    known-browser cookie when this browser had none for the account, and where to go."""

    session_token: str
    max_age_seconds: int
    next_path: str
    browser_token: str | None = None


def redeem_handoff(
    con: duckdb.DuckDBPyConnection,
    token: str | None,
    *,
    max_hours: int,
    client: str | None = None,
    browser_token: str | None = None,
    now: datetime | None = None,
) -> Redeemed | None:
    """Swap a one-time hand-off token for a new session; None when the token
    is unknown, used or older than a minute, comes from another client
    address than the sign-in (a link someone else was given), or the account
    was disabled meanwhile."""
    if not token:
        return None
    now = now or db.utcnow()
    hashed = token_hash(token)

    def attempt() -> Redeemed | None:
        with bookkeeping(con) as cur:
            row = cur.execute(
                "SELECT h.user_id, h.method, h.next_path, h.expires_at, h.client_address, h.oidc_proof, u.is_active"
                " FROM sign_in_handoffs AS h JOIN users AS u ON u.id = h.user_id WHERE h.token_hash = ?",
                [hashed],
            ).fetchone()
            cur.execute("DELETE FROM sign_in_handoffs WHERE token_hash = ?", [hashed])
            if row is None:
                return None
            user_id, method, next_path, expires_at, signed_in_from, proof, active = row
            if expires_at <= now or not active or (signed_in_from or LOCAL_CLIENT) != (client or LOCAL_CLIENT):
                return None
            session_token, session_hash = _new_token()
            expires = now + timedelta(hours=max_hours)
            cur.execute(
                "INSERT INTO sessions (token_hash, user_id, method, created_at, last_seen_at, expires_at,"
                " client_address, oidc_proof) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [session_hash, user_id, method, now, now, expires, signed_in_from, proof],
            )
            new_browser = None
            if method == "password" and not known_browser(cur, browser_token, user_id, now):
                new_browser, browser_hash = _new_token()
                cur.execute(
                    "INSERT INTO known_browsers (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    [browser_hash, user_id, now, now + timedelta(days=BROWSER_DAYS)],
                )
            _prune(cur, now)
            return Redeemed(session_token, int(timedelta(hours=max_hours).total_seconds()), next_path, new_browser)

    return retry_commit_race(attempt)


def _prune(cur: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Forget what can no longer be used (done when a session opens, so the tables stay small)."""
    cur.execute(
        "DELETE FROM sessions WHERE coalesce(ended_at, expires_at) < ?",
        [now - KEEP_ENDED],
    )
    cur.execute("DELETE FROM sign_in_handoffs WHERE expires_at < ?", [now])
    cur.execute("DELETE FROM known_browsers WHERE expires_at < ?", [now])
    password_sign_in.forget_old_failures(cur, now)


def known_browser(cur: duckdb.DuckDBPyConnection, token: str | None, user_id: int, now: datetime) -> bool:
    if not token:
        return False
    row = cur.execute(
        "SELECT 1 FROM known_browsers WHERE token_hash = ? AND user_id = ? AND expires_at > ?",
        [token_hash(token), user_id, now],
    ).fetchone()
    return row is not None


# -- OIDC ----------------------------------------------------------------------


def oidc_handoff(
    con: duckdb.DuckDBPyConnection,
    email: str | None,
    proof: str,
    issued_at: datetime | None,
    *,
    next_path: str,
    client: str | None = None,
    now: datetime | None = None,
) -> str | None:
    """A hand-off token for a user the OIDC provider has just signed in, or None:
    the address is no active user, the provider's token is not fresh, or this
    very sign-in at the provider already opened a session (a tab that still
    holds the identity after its session ended must sign in at the provider again)."""
    now = now or db.utcnow()
    if issued_at is None or not now - OIDC_FRESH <= issued_at <= now + OIDC_CLOCK_SKEW:
        return None

    def attempt() -> str | None:
        with transaction(con, Target("session")) as cur:
            user = accounts.fetch_user(cur, email or "")
            if user is None or not user["is_active"]:
                return None
            used = cur.execute(
                "SELECT (SELECT count(*) FROM sessions WHERE oidc_proof = $p)"
                " + (SELECT count(*) FROM sign_in_handoffs WHERE oidc_proof = $p)",
                {"p": proof},
            ).fetchone()[0]
            if used:
                return None
            accounts.record_sign_in(cur, user, now, client=client or LOCAL_CLIENT, method="oidc")
            return create_handoff(cur, user["id"], "oidc", next_path, now, client, proof)

    return retry_commit_race(attempt)
