-- The published measures of a programme with their public fields only, in theme and code order;
-- status is the one it is shown and filtered under on $today (effective_status).
-- $programme_id; $lang: fi|sv|en; $theme_position: a theme's position, or NULL for every theme;
-- $status: a status code, or NULL for every status; $today: DATE
SELECT
    m.code,
    t.position AS theme_position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.progress,
    m.is_continuous,
    m.is_illustrative
FROM visible_measures_of($programme_id, false) AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE ($theme_position IS NULL OR t.position = $theme_position)
    AND ($status IS NULL OR effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) = $status)
ORDER BY t.position, code_sort_key(m.code), m.code
