-- Every contact person of measures (by e-mail, lower case) with their name, how many open
-- measures they are contact for, their digest language and opt-out (Finnish and reminders on
-- when they have no row yet), and their last attempt: when, sent or failed, and its error.
SELECT
    lower(trim(m.contact_email)) AS email,
    any_value(m.contact_name ORDER BY m.updated_at DESC) AS name,
    count(*) FILTER (is_open(m.status)) AS open_measures,
    coalesce(any_value(c.language), 'fi') AS language,
    coalesce(any_value(c.opted_out), false) AS opted_out,
    any_value(s.attempted_at) AS last_attempt,
    any_value(s.outcome) AS last_outcome,
    any_value(s.error) AS last_error
FROM measures AS m
LEFT JOIN reminder_contacts AS c ON c.email = lower(trim(m.contact_email))
LEFT JOIN (
    SELECT email, max(attempted_at) AS attempted_at, arg_max(outcome, attempted_at) AS outcome,
        arg_max(error, attempted_at) AS error
    FROM reminder_sends
    GROUP BY email
) AS s ON s.email = lower(trim(m.contact_email))
WHERE m.archived_at IS NULL AND coalesce(trim(m.contact_email), '') <> ''
GROUP BY lower(trim(m.contact_email))
ORDER BY email
