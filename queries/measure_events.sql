-- The "what was done" timeline of a measure, newest first; internal notes only when asked.
-- $measure_id; $include_internal: true also returns events whose note is internal
SELECT
    e.occurred_at,
    e.actor,
    e.source,
    e.old_status,
    e.new_status,
    e.old_progress,
    e.new_progress,
    -- no note is '' (a NULL text reaches a page as NaN, which prints "nan")
    coalesce(e.note, '') AS note,
    e.note_is_public
FROM status_events AS e
WHERE e.measure_id = $measure_id
    AND (e.note_is_public OR $include_internal)
ORDER BY e.occurred_at DESC, e.id DESC
