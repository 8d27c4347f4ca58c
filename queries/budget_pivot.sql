-- A programme's money by year x theme x cost centre with subtotals (GROUPING SETS): each
-- row's level says which: 'line' (year, theme, cost centre), 'theme' (year, theme),
-- 'year', or 'total'. Planned, actual, variance (actual - planned) and utilisation
-- (actual / planned, NULL when nothing is planned). Subtotals come after their details;
-- no rows at all when the programme has no money.
-- $programme_id; $lang: fi|sv|en; $include_unpublished
WITH lines AS (
    SELECT
        b.year,
        t.position AS theme_position,
        in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
        c.code AS cost_centre,
        c.name AS cost_centre_name,
        b.planned_eur,
        b.actual_eur
    FROM budget_lines AS b
    JOIN visible_measures_of($programme_id, $include_unpublished) AS m ON m.id = b.measure_id
    JOIN themes AS t ON t.id = m.theme_id
    JOIN cost_centres AS c ON c.id = b.cost_centre_id
)
SELECT
    CASE grouping(year, theme_position, theme, cost_centre, cost_centre_name)
        WHEN 0 THEN 'line' WHEN 3 THEN 'theme' WHEN 15 THEN 'year' ELSE 'total' END AS level,
    year,
    theme_position,
    theme,
    cost_centre,
    cost_centre_name,
    sum(planned_eur) AS planned_eur,
    coalesce(sum(actual_eur), 0) AS actual_eur,
    coalesce(sum(actual_eur), 0) - sum(planned_eur) AS variance_eur,
    utilisation(coalesce(sum(actual_eur), 0), sum(planned_eur)) AS utilisation
FROM lines
GROUP BY GROUPING SETS (
    (year, theme_position, theme, cost_centre, cost_centre_name),
    (year, theme_position, theme),
    (year),
    ()
)
HAVING count(*) > 0
ORDER BY year NULLS LAST, theme_position NULLS LAST, cost_centre NULLS LAST
