-- An organisation's decisions (every field of decision_fields) with the ids of the measures each
-- is linked to, to recognise a decision that is already recorded.
-- $organisation_id
SELECT
    d.*,
    coalesce(list(md.measure_id ORDER BY md.measure_id) FILTER (md.measure_id IS NOT NULL), []::INTEGER[]) AS measure_ids
FROM decision_fields() AS d
LEFT JOIN measure_decisions AS md ON md.decision_id = d.id
WHERE d.organisation_id = $organisation_id
GROUP BY ALL
ORDER BY d.id
