-- Accounts whose sign-ins are being slowed down by failed attempts (for the admin:
-- the users page and the sidebar notice), most failures first. An address that is
-- no user is never listed (the sign-in answers it like a real one all the same).
-- $since: failures before this UTC time are forgotten; $least: fewest failures listed
SELECT
    u.email,
    max(t.failures) AS failures,
    max(t.last_failure_at) AS last_failure_at,
    arg_max(t.last_client, t.last_failure_at) AS last_client
FROM sign_in_throttle AS t
JOIN users AS u ON u.email = t.subject
WHERE t.scope = 'account' AND t.last_failure_at >= $since AND t.failures >= $least
GROUP BY u.email
ORDER BY failures DESC, u.email
