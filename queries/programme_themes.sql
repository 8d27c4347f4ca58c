-- The themes of a programme in the programme's order, names in the reader's language.
-- $programme_id; $lang: fi|sv|en
SELECT
    t.id,
    t.position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS name
FROM themes AS t
WHERE t.programme_id = $programme_id
ORDER BY t.position, t.id
