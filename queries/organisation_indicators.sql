-- The indicators of an organisation, names in the reader's language; those with a target first.
-- $organisation_id; $lang: fi|sv|en
SELECT
    i.id,
    in_language($lang, i.name_fi, i.name_sv, i.name_en) AS name,
    i.unit,
    i.base_year,
    i.target_year,
    i.target_reduction_pct,
    i.is_illustrative
FROM indicators AS i
WHERE i.organisation_id = $organisation_id
ORDER BY i.target_year IS NULL, i.id
