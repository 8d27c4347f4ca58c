-- Every value of an organisation's indicators with the indicator's names and unit, as the
-- closing of a period freezes them (into snapshot_indicators): its year, month (1-12 of a
-- monthly indicator, 0 for a whole year), category (sector, '' when none), value as stored and
-- whether it is preliminary.
-- $organisation_id
SELECT i.*, v.year, v.month, v.sector, v.value, v.is_preliminary
FROM indicator_names_of($organisation_id) AS i
JOIN indicator_values AS v ON v.indicator_id = i.indicator_id
