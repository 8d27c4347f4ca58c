-- The measures of a programme that pass the list's filters, in theme and code order; status is
-- the one it is shown and filtered under on $today (effective_status), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished;
-- $themes: list of theme positions (empty = all); $statuses: list of status codes (empty = all;
-- 'late' finds every measure the late rule flags);
-- $units: list of responsible units (empty = all);
-- $year_from, $year_to: keep measures whose schedule overlaps these years (NULL = open);
-- $search: text found (case-insensitively) in a title or description in fi, sv or en (NULL or '' = all);
-- $stale_only: only open measures not updated for $stale_days days or more on $today: DATE
SELECT
    l.* REPLACE (effective_status(l.status, l.end_date, l.is_continuous, $today::DATE) AS status),
    l.status AS set_status,
    $today::DATE - CAST(l.updated_at AS DATE) AS days_since_update
FROM measure_list($programme_id, $lang, $include_unpublished, matching := $search) AS l
WHERE (len($themes) = 0 OR list_contains($themes, l.theme_position))
    AND (len($statuses) = 0 OR list_contains($statuses, effective_status(l.status, l.end_date, l.is_continuous, $today::DATE)))
    AND (len($units) = 0 OR list_contains($units, l.responsible_unit))
    AND ($year_to IS NULL OR l.start_date IS NULL OR year(l.start_date) <= $year_to)
    AND ($year_from IS NULL OR l.end_date IS NULL OR l.is_continuous OR year(l.end_date) >= $year_from)
    AND (NOT $stale_only OR (is_open(l.status) AND $today::DATE - CAST(l.updated_at AS DATE) >= $stale_days))
ORDER BY l.theme_position, code_sort_key(l.code), l.code
