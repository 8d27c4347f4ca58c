-- The contact person whose opt-out link carries $token: e-mail, digest language and whether
-- they opted out already (no row when no one has that token). $token
SELECT email, language, opted_out
FROM reminder_contacts
WHERE opt_out_token = $token
