-- A programme's money per budget year: planned, actual (lines without an actual count as
-- none spent) and their totals over all years, variance (actual - planned) and utilisation (actual / planned, NULL when
-- nothing is planned), with the number of lines still without an actual.
-- $programme_id; $include_unpublished
SELECT
    b.year,
    sum(b.planned_eur) AS planned_eur,
    coalesce(sum(b.actual_eur), 0) AS actual_eur,
    coalesce(sum(b.actual_eur), 0) - sum(b.planned_eur) AS variance_eur,
    utilisation(coalesce(sum(b.actual_eur), 0), sum(b.planned_eur)) AS utilisation,
    count(*) FILTER (b.actual_eur IS NULL) AS lines_without_actual,
    sum(sum(b.planned_eur)) OVER () AS planned_total,
    sum(coalesce(sum(b.actual_eur), 0)) OVER () AS actual_total
FROM budget_lines AS b
JOIN visible_measures_of($programme_id, $include_unpublished) AS m ON m.id = b.measure_id
GROUP BY b.year
ORDER BY b.year
