-- The decisions linked to a measure (every field of decision_fields), newest first (undated ones last).
-- $measure_id
SELECT d.*
FROM measure_decisions AS md
JOIN decision_fields() AS d ON d.id = md.decision_id
WHERE md.measure_id = $measure_id
ORDER BY d.decided_on DESC NULLS LAST, d.id
