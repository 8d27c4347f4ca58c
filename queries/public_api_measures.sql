-- One page of a programme's published measures for the JSON API (/api/v1/measures): public
-- fields only, texts in the reader's language, money totals only when $include_money, with
-- how many match in all (total). status is the status a reader sees on $today (the late rule,
-- migration 0011), recorded_status the one set on the measure. Filters: theme position, status
-- (as seen), changed since.
-- $programme_id; $lang: fi|sv|en; $theme_position: a position or NULL; $status: a status or NULL;
-- $updated_since: a timestamp or NULL; $include_money; $limit; $offset; $today
WITH money AS (
    SELECT
        b.measure_id,
        sum(b.planned_eur) AS planned_eur,
        sum(b.actual_eur) AS actual_eur
    FROM budget_lines AS b
    GROUP BY b.measure_id
)
SELECT
    m.id,
    m.code,
    t.position AS theme_position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    in_language($lang, m.description_fi, m.description_sv, m.description_en) AS description,
    m.responsible_unit,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.status AS recorded_status,
    m.progress,
    m.start_date,
    m.end_date,
    m.is_continuous,
    m.is_illustrative,
    m.updated_at,
    CASE WHEN $include_money THEN money.planned_eur END AS planned_eur,
    CASE WHEN $include_money THEN money.actual_eur END AS actual_eur,
    count(*) OVER () AS total
FROM visible_measures_of($programme_id, false) AS m
JOIN themes AS t ON t.id = m.theme_id
LEFT JOIN money ON money.measure_id = m.id
WHERE ($theme_position IS NULL OR t.position = $theme_position)
    AND ($status IS NULL
        OR effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) = $status)
    AND ($updated_since IS NULL OR m.updated_at >= $updated_since)
ORDER BY t.position, code_sort_key(m.code), m.code
LIMIT $limit OFFSET $offset
