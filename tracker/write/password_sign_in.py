"""Signing in with a password, and the throttle that slows guessing (``sign_in_throttle``);
the session it opens is sessions.py's. How the throttle works is told at the top of sessions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from tracker import db
from tracker.auth import Caller
from tracker.errors import AuthError, ConflictError
from tracker.write import accounts, audit, sessions
from tracker.write.base import Target, bookkeeping, retry_commit_race, transaction

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
    attempt = _password_attempt(con, email, client or sessions.LOCAL_CLIENT, now or db.utcnow())

    # 1. Count the attempt as a failure before the password is checked, so that
    #    attempts sent at the same moment cannot all slip through one wait.
    try:
        wait, known, client_before = retry_commit_race(lambda: _reserve_attempt(con, attempt, browser_token))
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
                handoff = sessions.create_handoff(
                    cur, attempt.user["id"], "password", next_path, attempt.now, attempt.client
                )
                return SignedIn(accounts.caller_of(attempt.user), handoff)
            _record_failure(cur, attempt, client_counter, account_counter, known=known)
            return None

    signed_in = retry_commit_race(outcome)
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
    with bookkeeping(con) as cur:
        counters = [_counter(cur, CLIENT, client, now), _counter(cur, ACCOUNT, attempt.typed, now)]
        client_before = (counters[0].failures, counters[0].last_failure_at)
        known = attempt.user_id is not None and sessions.known_browser(cur, browser_token, attempt.user_id, now)
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


def forget_old_failures(cur: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Drop the counters whose last failure is older than FORGET_AFTER (when a session opens)."""
    cur.execute("DELETE FROM sign_in_throttle WHERE last_failure_at < ?", [now - FORGET_AFTER])
