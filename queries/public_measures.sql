-- The published measures of a programme with their public fields only (public_measure_rows), in
-- theme and code order; status is the one it is shown and filtered under on $today (effective_status).
-- $programme_id; $lang: fi|sv|en; $theme_position: a theme's position, or NULL for every theme;
-- $status: a status code, or NULL for every status; $today: DATE
SELECT
    m.* EXCLUDE (id, programme_id, description, responsible_unit, set_status, start_date, end_date, updated_at)
FROM public_measure_rows($programme_id, $lang, $today::DATE) AS m
WHERE ($theme_position IS NULL OR m.theme_position = $theme_position)
    AND ($status IS NULL OR m.status = $status)
ORDER BY m.theme_position, code_sort_key(m.code), m.code
