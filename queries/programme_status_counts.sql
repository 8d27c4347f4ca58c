-- Measures of a programme per status, every status present (0 when none), in status order.
-- $programme_id; $include_unpublished: true also counts unpublished measures
WITH statuses(status, ordinal) AS (
    VALUES ('done', 1), ('in_progress', 2), ('late', 3), ('not_started', 4), ('postponed', 5), ('cancelled', 6)
)
SELECT
    s.status,
    count(m.id) AS measures
FROM statuses AS s
LEFT JOIN measures AS m
    ON m.status = s.status
    AND m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
GROUP BY s.status, s.ordinal
ORDER BY s.ordinal
