-- Every programme with its organisation, in the reader's language; the default first.
-- $lang: fi|sv|en
SELECT
    p.id,
    p.organisation_id,
    in_language($lang, o.name, o.name_sv, o.name_en) AS organisation,
    in_language($lang, p.name, p.name_sv, p.name_en) AS name,
    p.start_year,
    p.end_year,
    p.is_demo,
    p.is_default
FROM programmes AS p
JOIN organisations AS o ON o.id = p.organisation_id
ORDER BY p.is_default DESC, organisation, name
