-- Late measures on $today: status late, or past their end date and neither done, cancelled
-- nor continuous (is_late); most overdue first, with the days since the end date (NULL when
-- none); status is the one it is counted under (late), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.status AS set_status,
    m.progress,
    m.end_date,
    CASE WHEN m.end_date < $today::DATE THEN $today::DATE - m.end_date END AS days_overdue,
    m.responsible_unit,
    m.updated_at
FROM visible_measures_of($programme_id, $include_unpublished) AS m
WHERE is_late(m.status, m.end_date, m.is_continuous, $today::DATE)
ORDER BY days_overdue DESC NULLS LAST, code_sort_key(m.code), m.code
