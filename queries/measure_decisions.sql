-- The decisions linked to a measure, newest first (undated ones last).
-- $measure_id
SELECT
    d.id,
    d.body,
    d.decided_on,
    d.section,
    d.case_number,
    d.title,
    d.outcome,
    d.unanimous,
    d.url,
    d.text,
    d.is_illustrative
FROM measure_decisions AS md
JOIN decisions AS d ON d.id = md.decision_id
WHERE md.measure_id = $measure_id
ORDER BY d.decided_on DESC NULLS LAST, d.id
