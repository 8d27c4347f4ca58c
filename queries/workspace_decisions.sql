-- An organisation's decisions for the register, newest first, with every editable field,
-- the version and the number of linked measures.
-- $organisation_id
SELECT
    d.id,
    d.body,
    d.decided_on,
    d.section,
    d.case_number,
    d.title,
    d.outcome,
    d.unanimous,
    d.url,
    d.text,
    d.version,
    count(md.measure_id) AS linked_measures
FROM decisions AS d
LEFT JOIN measure_decisions AS md ON md.decision_id = d.id
WHERE d.organisation_id = $organisation_id
GROUP BY ALL
ORDER BY d.decided_on DESC NULLS LAST, d.id DESC
