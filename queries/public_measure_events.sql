-- The public "what was done" timeline of a published measure, newest first: only events
-- whose note is public, and never who made them.
-- $measure_id
SELECT
    e.occurred_at,
    e.old_status,
    e.new_status,
    e.old_progress,
    e.new_progress,
    -- no note is '' (a NULL text reaches a page as NaN, which prints "nan")
    coalesce(e.note, '') AS note
FROM status_events AS e
JOIN visible_measures(false) AS m ON m.id = e.measure_id
WHERE e.measure_id = $measure_id
    AND e.note_is_public
ORDER BY e.occurred_at DESC, e.id DESC
