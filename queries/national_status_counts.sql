-- Measures of all organisations per status, every status present (0 when none), in status
-- order, with each status's share of all. $include_unpublished: true also counts unpublished measures
WITH counts AS (
    SELECT m.status, count(*) AS measures
    FROM visible_measures($include_unpublished) AS m
    GROUP BY m.status
)
SELECT
    s.status,
    coalesce(c.measures, 0) AS measures,
    CASE WHEN sum(coalesce(c.measures, 0)) OVER () = 0 THEN 0
        ELSE coalesce(c.measures, 0) / sum(coalesce(c.measures, 0)) OVER () END AS share
FROM status_order() AS s
LEFT JOIN counts AS c ON c.status = s.status
ORDER BY s.ordinal
