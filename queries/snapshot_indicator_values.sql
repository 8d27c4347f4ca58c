-- Every yearly value of an organisation's indicators with the indicator's names and unit, as
-- the closing of a period freezes them (into snapshot_indicators). Reads only the columns the
-- first schema gave indicators and indicator_values, so it keeps working as they grow.
-- $organisation_id
SELECT
    i.id AS indicator_id,
    i.name_fi,
    i.name_sv,
    i.name_en,
    i.unit,
    v.year,
    v.sector,
    v.value
FROM indicators AS i
JOIN indicator_values AS v ON v.indicator_id = i.id
WHERE i.organisation_id = $organisation_id
