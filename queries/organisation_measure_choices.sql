-- Every measure of an organisation's programmes for pickers: id, code, title in the reader's
-- language and the programme's name; archived measures are left out. By programme, theme and code.
-- $organisation_id; $lang: fi|sv|en
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    in_language($lang, p.name, p.name_sv, p.name_en) AS programme
FROM measures AS m
JOIN programmes AS p ON p.id = m.programme_id
JOIN themes AS t ON t.id = m.theme_id
WHERE p.organisation_id = $organisation_id
    AND m.archived_at IS NULL
ORDER BY p.id, t.position, code_sort_key(m.code), m.code
