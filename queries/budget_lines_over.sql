-- Budget lines of a programme whose actual exceeds what was planned, largest overrun first; of
-- the year $year only, or of every year when $year is NULL.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $year: INTEGER or NULL
SELECT
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    b.year,
    b.cost_centre,
    b.cost_centre_name,
    b.planned_eur,
    b.actual_eur,
    b.variance_eur,
    b.utilisation
FROM budget_line_rows() AS b
JOIN visible_measures_of($programme_id, $include_unpublished) AS m ON m.id = b.measure_id
WHERE b.actual_eur > b.planned_eur
    AND ($year::INTEGER IS NULL OR b.year = $year::INTEGER)
ORDER BY b.variance_eur DESC, b.year, code_sort_key(m.code), m.code
