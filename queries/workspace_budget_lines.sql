-- A measure's budget lines for editing: ids, year, cost centre, planned and actual euros, version.
-- $measure_id
SELECT
    id,
    year,
    cost_centre_id,
    cost_centre,
    cost_centre_name,
    planned_eur,
    actual_eur,
    funding_source,
    note,
    version
FROM budget_line_rows()
WHERE measure_id = $measure_id
ORDER BY year, cost_centre
