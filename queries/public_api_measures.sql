-- One page of a programme's published measures for the JSON API (/api/v1/measures): public
-- fields only (public_measure_rows), texts in the reader's language, money totals only when
-- $include_money, with how many match in all (total). status is the status a reader sees on $today (the late rule,
-- migration 0011), recorded_status the one set on the measure. Filters: theme position, status
-- (as seen), changed since.
-- $programme_id; $lang: fi|sv|en; $theme_position: a position or NULL; $status: a status or NULL;
-- $updated_since: a timestamp or NULL; $include_money; $limit; $offset; $today
SELECT
    m.* EXCLUDE (programme_id) RENAME (set_status AS recorded_status),
    CASE WHEN $include_money THEN money.planned_eur END AS planned_eur,
    CASE WHEN $include_money THEN money.actual_eur END AS actual_eur,
    count(*) OVER () AS total
FROM public_measure_rows($programme_id, $lang, $today::DATE) AS m
LEFT JOIN measure_money() AS money ON money.measure_id = m.id
WHERE ($theme_position IS NULL OR m.theme_position = $theme_position)
    AND ($status IS NULL OR m.status = $status)
    AND ($updated_since IS NULL OR m.updated_at >= $updated_since)
ORDER BY m.theme_position, code_sort_key(m.code), m.code
LIMIT $limit OFFSET $offset
