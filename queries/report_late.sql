-- The late measures of a programme as a report shows them ($period_id: a period's snapshot, late
-- on its as-of day; NULL: now, late on $today), most overdue first, with the days past their end
-- date on $on_day (NULL when not past it) and their latest public note and its time.
-- $programme_id; $period_id; $include_unpublished; $today: DATE; $on_day: DATE; $lang: fi|sv|en
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.progress,
    m.end_date,
    CASE WHEN m.end_date < $on_day::DATE THEN $on_day::DATE - m.end_date END AS days_overdue,
    m.responsible_unit,
    m.note,
    m.note_at
FROM report_measures($programme_id, $period_id, $include_unpublished, $today::DATE) AS m
WHERE m.is_late
ORDER BY days_overdue DESC NULLS LAST, code_sort_key(m.code), m.code
