-- Budget lines of a programme whose actual exceeds what was planned, largest overrun first.
-- $programme_id; $lang: fi|sv|en; $include_unpublished
SELECT
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    b.year,
    c.code AS cost_centre,
    c.name AS cost_centre_name,
    b.planned_eur,
    b.actual_eur,
    b.actual_eur - b.planned_eur AS variance_eur,
    CASE WHEN b.planned_eur > 0 THEN b.actual_eur / b.planned_eur END AS utilisation
FROM budget_lines AS b
JOIN measures AS m ON m.id = b.measure_id
JOIN cost_centres AS c ON c.id = b.cost_centre_id
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
    AND b.actual_eur > b.planned_eur
ORDER BY variance_eur DESC, b.year, code_sort_key(m.code), m.code
