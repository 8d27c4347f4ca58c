-- Open measures (not done or cancelled) whose end date falls from $today to $upcoming_days
-- days after it, soonest first, with the days left; status is the one it is shown under
-- (effective_status), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE; $upcoming_days
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.status AS set_status,
    m.progress,
    m.end_date,
    m.end_date - $today::DATE AS days_left,
    m.responsible_unit
FROM visible_measures_of($programme_id, $include_unpublished) AS m
WHERE is_open(m.status)
    AND m.end_date BETWEEN $today::DATE AND $today::DATE + to_days($upcoming_days::INTEGER)
ORDER BY m.end_date, code_sort_key(m.code), m.code
