-- Measures of all organisations per the status they are counted under on $today
-- (effective_status), every status present (0 when none), in status order, with each status's
-- share of all. $include_unpublished: true also counts unpublished measures; $today: DATE
WITH counts AS (
    SELECT effective_status(m.status, m.end_date, m.is_continuous, CAST($today AS DATE)) AS status, count(*) AS measures
    FROM visible_measures($include_unpublished) AS m
    GROUP BY ALL
)
SELECT
    s.status,
    coalesce(c.measures, 0) AS measures,
    CASE WHEN sum(coalesce(c.measures, 0)) OVER () = 0 THEN 0
        ELSE coalesce(c.measures, 0) / sum(coalesce(c.measures, 0)) OVER () END AS share
FROM status_order() AS s
LEFT JOIN counts AS c ON c.status = s.status
ORDER BY s.ordinal
