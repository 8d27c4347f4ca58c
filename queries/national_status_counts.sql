-- Measures of all organisations per status, every status present (0 when none), in status
-- order, with each status's share of all. $include_unpublished: true also counts unpublished measures
WITH statuses(status, ordinal) AS (
    VALUES ('done', 1), ('in_progress', 2), ('late', 3), ('not_started', 4), ('postponed', 5), ('cancelled', 6)
),
counts AS (
    SELECT m.status, count(*) AS measures
    FROM measures AS m
    WHERE m.archived_at IS NULL
        AND (m.is_published OR $include_unpublished)
    GROUP BY m.status
)
SELECT
    s.status,
    coalesce(c.measures, 0) AS measures,
    CASE WHEN sum(coalesce(c.measures, 0)) OVER () = 0 THEN 0
        ELSE coalesce(c.measures, 0) / sum(coalesce(c.measures, 0)) OVER () END AS share
FROM statuses AS s
LEFT JOIN counts AS c ON c.status = s.status
ORDER BY s.ordinal
