-- The newest public status events of a programme's published measures, for its Atom feed:
-- the same events the public timeline shows (never who made them, never an internal note).
-- $programme_id; $lang: fi|sv|en; $limit: how many
SELECT
    e.id,
    e.occurred_at,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    e.* EXCLUDE (id, measure_id, occurred_at)
FROM public_status_events() AS e
JOIN visible_measures_of($programme_id, false) AS m ON m.id = e.measure_id
ORDER BY e.occurred_at DESC, e.id DESC
LIMIT $limit
