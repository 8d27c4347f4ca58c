-- One indicator as its page shows it: name, description and unit in the reader's language,
-- direction, frequency, breakdown, role, the reduction target (base_year, target_year,
-- target_reduction_pct), published, illustrative, and its organisation. No row when there is no
-- such indicator, or it is unpublished and not $include_unpublished.
-- $indicator_id; $lang: fi|sv|en; $include_unpublished
SELECT
    i.id,
    i.organisation_id,
    in_language($lang, i.name_fi, i.name_sv, i.name_en) AS name,
    in_language($lang, i.description_fi, i.description_sv, i.description_en) AS description,
    i.unit,
    i.direction,
    i.frequency,
    i.breakdown,
    i.role,
    i.base_year,
    i.target_year,
    i.target_reduction_pct,
    i.is_published,
    i.is_illustrative
FROM indicators AS i
WHERE i.id = $indicator_id
    AND (i.is_published OR $include_unpublished)
