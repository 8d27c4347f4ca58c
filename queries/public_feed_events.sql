-- The newest public status events of a programme's published measures, for its Atom feed:
-- the same events the public timeline shows (never who made them, never an internal note).
-- $programme_id; $lang: fi|sv|en; $limit: how many
SELECT
    e.id,
    e.occurred_at,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    e.old_status,
    e.new_status,
    e.old_progress,
    e.new_progress,
    -- no note is '' (a NULL text beside noted events reaches pandas as NaN, which prints "nan")
    coalesce(e.note, '') AS note
FROM status_events AS e
JOIN visible_measures_of($programme_id, false) AS m ON m.id = e.measure_id
WHERE e.note_is_public
ORDER BY e.occurred_at DESC, e.id DESC
LIMIT $limit
