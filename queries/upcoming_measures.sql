-- Open measures (not done or cancelled) whose end date falls from $today to $upcoming_days
-- days after it, soonest first, with the days left.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE; $upcoming_days
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.progress,
    m.end_date,
    m.end_date - $today::DATE AS days_left,
    m.responsible_unit
FROM measures AS m
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
    AND m.status NOT IN ('done', 'cancelled')
    AND m.end_date BETWEEN $today::DATE AND $today::DATE + to_days($upcoming_days::INTEGER)
ORDER BY m.end_date, code_sort_key(m.code), m.code
