-- Every user account for the admin page (never the password hash), by e-mail.
-- $now: the current UTC time, to tell whether an account is locked
SELECT
    u.email,
    u.display_name,
    u.role,
    u.is_active,
    coalesce(u.locked_until > $now, false) AS is_locked,
    u.last_login_at,
    u.created_at
FROM users AS u
ORDER BY u.email
