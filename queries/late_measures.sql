-- Late measures on $today: status late, or past their end date and neither done, cancelled
-- nor continuous (is_late); most overdue first, with the days since the end date (NULL when
-- none); status is the one it is counted under (late), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE
-- The columns of dated_measure_rows, with days_overdue after end_date.
SELECT
    * EXCLUDE (responsible_unit, updated_at),
    CASE WHEN end_date < $today::DATE THEN $today::DATE - end_date END AS days_overdue,
    responsible_unit,
    updated_at
FROM dated_measure_rows($programme_id, $lang, $include_unpublished, $today::DATE)
WHERE status = 'late'
ORDER BY days_overdue DESC NULLS LAST, code_sort_key(code), code
