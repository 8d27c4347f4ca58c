-- Money of all organisations by year: planned and actual euros summed over every budget line,
-- with the totals over all years repeated on each row.
-- $include_unpublished: true also counts the money of unpublished measures
SELECT
    b.year,
    sum(b.planned_eur) AS planned_eur,
    sum(b.actual_eur) AS actual_eur,
    sum(sum(b.planned_eur)) OVER () AS total_planned_eur,
    sum(sum(b.actual_eur)) OVER () AS total_actual_eur
FROM budget_lines AS b
JOIN visible_measures($include_unpublished) AS m ON m.id = b.measure_id
GROUP BY b.year
ORDER BY b.year
