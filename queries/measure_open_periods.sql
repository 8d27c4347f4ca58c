-- The open reporting periods of a measure's programme, the earliest due day first (undated last):
-- name in the reader's language, due day, and whether the measure is marked ready for it (by
-- whom, when). No row when the measure is archived or its programme has no open period.
-- $measure_id; $lang: fi|sv|en
SELECT
    p.id,
    in_language($lang, p.name_fi, p.name_sv, p.name_en) AS name,
    p.due_on,
    r.measure_id IS NOT NULL AS ready,
    r.marked_at,
    r.marked_by
FROM measures AS m
JOIN reporting_periods AS p ON p.programme_id = m.programme_id AND p.state = 'open'
LEFT JOIN period_ready AS r ON r.period_id = p.id AND r.measure_id = m.id
WHERE m.id = $measure_id AND m.archived_at IS NULL
ORDER BY p.due_on NULLS LAST, p.id
