-- Late measures on $today: status late, or past their end date and neither done, cancelled
-- nor continuous; most overdue first, with the days since the end date (NULL when none).
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.progress,
    m.end_date,
    CASE WHEN m.end_date < $today::DATE THEN $today::DATE - m.end_date END AS days_overdue,
    m.responsible_unit,
    m.updated_at
FROM measures AS m
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
    AND (
        m.status = 'late'
        OR (m.end_date < $today::DATE AND m.status NOT IN ('done', 'cancelled') AND NOT m.is_continuous)
    )
ORDER BY days_overdue DESC NULLS LAST, code_sort_key(m.code), m.code
