-- A programme's planned and actual money per theme (every theme, in the programme's
-- order) and year (every budget year of the programme), 0 where there is none.
-- $programme_id; $lang: fi|sv|en; $include_unpublished
WITH shown AS (
    SELECT b.year, m.theme_id, b.planned_eur, b.actual_eur
    FROM budget_lines AS b
    JOIN visible_measures_of($programme_id, $include_unpublished) AS m ON m.id = b.measure_id
),
years AS (SELECT DISTINCT year FROM shown)
SELECT
    t.position AS theme_position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    years.year,
    coalesce(sum(shown.planned_eur), 0) AS planned_eur,
    coalesce(sum(shown.actual_eur), 0) AS actual_eur
FROM themes AS t
CROSS JOIN years
LEFT JOIN shown ON shown.theme_id = t.id AND shown.year = years.year
WHERE t.programme_id = $programme_id
GROUP BY t.position, t.id, theme, years.year
ORDER BY t.position, t.id, years.year
