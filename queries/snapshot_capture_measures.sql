-- Every measure of a programme (archived ones aside, published or not) as the closing of a
-- period freezes it: code, theme, titles, unit, status, progress, phase, dates, flags, late on
-- the period's as-of day, whether it was marked ready for the period, when it was last
-- updated and its latest public note. Read by tracker.write.periods into snapshot_measures.
-- $programme_id; $period_id; $as_of: DATE
SELECT
    m.id AS measure_id,
    m.code,
    m.theme_id,
    m.theme_position,
    m.theme_fi,
    m.theme_sv,
    m.theme_en,
    m.title_fi,
    m.title_sv,
    m.title_en,
    m.responsible_unit,
    m.status,
    m.progress,
    m.phase,
    m.start_date,
    m.end_date,
    m.is_continuous,
    m.is_published,
    m.is_late,
    r.measure_id IS NOT NULL AS is_ready,
    m.updated_at,
    m.note,
    m.note_at
FROM report_measures($programme_id, NULL, true, $as_of::DATE) AS m
LEFT JOIN period_ready AS r ON r.period_id = $period_id AND r.measure_id = m.id
