-- The weekly-update list: a programme's current (not archived) measures with status, progress,
-- version and when each last changed, the least recently updated first; done and cancelled
-- measures (nothing left to report) only when $include_closed, or when their id is in $keep (the
-- cards a visit to the page has shown: a measure just marked done stays until the next visit).
-- status is the one set on it; is_late: the late rule flags it on $today; past_end: it is late
-- because its end date has passed (moving the date changes that).
-- $programme_id; $lang: fi|sv|en; $theme_id: a theme's id, or NULL for every theme; $include_closed;
-- $keep: list of measure ids; $today: DATE
SELECT
    m.* EXCLUDE (
        programme_id, theme_id, theme_position, description, responsible_unit, contact_name, contact_email,
        status, phase, is_continuous, is_illustrative, internal_note
    ) RENAME (set_status AS status)
FROM measure_rows($programme_id, $lang, true, $today::DATE) AS m
WHERE ($theme_id IS NULL OR m.theme_id = $theme_id)
    AND ($include_closed OR is_open(m.set_status) OR list_contains($keep, m.id))
ORDER BY m.updated_at, m.theme_position, code_sort_key(m.code), m.code
