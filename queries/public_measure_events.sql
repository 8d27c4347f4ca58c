-- The public "what was done" timeline of a published measure, newest first: only events
-- whose note is public, and never who made them.
-- $measure_id
SELECT e.* EXCLUDE (id, measure_id)
FROM public_status_events() AS e
JOIN visible_measures(false) AS m ON m.id = e.measure_id
WHERE e.measure_id = $measure_id
ORDER BY e.occurred_at DESC, e.id DESC
