-- Money per year of a programme in two states ($base_period_id and $period_id: periods'
-- snapshots, NULL for now): planned and actual before and after, every year either has.
-- $programme_id; $base_period_id; $period_id; $include_unpublished
WITH
    before AS (
        SELECT year, sum(planned_eur) AS planned, coalesce(sum(actual_eur), 0) AS actual
        FROM report_money($programme_id, $base_period_id, $include_unpublished)
        GROUP BY year
    ),
    after AS (
        SELECT year, sum(planned_eur) AS planned, coalesce(sum(actual_eur), 0) AS actual
        FROM report_money($programme_id, $period_id, $include_unpublished)
        GROUP BY year
    )
SELECT
    coalesce(a.year, b.year) AS year,
    coalesce(b.planned, 0) AS planned_before,
    coalesce(a.planned, 0) AS planned_after,
    coalesce(b.actual, 0) AS actual_before,
    coalesce(a.actual, 0) AS actual_after
FROM after AS a
FULL OUTER JOIN before AS b ON b.year = a.year
ORDER BY year
