-- Across all organisations: how many organisations, programmes and measures there are and
-- how many measures are done, late (is_late on $today), or stale (not updated for $stale_days
-- days on $today).
-- $include_unpublished: true also counts unpublished measures; $today; $stale_days
SELECT
    (SELECT count(*) FROM organisations) AS organisations,
    (SELECT count(*) FROM programmes) AS programmes,
    count(m.id) AS measures,
    count(m.id) FILTER (WHERE m.status = 'done') AS done,
    count(m.id) FILTER (WHERE is_late(m.status, m.end_date, m.is_continuous, CAST($today AS DATE))) AS late,
    count(m.id) FILTER (
        WHERE is_open(m.status)
        AND m.updated_at < CAST($today AS DATE) - to_days(CAST($stale_days AS INTEGER))
    ) AS stale
FROM visible_measures($include_unpublished) AS m
