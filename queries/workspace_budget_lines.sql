-- A measure's budget lines for editing: ids, year, cost centre, planned and actual euros, version.
-- $measure_id
SELECT
    b.id,
    b.year,
    b.cost_centre_id,
    c.code AS cost_centre,
    c.name AS cost_centre_name,
    b.planned_eur,
    b.actual_eur,
    b.funding_source,
    b.note,
    b.version
FROM budget_lines AS b
JOIN cost_centres AS c ON c.id = b.cost_centre_id
WHERE b.measure_id = $measure_id
ORDER BY b.year, c.code
