-- Every measure of a programme for pickers: id, code, title in the reader's language, archived or not.
-- $programme_id; $lang: fi|sv|en; $include_archived: true also lists archived measures
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.archived_at IS NOT NULL AS is_archived
FROM measures AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE m.programme_id = $programme_id
    AND (m.archived_at IS NULL OR $include_archived)
ORDER BY t.position, code_sort_key(m.code), m.code
