-- Open measures (not done or cancelled) not updated for more than $acceptable_days on $today,
-- longest silent first, with the days since their last update and whether they are stale
-- (not updated for $stale_days or more) and how many of the listed are (stale_count); status is
-- the one it is shown under on $today (effective_status), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished; $today: DATE; $acceptable_days; $stale_days
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.status AS set_status,
    m.updated_at,
    $today::DATE - CAST(m.updated_at AS DATE) AS days_since_update,
    $today::DATE - CAST(m.updated_at AS DATE) >= $stale_days::INTEGER AS is_stale,
    m.responsible_unit,
    count(*) FILTER ($today::DATE - CAST(m.updated_at AS DATE) >= $stale_days::INTEGER) OVER () AS stale_count
FROM visible_measures_of($programme_id, $include_unpublished) AS m
WHERE is_open(m.status)
    AND $today::DATE - CAST(m.updated_at AS DATE) > $acceptable_days::INTEGER
ORDER BY m.updated_at, code_sort_key(m.code), m.code
