-- The audit log, newest first: who changed what and when, with the JSON before and after and
-- the measure's code. Filters: $measure_id (NULL: all), $actor (NULL: everyone),
-- $date_from and $date_to (dates, inclusive; NULL: open ended).
SELECT
    a.id,
    a.occurred_at,
    a.actor,
    a.action,
    a.entity,
    a.entity_id,
    a.measure_id,
    m.code AS measure_code,
    CAST(a.before AS VARCHAR) AS before,
    CAST(a.after AS VARCHAR) AS after
FROM audit_log AS a
LEFT JOIN measures AS m ON m.id = a.measure_id
WHERE ($measure_id IS NULL OR a.measure_id = $measure_id)
    AND ($actor IS NULL OR a.actor = $actor)
    AND ($date_from IS NULL OR a.occurred_at >= CAST($date_from AS DATE))
    AND ($date_to IS NULL OR a.occurred_at < CAST($date_to AS DATE) + INTERVAL 1 DAY)
ORDER BY a.occurred_at DESC, a.id DESC
LIMIT 5000
