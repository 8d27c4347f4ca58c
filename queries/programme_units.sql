-- The responsible units named by a programme's measures, alphabetically.
-- $programme_id; $include_unpublished
SELECT DISTINCT m.responsible_unit
FROM visible_measures_of($programme_id, $include_unpublished) AS m
WHERE m.responsible_unit IS NOT NULL
ORDER BY m.responsible_unit
