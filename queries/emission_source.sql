-- Where an organisation's emission figures come from: its current SYKE import (file, kind, ALas
-- version, years, preliminary years as text "2023" or "2023,2024", rows, when and by whom) and
-- its emissions indicator (id, name in the reader's language, published, illustrative). One row,
-- or none when the organisation has no SYKE figures.
-- $organisation_id; $lang: fi|sv|en
SELECT
    e.id AS import_id,
    e.file_name,
    e.file_kind,
    e.model_version,
    e.first_year,
    e.last_year,
    e.preliminary_years,
    e.row_count,
    e.imported_at,
    e.actor,
    e.municipality_number,
    i.id AS indicator_id,
    in_language($lang, i.name_fi, i.name_sv, i.name_en) AS indicator_name,
    i.is_published,
    i.is_illustrative
FROM emission_imports AS e
LEFT JOIN indicators AS i ON i.organisation_id = e.organisation_id AND i.role = 'emissions'
WHERE e.organisation_id = $organisation_id
    AND e.id = (SELECT max(r.import_id) FROM emission_rows AS r WHERE r.organisation_id = $organisation_id)
ORDER BY i.id
LIMIT 1
