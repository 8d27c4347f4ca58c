-- In a demo programme, the measures that come from a real source (not illustrative).
-- $programme_id; $lang: fi|sv|en
SELECT
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status
FROM measures AS m
WHERE m.programme_id = $programme_id
    AND NOT m.is_illustrative
    AND m.archived_at IS NULL
ORDER BY code_sort_key(m.code)
