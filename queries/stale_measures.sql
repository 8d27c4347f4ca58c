-- Open measures (not done or cancelled) not updated for more than $acceptable_days on $today,
-- longest silent first, with the days since their last update and whether they are stale
-- (not updated for $stale_days or more) and how many of the listed are (stale_count); status is
-- the one it is shown under on $today (effective_status), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE; $acceptable_days; $stale_days
-- The columns of dated_measure_rows but progress and end_date, with the days since the last
-- update after updated_at.
SELECT
    * EXCLUDE (progress, end_date, responsible_unit),
    $today::DATE - CAST(updated_at AS DATE) AS days_since_update,
    $today::DATE - CAST(updated_at AS DATE) >= $stale_days::INTEGER AS is_stale,
    responsible_unit,
    count(*) FILTER ($today::DATE - CAST(updated_at AS DATE) >= $stale_days::INTEGER) OVER () AS stale_count
FROM dated_measure_rows($programme_id, $lang, $include_unpublished, $today::DATE)
WHERE is_open(set_status)
    AND $today::DATE - CAST(updated_at AS DATE) > $acceptable_days::INTEGER
ORDER BY updated_at, code_sort_key(code), code
