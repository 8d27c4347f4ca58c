"""Signed-in sessions and the sign-in that opens one: ``sessions``,
``sign_in_handoffs``, ``known_browsers`` and ``sign_in_throttle``.

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from tracker import db
from tracker.auth import ANONYMOUS, Caller
from tracker.errors import AuthError, ConflictError
from tracker.write import accounts, audit
from tracker.write.base import Target, transaction

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

# The throttle: failures beyond FREE_FAILURES make the next attempt wait
# 2 ** (failures - FREE_FAILURES) seconds, at most MAX_WAIT_SECONDS for an
# e-mail and MAX_CLIENT_WAIT_SECONDS for a client address: many people may share
# one (an office behind one public address, a proxy not trusted for
# X-Forwarded-For), and one guesser there must not keep them all out for long.
FREE_FAILURES = 3
MAX_WAIT_SECONDS = 15 * 60
MAX_CLIENT_WAIT_SECONDS = 60
FORGET_AFTER = timedelta(hours=1)
# This many failures on a known account raise the admin's notice (an audit row
# and the users page); from here on even a known browser waits like any other.
ALERT_FAILURES = 10
CLIENT, ACCOUNT = "client", "account"
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


@contextmanager
def _bookkeeping(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A transaction for rows no page shows (a session's last activity, a
    counter): page caches stay; another session's commit of the same row
    raises ConflictError like any write."""
    try:
        with db.transaction(con, changes_data=False) as cur:
            yield cur
    except duckdb.TransactionException as exc:
        raise ConflictError("session", None, 0, {}) from exc


def _retry(action):
    """Run a short write again when another session's commit of the same rows
    got in between (sign-ins and the audit counter are shared by everyone), with
    the growing random pauses of every other write (db.retry_on_conflict): two
    app servers on a lake signing people in at the same moment take turns
    instead of failing after a few immediate tries."""
    return db.retry_on_conflict(action, retryable=_commit_race)


def _commit_race(error: BaseException) -> bool:
    return isinstance(error, ConflictError) and db.is_conflict(error.__cause__)


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
            with _bookkeeping(con) as cur:
                cur.execute(
                    "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL", [now, hashed]
                )
        except ConflictError:
            pass  # another tab of the same session noted the activity at the same moment
    caller = Caller(role=row["role"], email=row["email"], user_id=row["user_id"], display_name=row["display_name"])
    return Resumed(caller=caller, method=row["method"])


def _end(con: duckdb.DuckDBPyConnection, hashed: str, reason: str, now: datetime) -> None:
    try:
        with _bookkeeping(con) as cur:
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

    _retry(attempt)


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


def _create_handoff(
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
        with _bookkeeping(con) as cur:
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
            if method == "password" and not _known_browser(cur, browser_token, user_id, now):
                new_browser, browser_hash = _new_token()
                cur.execute(
                    "INSERT INTO known_browsers (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    [browser_hash, user_id, now, now + timedelta(days=BROWSER_DAYS)],
                )
            _prune(cur, now)
            return Redeemed(session_token, int(timedelta(hours=max_hours).total_seconds()), next_path, new_browser)

    return _retry(attempt)


def _prune(cur: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Forget what can no longer be used (done when a session opens, so the tables stay small)."""
    cur.execute(
        "DELETE FROM sessions WHERE coalesce(ended_at, expires_at) < ?",
        [now - KEEP_ENDED],
    )
    cur.execute("DELETE FROM sign_in_handoffs WHERE expires_at < ?", [now])
    cur.execute("DELETE FROM known_browsers WHERE expires_at < ?", [now])
    cur.execute("DELETE FROM sign_in_throttle WHERE last_failure_at < ?", [now - FORGET_AFTER])


def _known_browser(cur: duckdb.DuckDBPyConnection, token: str | None, user_id: int, now: datetime) -> bool:
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
            return _create_handoff(cur, user["id"], "oidc", next_path, now, client, proof)

    return _retry(attempt)


# -- password sign-in and its throttle ------------------------------------------


def wait_after(failures: int, scope: str = ACCOUNT) -> int:
    """Seconds the next attempt waits after ``failures`` failures in a row."""
    if failures < FREE_FAILURES:
        return 0
    longest = MAX_CLIENT_WAIT_SECONDS if scope == CLIENT else MAX_WAIT_SECONDS
    return min(2 ** min(failures - FREE_FAILURES, 20), longest)


@dataclass
class _Counter:
    scope: str
    subject: str
    failures: int = 0
    last_failure_at: datetime | None = None
    refused: int = 0
    stored: bool = False

    def remaining(self, now: datetime) -> int:
        if self.last_failure_at is None:
            return 0
        ready = self.last_failure_at + timedelta(seconds=wait_after(self.failures, self.scope))
        return max(0, int((ready - now).total_seconds() + 0.999))


def _counter(cur: duckdb.DuckDBPyConnection, scope: str, subject: str, now: datetime) -> _Counter:
    # max(): the write layer keeps one row per (scope, subject); read defensively all the same.
    row = cur.execute(
        "SELECT max(failures), max(last_failure_at), max(refused) FROM sign_in_throttle"
        " WHERE scope = ? AND subject = ?",
        [scope, subject],
    ).fetchone()
    if row is None or row[0] is None:
        return _Counter(scope, subject)
    counter = _Counter(scope, subject, row[0], row[1], row[2], stored=True)
    if now - counter.last_failure_at > FORGET_AFTER:
        counter.failures, counter.last_failure_at, counter.refused = 0, None, 0
    return counter


def _save_counter(cur: duckdb.DuckDBPyConnection, counter: _Counter, now: datetime, client: str) -> None:
    if counter.failures <= 0:
        cur.execute("DELETE FROM sign_in_throttle WHERE scope = ? AND subject = ?", [counter.scope, counter.subject])
    elif counter.stored:
        cur.execute(
            "UPDATE sign_in_throttle SET failures = ?, first_failure_at = CASE WHEN ? = 1 THEN ? ELSE"
            " first_failure_at END, last_failure_at = ?, last_client = ?, refused = ? WHERE scope = ? AND subject = ?",
            [
                counter.failures,
                counter.failures,
                now,
                counter.last_failure_at,
                client,
                counter.refused,
                counter.scope,
                counter.subject,
            ],
        )
    else:
        cur.execute(
            "INSERT INTO sign_in_throttle (scope, subject, failures, first_failure_at, last_failure_at,"
            " last_client, refused) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [counter.scope, counter.subject, counter.failures, now, counter.last_failure_at, client, counter.refused],
        )


def _account_subject(email: str) -> str:
    return accounts.normalise_email(email)[:254]


@dataclass(frozen=True)
class SignedIn:
    caller: Caller
    handoff: str


@dataclass(frozen=True)
class _Attempt:
    """One password sign-in attempt: the e-mail as typed, the account it names (if
    any) and the client it comes from."""

    typed: str
    user: dict | None
    client: str
    now: datetime

    @property
    def user_id(self) -> int | None:
        return self.user["id"] if self.user else None

    @property
    def actor(self) -> Caller:
        return _actor(self.user, self.typed)


def sign_in_with_password(
    con: duckdb.DuckDBPyConnection,
    email: str | None,
    password: str | None,
    *,
    client: str | None = None,
    browser_token: str | None = None,
    next_path: str = "/",
    now: datetime | None = None,
) -> SignedIn:
    """Check a local account's password and leave a hand-off for its session.

    Refused with AuthError ``auth.failed`` (wrong e-mail or password, disabled
    account: one answer) or ``auth.wait`` (``seconds``: too many failures from
    this client or on this e-mail; the same for an address that has no
    account). Every attempt leaves an audit row with the client address,
    except repeated attempts during one wait: the first of them does."""
    attempt = _password_attempt(con, email, client or LOCAL_CLIENT, now or db.utcnow())

    # 1. Count the attempt as a failure before the password is checked, so that
    #    attempts sent at the same moment cannot all slip through one wait.
    try:
        wait, known, client_before = _retry(lambda: _reserve_attempt(con, attempt, browser_token))
    except ConflictError:
        # Attempts on the same client or e-mail at the very same moment: the others wait their turn.
        raise AuthError("sign-in busy", key="session.wait", seconds=1) from None
    if wait:
        raise AuthError("too many attempts", key="session.wait", seconds=wait)

    # 2. The password (an unknown address costs the same time as a wrong password).
    verified = accounts.password_matches(attempt.user, password or "")

    # 3. The outcome: forgiven and signed in, or audited as a failure.
    def outcome() -> SignedIn | None:
        with transaction(con, Target("user", attempt.typed)) as cur:
            client_counter = _counter(cur, CLIENT, attempt.client, attempt.now)
            account_counter = _counter(cur, ACCOUNT, attempt.typed, attempt.now)
            if verified:
                _forgive_attempt(cur, attempt, client_counter, account_counter, client_before)
                accounts.record_sign_in(cur, attempt.user, attempt.now, client=attempt.client, method="password")
                handoff = _create_handoff(cur, attempt.user["id"], "password", next_path, attempt.now, attempt.client)
                return SignedIn(accounts.caller_of(attempt.user), handoff)
            _record_failure(cur, attempt, client_counter, account_counter, known=known)
            return None

    signed_in = _retry(outcome)
    if signed_in is None:
        raise AuthError("wrong e-mail or password", key="auth.failed")
    return signed_in


def _password_attempt(con: duckdb.DuckDBPyConnection, email: str | None, client: str, now: datetime) -> _Attempt:
    typed = _account_subject(email or "")
    cur = con.cursor()
    try:
        user = accounts.fetch_user(cur, typed) if typed else None
    finally:
        cur.close()
    return _Attempt(typed, user, client, now)


def _reserve_attempt(
    con: duckdb.DuckDBPyConnection, attempt: _Attempt, browser_token: str | None
) -> tuple[int, bool, tuple[int, datetime | None]]:
    """Count the attempt as a failure on its client and e-mail, or refuse it while either
    must wait: (seconds to wait, whether the browser is the account owner's known one,
    the client's failures and last failure before this attempt)."""
    now, client = attempt.now, attempt.client
    with _bookkeeping(con) as cur:
        counters = [_counter(cur, CLIENT, client, now), _counter(cur, ACCOUNT, attempt.typed, now)]
        client_before = (counters[0].failures, counters[0].last_failure_at)
        known = attempt.user_id is not None and _known_browser(cur, browser_token, attempt.user_id, now)
        if known and counters[1].failures < ALERT_FAILURES:
            counters = counters[:1]  # the owner's browser: others' guesses on the account do not slow it
        wait = max(counter.remaining(now) for counter in counters)
        if wait:
            first_refusal = all(counter.refused == 0 for counter in counters if counter.remaining(now))
            for counter in counters:
                if counter.remaining(now):
                    counter.refused += 1
                    _save_counter(cur, counter, now, client)
            if first_refusal:
                audit.record(
                    cur,
                    attempt.actor,
                    "user.sign_in_refused",
                    attempt.user_id,
                    before=None,
                    after={"email": attempt.typed, "client_address": client, "wait_seconds": wait},
                    now=now,
                )
            return wait, known, client_before
        for counter in counters:
            counter.failures += 1
            counter.last_failure_at = now
            counter.refused = 0
            _save_counter(cur, counter, now, client)
        return 0, known, client_before


def _forgive_attempt(
    cur: duckdb.DuckDBPyConnection,
    attempt: _Attempt,
    client_counter: _Counter,
    account_counter: _Counter,
    client_before: tuple[int, datetime | None],
) -> None:
    """The attempt counted up front is forgiven: the client is as it was before it, the
    account's failures are cleared."""
    failures_before, last_before = client_before
    if client_counter.failures == failures_before + 1:
        client_counter.failures, client_counter.last_failure_at = failures_before, last_before
    else:  # another attempt from the client came in between
        client_counter.failures = max(0, client_counter.failures - 1)
    _save_counter(cur, client_counter, attempt.now, attempt.client)
    if account_counter.stored:
        account_counter.failures = 0
        _save_counter(cur, account_counter, attempt.now, attempt.client)


def _record_failure(
    cur: duckdb.DuckDBPyConnection,
    attempt: _Attempt,
    client_counter: _Counter,
    account_counter: _Counter,
    *,
    known: bool,
) -> None:
    """The failed attempt's audit row, and an alert when the account reaches ALERT_FAILURES."""
    failures = account_counter.failures if not known else client_counter.failures
    audit.record(
        cur,
        attempt.actor,
        "user.sign_in_failed",
        attempt.user_id,
        before=None,
        after={
            "email": attempt.typed,
            "client_address": attempt.client,
            "failures": failures,
            "wait_seconds": max(
                wait_after(client_counter.failures, CLIENT), wait_after(account_counter.failures, ACCOUNT)
            ),
        },
        now=attempt.now,
    )
    if attempt.user is not None and account_counter.failures == ALERT_FAILURES:
        audit.record(
            cur,
            attempt.actor,
            "user.sign_in_alert",
            attempt.user_id,
            before=None,
            after={"email": attempt.typed, "client_address": attempt.client, "failures": account_counter.failures},
            now=attempt.now,
        )


def _actor(user: dict | None, typed: str) -> Caller:
    """Who an attempt's audit row names: the e-mail as typed (an attempt is not yet anyone)."""
    return Caller(role="anonymous", email=(user["email"] if user else typed) or "anonymous")


def clear_failures(cur: duckdb.DuckDBPyConnection, email: str) -> bool:
    """Inside the caller's transaction (an admin lifts the wait, resets the
    password or enables the account): forget the failures counted on an e-mail."""
    subject = _account_subject(email)
    (count,) = cur.execute(
        "SELECT count(*) FROM sign_in_throttle WHERE scope = 'account' AND subject = ?", [subject]
    ).fetchone()
    cur.execute("DELETE FROM sign_in_throttle WHERE scope = 'account' AND subject = ?", [subject])
    return count > 0
