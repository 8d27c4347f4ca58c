-- An organisation's decisions for the register, newest first, with every field of
-- decision_fields (the editable ones and the version) and the number of linked measures.
-- $organisation_id
SELECT
    d.*,
    count(md.measure_id) AS linked_measures
FROM decision_fields() AS d
LEFT JOIN measure_decisions AS md ON md.decision_id = d.id
WHERE d.organisation_id = $organisation_id
GROUP BY ALL
ORDER BY d.decided_on DESC NULLS LAST, d.id DESC
