-- A programme's money per cost centre over all years: planned, actual, variance
-- (actual - planned), utilisation (actual / planned) and the number of measures paid
-- from it; largest planned first.
-- $programme_id; $include_unpublished
SELECT
    c.code AS cost_centre,
    c.name AS cost_centre_name,
    count(DISTINCT b.measure_id) AS measures,
    sum(b.planned_eur) AS planned_eur,
    coalesce(sum(b.actual_eur), 0) AS actual_eur,
    coalesce(sum(b.actual_eur), 0) - sum(b.planned_eur) AS variance_eur,
    utilisation(coalesce(sum(b.actual_eur), 0), sum(b.planned_eur)) AS utilisation
FROM budget_lines AS b
JOIN visible_measures_of($programme_id, $include_unpublished) AS m ON m.id = b.measure_id
JOIN cost_centres AS c ON c.id = b.cost_centre_id
GROUP BY c.code, c.name
ORDER BY planned_eur DESC, c.code
