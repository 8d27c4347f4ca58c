-- The measures of a programme that pass the list's filters, in theme and code order.
-- $programme_id; $lang: fi|sv|en; $include_unpublished;
-- $themes: list of theme positions (empty = all); $statuses: list of status codes (empty = all);
-- $units: list of responsible units (empty = all);
-- $year_from, $year_to: keep measures whose schedule overlaps these years (NULL = open);
-- $search: text found (case-insensitively) in a title or description in fi, sv or en (NULL or '' = all);
-- $stale_only: only open measures not updated for $stale_days days or more on $today: DATE
SELECT
    m.id,
    m.code,
    t.position AS theme_position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    m.progress,
    m.start_date,
    m.end_date,
    m.is_continuous,
    m.is_published,
    m.responsible_unit,
    m.updated_at,
    $today::DATE - CAST(m.updated_at AS DATE) AS days_since_update
FROM measures AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
    AND (len($themes) = 0 OR list_contains($themes, t.position))
    AND (len($statuses) = 0 OR list_contains($statuses, m.status))
    AND (len($units) = 0 OR list_contains($units, m.responsible_unit))
    AND ($year_to IS NULL OR m.start_date IS NULL OR year(m.start_date) <= $year_to)
    AND ($year_from IS NULL OR m.end_date IS NULL OR m.is_continuous OR year(m.end_date) >= $year_from)
    AND (
        coalesce($search, '') = ''
        OR concat_ws(' ', m.code, m.title_fi, m.title_sv, m.title_en, m.description_fi, m.description_sv,
            m.description_en)
            ILIKE '%' || replace(replace(replace($search, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'
    )
    AND (
        NOT $stale_only
        OR (m.status NOT IN ('done', 'cancelled') AND $today::DATE - CAST(m.updated_at AS DATE) >= $stale_days)
    )
ORDER BY t.position, code_sort_key(m.code), m.code
