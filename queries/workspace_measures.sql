-- The weekly-update list: a programme's current (not archived) measures with status, progress,
-- version and when each last changed, the least recently updated first; done and cancelled
-- measures (nothing left to report) only when $include_closed, or when their id is in $keep (the
-- cards a visit to the page has shown: a measure just marked done stays until the next visit).
-- is_late: the late rule flags it on $today; past_end: it is late because its end date has passed
-- (moving the date changes that).
-- $programme_id; $lang: fi|sv|en; $theme_id: a theme's id, or NULL for every theme; $include_closed;
-- $keep: list of measure ids; $today: DATE
SELECT
    m.id,
    m.code,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.progress,
    m.start_date,
    m.end_date,
    coalesce(is_late(m.status, m.end_date, m.is_continuous, $today::DATE), false) AS is_late,
    coalesce(past_end(m.status, m.end_date, m.is_continuous, $today::DATE), false) AS past_end,
    m.is_published,
    m.updated_at,
    m.version
FROM visible_measures_of($programme_id, true) AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE ($theme_id IS NULL OR m.theme_id = $theme_id)
    AND ($include_closed OR is_open(m.status) OR list_contains($keep, m.id))
ORDER BY m.updated_at, t.position, code_sort_key(m.code), m.code
