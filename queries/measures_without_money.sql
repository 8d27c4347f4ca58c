-- Measures of a programme with no money at all: no budget line, or only lines with
-- nothing planned and nothing spent; in theme and code order.
-- $programme_id; $lang: fi|sv|en; $include_unpublished
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.responsible_unit
FROM visible_measures_of($programme_id, $include_unpublished) AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE NOT EXISTS (
    SELECT 1 FROM budget_lines AS b
    WHERE b.measure_id = m.id AND (b.planned_eur > 0 OR coalesce(b.actual_eur, 0) > 0)
)
ORDER BY t.position, code_sort_key(m.code), m.code
