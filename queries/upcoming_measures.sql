-- Open measures (not done or cancelled) whose end date falls from $today to $upcoming_days
-- days after it, soonest first, with the days left; status is the one it is shown under
-- (effective_status), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE; $upcoming_days
-- The columns of dated_measure_rows but updated_at, with days_left after end_date.
SELECT
    * EXCLUDE (responsible_unit, updated_at),
    end_date - $today::DATE AS days_left,
    responsible_unit
FROM dated_measure_rows($programme_id, $lang, $include_unpublished, $today::DATE)
WHERE is_open(set_status)
    AND end_date BETWEEN $today::DATE AND $today::DATE + to_days($upcoming_days::INTEGER)
ORDER BY end_date, code_sort_key(code), code
