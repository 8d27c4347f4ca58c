-- The money of a published measure per year and cost centre, planned against actual
-- (no internal budget-line notes), with the measure's totals over all its lines on each
-- row (actual_total 0 while no actual is recorded).
-- $measure_id
SELECT
    b.year,
    c.code AS cost_centre,
    c.name AS cost_centre_name,
    b.planned_eur,
    b.actual_eur,
    sum(b.planned_eur) OVER () AS planned_total,
    coalesce(sum(b.actual_eur) OVER (), 0) AS actual_total
FROM budget_lines AS b
JOIN cost_centres AS c ON c.id = b.cost_centre_id
JOIN visible_measures(false) AS m ON m.id = b.measure_id
WHERE b.measure_id = $measure_id
ORDER BY b.year, c.code
