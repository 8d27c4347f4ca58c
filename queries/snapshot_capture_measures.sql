-- Every measure of a programme (archived ones aside, published or not) as the closing of a
-- period freezes it: code, theme, titles, unit, status, progress, phase, dates, flags, late on
-- the period's as-of day, whether it was marked ready for the period, when it was last
-- updated and its latest public note. Read by tracker.write.periods into snapshot_measures.
-- $programme_id; $period_id; $as_of: DATE
-- Every column of report_measures (id as measure_id), with is_ready after is_late.
SELECT
    m.* EXCLUDE (updated_at, note, note_at) RENAME (id AS measure_id),
    r.measure_id IS NOT NULL AS is_ready,
    m.updated_at,
    m.note,
    m.note_at
FROM report_measures($programme_id, NULL, true, $as_of::DATE) AS m
LEFT JOIN period_ready AS r ON r.period_id = $period_id AND r.measure_id = m.id
