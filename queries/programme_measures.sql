-- The measures of a programme in theme and code order, titles in the reader's language.
-- $programme_id; $lang: fi|sv|en; $include_unpublished: true also lists unpublished measures
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
    m.updated_at
FROM measures AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
ORDER BY t.position, code_sort_key(m.code), m.code
