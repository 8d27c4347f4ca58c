-- Signed-in sessions that survive a reload, a new tab and a link, and the state
-- that slows down password guessing. Written only by tracker/write/sessions.py.
--
-- The browser holds an opaque random token in an HttpOnly cookie; these tables keep
-- only the sha256 of each token (hex), never the token itself, so a copy of the
-- database signs nobody in. Times are UTC. No ids: a row is known by its token's hash
-- (or by scope and subject), and the write layer never inserts a hash twice.

-- One row per session: who, how they signed in, when it ends. A session ends at
-- expires_at, after the idle timeout (settings.session_idle_minutes) measured from
-- last_seen_at, or when ended_at is set (sign-out, the password reset, the role
-- changed, the account disabled). Ended rows are kept a while for the audit trail.
CREATE TABLE sessions (
    token_hash VARCHAR NOT NULL /*embedded: PRIMARY KEY */,
    user_id INTEGER NOT NULL,
    method VARCHAR NOT NULL /*embedded: CHECK (method IN ('password', 'oidc')) */,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    end_reason VARCHAR /*embedded: CHECK (end_reason IN ('sign_out', 'password', 'role', 'disabled', 'idle', 'expired')) */,
    client_address VARCHAR,
    -- OIDC: the sha256 of the identity token's issuer, subject and issue time, so
    -- one sign-in at the provider opens one session (never a second after sign-out).
    oidc_proof VARCHAR
);

-- A one-time token that carries a sign-in checked in a page run (which cannot set a
-- cookie) to the /auth/session route (which can); valid for a minute, used once.
CREATE TABLE sign_in_handoffs (
    token_hash VARCHAR NOT NULL /*embedded: PRIMARY KEY */,
    user_id INTEGER NOT NULL,
    method VARCHAR NOT NULL /*embedded: CHECK (method IN ('password', 'oidc')) */,
    next_path VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    client_address VARCHAR,
    oidc_proof VARCHAR
);

-- A browser that has signed in to an account before (a long-lived cookie of its
-- own): its owner's sign-ins to that account are not slowed by someone else's
-- failures, so nobody can keep an owner out by guessing at their address.
CREATE TABLE known_browsers (
    token_hash VARCHAR NOT NULL /*embedded: PRIMARY KEY */,
    user_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Failed sign-ins per client address (scope 'client') and per e-mail as typed,
-- known or not (scope 'account'): each failure beyond the first few makes the
-- next attempt wait longer. Forgotten an hour after the last failure.
CREATE TABLE sign_in_throttle (
    scope VARCHAR NOT NULL /*embedded: CHECK (scope IN ('client', 'account')) */,
    subject VARCHAR NOT NULL,
    failures INTEGER NOT NULL,
    first_failure_at TIMESTAMP NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    last_client VARCHAR,
    -- attempts refused while waiting since the last failure (audited once per wait)
    refused INTEGER NOT NULL DEFAULT 0 /*embedded:,
    PRIMARY KEY (scope, subject) */
);
