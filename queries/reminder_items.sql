-- What each contact person of measures should hear about on $today, one row per measure: every
-- open measure (not archived, not done or cancelled) whose contact e-mail is set and that is
-- either not updated for more than $acceptable_days (is_stale; stale for $stale_days or more:
-- is_very_stale) or not yet marked ready for an open reporting period of its programme that has
-- a due day (the earliest such period: period_*). With the contact's digest language (Finnish
-- when they have no row yet), whether they opted out, were sent a digest on $today already, and
-- whether their last attempt failed; titles and names in that language. By e-mail, programme, code.
-- $today: DATE; $acceptable_days: INTEGER; $stale_days: INTEGER
WITH open_measures AS (
    SELECT
        lower(trim(m.contact_email)) AS email,
        m.*,
        $today::DATE - CAST(m.updated_at AS DATE) AS days_since_update
    FROM measures AS m
    WHERE m.archived_at IS NULL AND is_open(m.status) AND coalesce(trim(m.contact_email), '') <> ''
),
waiting AS (
    SELECT
        m.id AS measure_id,
        arg_min(p.id, p.due_on) AS period_id,
        min(p.due_on) AS due_on
    FROM open_measures AS m
    JOIN reporting_periods AS p ON p.programme_id = m.programme_id AND p.state = 'open' AND p.due_on IS NOT NULL
    WHERE NOT EXISTS (SELECT 1 FROM period_ready AS r WHERE r.period_id = p.id AND r.measure_id = m.id)
    GROUP BY m.id
),
attempts AS (
    SELECT
        email,
        bool_or(outcome = 'sent' AND sent_on = $today::DATE) AS sent_today,
        arg_max(outcome, attempted_at) = 'failed' AS last_failed,
        arg_max(error, attempted_at) AS last_error
    FROM reminder_sends
    GROUP BY email
)
SELECT
    m.email,
    m.contact_name,
    coalesce(c.language, 'fi') AS language,
    coalesce(c.opted_out, false) AS opted_out,
    coalesce(a.sent_today, false) AS sent_today,
    coalesce(a.last_failed, false) AS last_failed,
    a.last_error,
    m.programme_id,
    in_language(coalesce(c.language, 'fi'), pr.name, pr.name_sv, pr.name_en) AS programme,
    m.id AS measure_id,
    m.code,
    in_language(coalesce(c.language, 'fi'), m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.updated_at,
    m.days_since_update,
    m.days_since_update > $acceptable_days::INTEGER AS is_stale,
    m.days_since_update >= $stale_days::INTEGER AS is_very_stale,
    w.period_id,
    in_language(coalesce(c.language, 'fi'), p.name_fi, p.name_sv, p.name_en) AS period,
    w.due_on
FROM open_measures AS m
JOIN programmes AS pr ON pr.id = m.programme_id
LEFT JOIN waiting AS w ON w.measure_id = m.id
LEFT JOIN reporting_periods AS p ON p.id = w.period_id
LEFT JOIN reminder_contacts AS c ON c.email = m.email
LEFT JOIN attempts AS a ON a.email = m.email
WHERE m.days_since_update > $acceptable_days::INTEGER OR w.period_id IS NOT NULL
ORDER BY m.email, m.programme_id, code_sort_key(m.code), m.code
