-- Every measure of a programme (archived aside, unpublished too) for an open period: marked
-- ready or not (by whom, when), and whether it was updated since the period opened; readiness
-- is 'ready', 'not_updated' (not ready and not updated since the period opened) or 'not_ready'.
-- In theme and code order. $period_id; $lang: fi|sv|en
SELECT
    m.id,
    m.code,
    t.position AS theme_position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.progress,
    m.contact_name,
    m.contact_email,
    m.updated_at,
    m.updated_at >= p.opened_at AS updated_since_open,
    r.marked_at,
    r.marked_by,
    CASE
        WHEN r.measure_id IS NOT NULL THEN 'ready'
        WHEN m.updated_at < p.opened_at THEN 'not_updated'
        ELSE 'not_ready'
    END AS readiness
FROM reporting_periods AS p
JOIN measures AS m ON m.programme_id = p.programme_id AND m.archived_at IS NULL
JOIN themes AS t ON t.id = m.theme_id
LEFT JOIN period_ready AS r ON r.period_id = p.id AND r.measure_id = m.id
WHERE p.id = $period_id
ORDER BY t.position, code_sort_key(m.code), m.code
