-- A measure's budget lines for editing: ids, year, cost centre, planned and actual euros, version.
-- $measure_id
SELECT * EXCLUDE (variance_eur, utilisation)
FROM measure_budget_line_rows($measure_id)
ORDER BY year, cost_centre
