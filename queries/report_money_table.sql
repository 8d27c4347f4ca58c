-- A programme's money per year x cost centre, planned and actual, with subtotals (GROUPING
-- SETS): level 'line' (year, cost centre), 'year' (all cost centres of a year), 'centre' (a cost
-- centre over all years) and 'total'; variance (actual - planned) and utilisation (actual /
-- planned, NULL when nothing is planned). $period_id: a period's snapshot, NULL for now.
-- No rows when there is no money. $programme_id; $period_id; $include_unpublished
SELECT
    CASE grouping(year, cost_centre_code)
        WHEN 0 THEN 'line' WHEN 1 THEN 'year' WHEN 2 THEN 'centre' ELSE 'total' END AS level,
    year,
    cost_centre_code AS cost_centre,
    any_value(cost_centre_name) AS cost_centre_name,
    sum(planned_eur) AS planned_eur,
    coalesce(sum(actual_eur), 0) AS actual_eur,
    coalesce(sum(actual_eur), 0) - sum(planned_eur) AS variance_eur,
    utilisation(coalesce(sum(actual_eur), 0), sum(planned_eur)) AS utilisation
FROM report_money($programme_id, $period_id, $include_unpublished)
GROUP BY GROUPING SETS ((year, cost_centre_code), (year), (cost_centre_code), ())
HAVING count(*) > 0
ORDER BY cost_centre_code NULLS LAST, year NULLS LAST
