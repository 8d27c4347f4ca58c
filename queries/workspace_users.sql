-- Every user account for the admin page (never the password hash), by e-mail.
-- $since: failed sign-ins before this UTC time are forgotten (tracker.write.sessions.FORGET_AFTER)
SELECT
    u.email,
    u.display_name,
    u.role,
    u.is_active,
    coalesce((
        SELECT max(t.failures) FROM sign_in_throttle AS t
        WHERE t.scope = 'account' AND t.subject = u.email AND t.last_failure_at >= $since
    ), 0) AS failed_sign_ins,
    u.last_login_at,
    u.created_at
FROM users AS u
ORDER BY u.email
