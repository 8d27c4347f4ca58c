-- The responsible units named by a programme's measures, alphabetically.
-- $programme_id; $include_unpublished
SELECT DISTINCT m.responsible_unit
FROM measures AS m
WHERE m.programme_id = $programme_id
    AND m.archived_at IS NULL
    AND (m.is_published OR $include_unpublished)
    AND m.responsible_unit IS NOT NULL
ORDER BY m.responsible_unit
