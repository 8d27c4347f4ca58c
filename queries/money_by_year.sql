-- A programme's money per budget year: planned, actual (lines without an actual count as
-- none spent) and their totals over all years, variance (actual - planned) and utilisation (actual / planned, NULL when
-- nothing is planned), with the number of lines still without an actual.
-- $programme_id; $include_unpublished
SELECT
    b.year,
    sum(b.planned_eur) AS planned_eur,
    coalesce(sum(b.actual_eur), 0) AS actual_eur,
    coalesce(sum(b.actual_eur), 0) - sum(b.planned_eur) AS variance_eur,
    CASE WHEN sum(b.planned_eur) > 0 THEN coalesce(sum(b.actual_eur), 0) / sum(b.planned_eur) END AS utilisation,
    count(*) FILTER (b.actual_eur IS NULL) AS lines_without_actual,
    sum(sum(b.planned_eur)) OVER () AS planned_total,
    sum(coalesce(sum(b.actual_eur), 0)) OVER () AS actual_total
FROM budget_lines AS b
JOIN measures AS m ON m.id = b.measure_id
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
GROUP BY b.year
ORDER BY b.year
