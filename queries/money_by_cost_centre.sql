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
    CASE WHEN sum(b.planned_eur) > 0 THEN coalesce(sum(b.actual_eur), 0) / sum(b.planned_eur) END AS utilisation
FROM budget_lines AS b
JOIN measures AS m ON m.id = b.measure_id
JOIN cost_centres AS c ON c.id = b.cost_centre_id
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
GROUP BY c.code, c.name
ORDER BY planned_eur DESC, c.code
